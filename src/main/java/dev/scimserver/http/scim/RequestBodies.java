package dev.scimserver.http.scim;

import dev.scimserver.scim.ScimException;
import io.javalin.http.Context;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

/**
 * Reading a request's body, where a body that stops short (the connection closed before the declared
 * length, a broken chunk) or stalls until the connection's idle timeout is the client's doing, told as
 * such (400, 408) instead of surfacing as a server failure.
 */
public final class RequestBodies {
    private RequestBodies() {
    }

    /** Why a body could not be read, as a status and a detail for the door's own error shape. */
    public record Unreadable(int status, String detail) {
    }

    /** What {@code failure}, thrown while the body was read, says of the client's body. */
    public static Unreadable unreadable(IOException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof TimeoutException) {
                return new Unreadable(408, "the request body did not arrive in time: the connection was idle "
                        + "too long");
            }
        }
        return new Unreadable(400, "the request body ended before it was complete (shorter than its "
                + "Content-Length, or a broken chunk)");
    }

    /** The whole body, or a SCIM error saying why it could not be read. */
    static byte[] all(Context ctx) {
        try {
            return ctx.bodyAsBytes();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            // The framework rethrows the container's checked IOException unchecked.
            if (e instanceof IOException failure) {
                Unreadable why = unreadable(failure);
                throw ScimException.of(why.status(), null, why.detail());
            }
            throw new IllegalStateException("reading the request body failed", e);
        }
    }
}
