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
            // Javalin puts its servlet context inside the wrapper it finds here.
            server.setHandler(new GracefulHandler());
            server.setErrorHandler(new ScimErrorHandler(mounts, observation));
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
            ScimApi.ErrorBody body = owner == null ? scimError(status, detail(status))
                    : owner.containerError(status, detail(status));
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, body.contentType());
            if (path != null) {
                try {
                    observation.refusedBeforeRouting(request, response, status, body.bytes());
                } catch (RuntimeException e) {
                    // The answer goes out whatever becomes of its log entry (a peer that is no IP
                    // address, say).
                }
            }
            if (response.getHeaders().get(ScimApi.REQUEST_ID_HEADER) == null) {
                // Outside the logged paths, or a request line Jetty could not read: every answer
                // carries an id all the same.
                response.getHeaders().put(ScimApi.REQUEST_ID_HEADER, TimeOrderedIds.next(Instant.now()).toString());
            }
            response.write(true, ByteBuffer.wrap(body.bytes()), callback);
            return true;
        }
    }
}
