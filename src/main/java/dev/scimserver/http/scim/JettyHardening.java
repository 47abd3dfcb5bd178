package dev.scimserver.http.scim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.JavalinConfig;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * What Jetty answers on its own, before a request reaches our routes, in the form of the part of the
 * server it was sent to (SCIM errors, the admin API's problems); and a graceful stop.
 *
 * <ul>
 * <li>Request headers (request line included) may take {@value #MAX_HEADER_BYTES} bytes: enough
 *     for a filter at {@code FilterParser}'s 4,096-character limit even when every character is
 *     percent-encoded, next to a large Entra bearer token. More is 431 with a SCIM error body.</li>
 * <li>On stop (SIGTERM runs it through the shutdown hook) the connectors stop accepting, requests
 *     already in the handlers finish for up to {@link #STOP_GRACE}, requests arriving on open
 *     connections meanwhile answer 503 with {@code Retry-After}; then the server stops. The grace
 *     is under the 30 s a container runtime waits between SIGTERM and SIGKILL.</li>
 * </ul>
 */
final class JettyHardening {
    static final int MAX_HEADER_BYTES = 32 * 1024;
    static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private JettyHardening() {
    }

    static void apply(JavalinConfig config) {
        config.jetty.modifyHttpConfiguration(http -> {
            http.setRequestHeaderSize(MAX_HEADER_BYTES);
            http.setSendServerVersion(false);
        });
        config.jetty.modifyServer(server -> {
            server.setStopTimeout(STOP_GRACE.toMillis());
            // Javalin puts its servlet context inside the wrapper it finds here.
            server.setHandler(new GracefulHandler());
            server.setErrorHandler(new ScimErrorHandler());
        });
    }

    private static ByteBuffer errorBody(int status, String detail) {
        try {
            return ByteBuffer.wrap(ScimJson.MAPPER.writeValueAsBytes(ScimErrors.body(status, null, detail)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise an error body", e);
        }
    }

    private static ByteBuffer problemBody(int status, String detail) {
        ObjectNode problem = ScimJson.MAPPER.createObjectNode();
        problem.put("type", "about:blank");
        problem.put("title", HttpStatus.getMessage(status));
        problem.put("status", status);
        problem.put("detail", detail);
        try {
            return ByteBuffer.wrap(ScimJson.MAPPER.writeValueAsBytes(problem));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a problem body", e);
        }
    }

    private static String detail(int status) {
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
        @Override
        public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
            fields.put(HttpHeader.CONTENT_TYPE, ScimApi.SCIM_CONTENT_TYPE);
            return errorBody(status, detail(status));
        }

        /**
         * A request that reached no route (a path that is no UTF-8 once decoded, say), answered in the
         * language of the part of the server it was sent to: the administration API speaks RFC 9457
         * problems, the console plain text, everything else SCIM errors.
         */
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            int status = response.getStatus() >= 400 ? response.getStatus() : 500;
            if (status == 503) {
                // GracefulHandler refuses requests that arrive while stopping with 503, through here.
                response.getHeaders().put(HttpHeader.RETRY_AFTER, "5");
            }
            String path = request.getHttpURI() == null ? null : request.getHttpURI().getPath();
            ByteBuffer body;
            if (under(path, "/api/admin")) {
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/problem+json");
                body = problemBody(status, detail(status));
            } else if (under(path, "/admin")) {
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
                body = ByteBuffer.wrap((HttpStatus.getMessage(status) + ": " + detail(status) + "\n")
                        .getBytes(StandardCharsets.UTF_8));
            } else {
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, ScimApi.SCIM_CONTENT_TYPE);
                body = errorBody(status, detail(status));
            }
            response.write(true, body, callback);
            return true;
        }

        private static boolean under(String path, String prefix) {
            return path != null && (path.equals(prefix) || path.startsWith(prefix + "/"));
        }
    }
}
