package dev.scimserver.http.scim;

import dev.scimserver.scim.ClientText;
import dev.scimserver.scim.ScimException;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Reading a request's body, where a body that stops short (the connection closed before the declared
 * length, a broken chunk) or stalls until the connection's idle timeout is the client's doing, told as
 * such (400, 408) instead of surfacing as a server failure.
 */
public final class RequestBodies {
    /** The most of a body refused by its declared length that is read and dropped. */
    private static final long DISCARDED_AT_MOST = 8L * 1024 * 1024;
    private static final String READ = "body.read";
    /** The charsets a JSON body may say it is in: UTF-8 by its names, and ASCII, which UTF-8 holds as it is. */
    private static final Set<String> UTF_8_NAMES = Set.of("utf-8", "utf8", "us-ascii", "ascii");

    private RequestBodies() {
    }

    /**
     * Refuses a body in a content coding other than identity (RFC 9110 §15.5.16: 415, naming in
     * Accept-Encoding the one it reads): read as it came, a gzip body was refused as no UTF-8 and a
     * plain one labelled gzip was taken. A request without a body is not asked.
     */
    static void refuseContentCoding(Context ctx) {
        String codings = ctx.header("Content-Encoding");
        if (codings == null || !hasBody(ctx)) {
            return;
        }
        if (!onlyCoding(codings, "identity")) {
            ctx.header("Accept-Encoding", "identity");
            throw ScimException.of(415, null, "the body's Content-Encoding '" + ClientText.abbreviate(codings)
                    + "' is not one this server reads: send the body as it is, without a Content-Encoding");
        }
    }

    /**
     * Refuses a body whose Content-Type is not JSON (415): RFC 7644 §8.1's {@code application/scim+json}
     * or {@code application/json}, in UTF-8 (RFC 8259 §8.1) if a charset is named. Read whatever the
     * type said, a body sent as {@code text/plain}, as a form or with no type at all was taken: what a
     * page of another site can have a browser send here without asking (a form, or a script without
     * CORS), with the Basic credentials the browser keeps for this server, a forged request.
     */
    static void refuseMediaType(Context ctx) {
        if (!hasBody(ctx)) {
            return;
        }
        String sent = ctx.header("Content-Type");
        String[] parts = sent == null ? new String[] {""} : sent.split(";", -1);
        String type = parts[0].strip().toLowerCase(Locale.ROOT);
        if (!type.equals(ScimApi.SCIM_CONTENT_TYPE) && !type.equals("application/json")) {
            throw unsupported(ctx, (sent == null ? "the body has no Content-Type"
                    : "the body's Content-Type '" + ClientText.abbreviate(sent) + "' is not JSON")
                    + ": send it as " + ScimApi.SCIM_CONTENT_TYPE);
        }
        for (int k = 1; k < parts.length; k++) {
            String[] parameter = parts[k].split("=", 2);
            if (parameter[0].strip().equalsIgnoreCase("charset") && parameter.length == 2
                    && !UTF_8_NAMES.contains(parameter[1].strip().replace("\"", "").toLowerCase(Locale.ROOT))) {
                throw unsupported(ctx, "the body's charset '" + ClientText.abbreviate(parameter[1].strip())
                        + "' is not one this server reads: send the body in UTF-8");
            }
        }
    }

    /** A 415; a PATCH's names the patch documents taken (RFC 5789 §2.2: Accept-Patch). */
    private static ScimException unsupported(Context ctx, String detail) {
        if (ctx.method() == HandlerType.PATCH) {
            ctx.header("Accept-Patch", ScimApi.SCIM_CONTENT_TYPE + ", application/json");
        }
        return ScimException.of(415, null, detail);
    }

    /**
     * Refuses a body in a transfer coding other than chunked (RFC 9112 §6.1: 501). Jetty takes off the
     * chunked coding and leaves any other on: a body sent in gzip and chunked was read as it came.
     */
    static void refuseTransferCoding(Context ctx) {
        String codings = ctx.header("Transfer-Encoding");
        if (codings != null && !onlyCoding(codings, "chunked")) {
            throw ScimException.of(501, null, "the body's Transfer-Encoding '" + ClientText.abbreviate(codings)
                    + "' is not one this server reads: send the body chunked, or with a Content-Length");
        }
    }

    /** Whether a list of codings names none but {@code coding} (in any case), empty members aside. */
    private static boolean onlyCoding(String codings, String coding) {
        for (String named : codings.split(",")) {
            String name = named.strip();
            if (!name.isEmpty() && !name.equalsIgnoreCase(coding)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the request carries a body: a length over zero, or one sent in chunks. */
    private static boolean hasBody(Context ctx) {
        return ctx.contentLength() > 0 || ctx.header("Transfer-Encoding") != null;
    }

    /**
     * Whether the body is declared longer than {@code limit}, which the caller then refuses as too
     * large (413) without reading it. A client that waits for {@code 100 Continue} before it sends
     * (RFC 9110 §10.1.1) is never told to go on, so it learns of the refusal without uploading
     * anything. Any other client is already sending; its body is read and dropped, up to
     * {@link #DISCARDED_AT_MOST}, before the answer: a server that answers and closes while the bytes
     * still arrive makes the kernel reset the connection, and the reset can reach the client before
     * the answer. A larger body is not read at all; its client has to cope with the reset.
     */
    public static boolean declaredOver(Context ctx, long limit) {
        long declared = ctx.contentLength();
        if (declared <= limit) {
            return false;
        }
        String expectation = ctx.header("Expect");
        if (declared <= DISCARDED_AT_MOST
                && !(expectation != null && expectation.trim().toLowerCase(Locale.ROOT).equals("100-continue"))) {
            try {
                ctx.req().getInputStream().skipNBytes(declared);
            } catch (IOException e) {
                // The client went away, stalled or sent less than it declared: nothing left to protect.
            }
        }
        return true;
    }

    /**
     * The body as the endpoint read it whole, for the log; null when no endpoint read it (the request
     * was refused before, by its credential's rate limit, say, or by its declared length). The log
     * never reads a body itself: that would tell a client waiting on 100 Continue to send it, and hold
     * a refused body in memory.
     */
    static byte[] readByTheEndpoint(Context ctx) {
        return ctx.attribute(READ) != null ? ctx.bodyAsBytes() : null;
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
            byte[] body = ctx.bodyAsBytes();
            ctx.attribute(READ, true);
            return body;
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
