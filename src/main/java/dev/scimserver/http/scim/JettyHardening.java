package dev.scimserver.http.scim;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.scimserver.activity.TimeOrderedIds;
import io.javalin.config.JavalinConfig;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;

/**
 * What Jetty answers on its own, before a request reaches our routes, in the form of the part of the
 * server it was sent to (a {@link ScimApi.Mount}'s own, else SCIM errors); and a graceful stop.
 *
 * <ul>
 * <li>Request headers (request line included) may take {@value #MAX_HEADER_BYTES} bytes: enough
 *     for a filter at {@code FilterParser}'s 4,096-character limit even when every character is
 *     percent-encoded, next to a large Entra bearer token. More is 431 with a SCIM error body.</li>
 * <li>On stop (SIGTERM runs it through the shutdown hook) the connectors stop accepting, requests
 *     already in the handlers finish for up to {@link #STOP_GRACE}, requests arriving on open
 *     connections meanwhile answer 503 with {@code Retry-After}; then the server stops. The grace
 *     is under the 30 s a container runtime waits between SIGTERM and SIGKILL.</li>
 * <li>An answer after which Jetty closes the connection says {@code Connection: close} (RFC 9112
 *     section 9.6).</li>
 * <li>Two things Javalin does on its own are kept from it ({@link RequestGate}): it takes
 *     {@code X-HTTP-Method-Override} as the method of any request, and answers 304 whenever an
 *     answer's {@code ETag} equals the request's {@code If-None-Match}, whatever the method.</li>
 * </ul>
 */
final class JettyHardening {
    static final int MAX_HEADER_BYTES = 32 * 1024;
    static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private JettyHardening() {
    }

    static void apply(JavalinConfig config, ScimApi.Mount[] mounts, RequestObservation observation) {
        config.jetty.modifyHttpConfiguration(http -> {
            http.setRequestHeaderSize(MAX_HEADER_BYTES);
            http.setSendServerVersion(false);
        });
        config.jetty.modifyServer(server -> {
            server.setStopTimeout(STOP_GRACE.toMillis());
            ScimErrorHandler errors = new ScimErrorHandler(mounts, observation);
            // Javalin puts its servlet context inside the wrapper it finds here.
            server.setHandler(new RequestGate(errors));
            server.setErrorHandler(errors);
        });
    }

    /** A SCIM error body, as the server answers outside any route. */
    static ScimApi.ErrorBody scimError(int status, String detail) {
        try {
            return new ScimApi.ErrorBody(ScimApi.SCIM_CONTENT_TYPE,
                    ScimJson.MAPPER.writeValueAsBytes(ScimErrors.body(status, null, detail)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise an error body", e);
        }
    }

    static String detail(int status) {
        return switch (status) {
            case 400 -> "the HTTP request is malformed";
            case 414 -> "the request URI is too long";
            case 431 -> "the request headers are larger than " + MAX_HEADER_BYTES / 1024 + " KiB";
            case 503 -> "the server is shutting down; retry later";
            default -> "the request could not be served (" + status + ")";
        };
    }

    /** Jetty's own errors (malformed requests, headers too large) as SCIM error bodies, never HTML. */
    private static final class ScimErrorHandler extends ErrorHandler {
        private final ScimApi.Mount[] mounts;
        private final RequestObservation observation;

        ScimErrorHandler(ScimApi.Mount[] mounts, RequestObservation observation) {
            this.mounts = mounts.clone();
            this.observation = observation;
        }

        @Override
        public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
            fields.put(HttpHeader.CONTENT_TYPE, ScimApi.SCIM_CONTENT_TYPE);
            return ByteBuffer.wrap(scimError(status, detail(status)).bytes());
        }

        /**
         * A request that reached no route (a path that is no UTF-8 once decoded, say), answered in the
         * language of the mount its path belongs to (the administration API's problems, the console's
         * text), else as a SCIM error.
         */
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            int status = response.getStatus() >= 400 ? response.getStatus() : 500;
            answer(request, response, callback, status, detail(status));
            return true;
        }

        /** Answers {@code status} with {@code detail}, as the mount of the request's path words its errors. */
        void answer(Request request, Response response, Callback callback, int status, String detail) {
            response.setStatus(status);
            if (status == 503) {
                // GracefulHandler refuses requests that arrive while stopping with 503, through here.
                response.getHeaders().put(HttpHeader.RETRY_AFTER, "5");
            }
            if (!request.getConnectionMetaData().isPersistent()) {
                // Jetty closes the connection after this answer (a path it cannot take, say) without
                // saying so; a client told nothing reuses it, and its next request fails unanswered.
                response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
            }
            String path = request.getHttpURI() == null ? null : request.getHttpURI().getPath();
            ScimApi.Mount owner = path == null ? null : ScimApi.owner(mounts, path);
            ScimApi.ErrorBody body = owner == null ? scimError(status, detail) : owner.containerError(status, detail);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, body.contentType());
            if (path != null) {
                try {
                    observation.refusedBeforeRouting(request, response, status, detail, body.bytes());
                } catch (RuntimeException e) {
                    // The answer goes out whatever becomes of its log entry (a peer that is no IP
                    // address, say).
                }
            }
            if (response.getHeaders().get(ScimApi.REQUEST_ID_HEADER) == null) {
                // A request line Jetty could not read, or a report that failed: every answer carries
                // an id all the same.
                response.getHeaders().put(ScimApi.REQUEST_ID_HEADER, TimeOrderedIds.next(Instant.now()).toString());
            }
            response.write(true, ByteBuffer.wrap(body.bytes()), callback);
        }
    }

    /**
     * The server's outermost handler: the graceful stop, and what Javalin must not see of a request.
     *
     * <ul>
     * <li>Javalin takes {@code X-HTTP-Method-Override} as the method of any request, for its routes,
     *     and the method the guards and the log read: a GET (or HEAD, or OPTIONS) carrying
     *     {@code DELETE} deleted the user, though every proxy and rule before the server took it for a
     *     read. The header is refused with 400: a client that sends it means another method than the
     *     one it sent, and is told to send that one.</li>
     * <li>Javalin answers 304 on its own whenever an answer's {@code ETag} equals the request's
     *     {@code If-None-Match}, whatever the method and status: a PATCH whose {@code If-None-Match}
     *     named the version it made was applied and answered 304 without its body. RFC 9110 §15.4.5
     *     allows a 304 for GET and HEAD only; so a request of another method reaches Javalin without
     *     that header, its lines kept for the server in {@link SentPreconditions}, which evaluates it.
     *     A GET or HEAD keeps it: the server answers those 304s itself, and sets an {@code ETag} only on
     *     the answers it gives to a matching condition.</li>
     * </ul>
     */
    private static final class RequestGate extends GracefulHandler {
        static final String METHOD_OVERRIDE = "X-HTTP-Method-Override";

        private final ScimErrorHandler errors;

        RequestGate(ScimErrorHandler errors) {
            this.errors = errors;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            if (request.getHeaders().contains(METHOD_OVERRIDE)) {
                errors.answer(request, response, callback, 400, METHOD_OVERRIDE + " is not supported: send the "
                        + "request with the method it names");
                return true;
            }
            String method = request.getMethod();
            if (method.equals("GET") || method.equals("HEAD")
                    || !request.getHeaders().contains(HttpHeader.IF_NONE_MATCH)) {
                return super.handle(request, response, callback);
            }
            request.setAttribute(SentPreconditions.IF_NONE_MATCH, request.getHeaders().getValuesList(
                    HttpHeader.IF_NONE_MATCH));
            HttpFields without = HttpFields.build(request.getHeaders()).remove(HttpHeader.IF_NONE_MATCH).asImmutable();
            return super.handle(new Request.Wrapper(request) {
                @Override
                public HttpFields getHeaders() {
                    return without;
                }
            }, response, callback);
        }
    }
}
