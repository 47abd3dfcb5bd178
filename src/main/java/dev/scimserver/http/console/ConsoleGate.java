package dev.scimserver.http.console;

import dev.scimserver.access.AuthorizationServerUrls;
import dev.scimserver.access.PublicUrls;
import dev.scimserver.access.TrustedProxies;
import dev.scimserver.scim.LoopbackHosts;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * What every console request passes: the security headers, then, but for the sign-in page and the
 * assets, a live session, and for every POST the session's CSRF token in the form and, when the
 * browser names it, an {@code Origin} that is this server's own. A page asked for without a session
 * is redirected to the sign-in page; anything else without one is refused 401.
 */
final class ConsoleGate {
    static final String COOKIE = "scim_console";
    static final String CSRF_FIELD = "csrf";
    private static final String SESSION = "console.session";
    private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private final ConsoleSessions sessions;
    private final PublicUrls publicUrls;

    ConsoleGate(ConsoleSessions sessions, PublicUrls publicUrls) {
        this.sessions = sessions;
        this.publicUrls = publicUrls;
    }

    static void securityHeaders(Context ctx) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("Cross-Origin-Opener-Policy", "same-origin");
        ctx.header("Cache-Control", "no-store");
    }

    /**
     * Lets the request on with its session, or answers it (redirect, 401) and says so with {@code false}.
     * Reads no body: a form is read only once its sender is known ({@link #sentByOurPage}).
     */
    boolean admit(Context ctx) {
        Optional<ConsoleSessions.Session> session = sessions.find(ctx.cookie(COOKIE));
        if (session.isEmpty()) {
            boolean htmx = "true".equals(ctx.header("HX-Request"));
            if (!htmx && (ctx.method() == HandlerType.GET || ctx.method() == HandlerType.HEAD)) {
                ctx.redirect(ConsoleApp.LOGIN_PATH, HttpStatus.SEE_OTHER);
            } else {
                if (htmx) {
                    // A search typed after the session ended: htmx would follow a redirect inside the page
                    // and find no results in the sign-in form, emptying the list without a word.
                    // HX-Redirect has it load the sign-in page as a whole instead.
                    ctx.header("HX-Redirect", ConsoleApp.LOGIN_PATH);
                }
                if (ctx.method() == HandlerType.POST) {
                    // The form's body stays unread, so the connection ends with this answer.
                    ctx.header("Connection", "close");
                }
                Pages.error(ctx, 401, "Signed out", "Your session has ended or never began: sign in again.");
            }
            return false;
        }
        ctx.attribute(SESSION, session.get());
        return true;
    }

    /**
     * Whether a POST of an {@linkplain #admit admitted} session came from this console's page (its
     * origin and the session's CSRF token); answers 403 and says {@code false} when not.
     */
    boolean sentByOurPage(Context ctx) {
        if (ctx.method() == HandlerType.POST && !(sameOrigin(ctx) && sameToken(ctx.formParam(CSRF_FIELD),
                session(ctx).csrfToken))) {
            Pages.error(ctx, 403, "Refused", "This form was not sent by this console's page: reload the page and "
                    + "try again.");
            return false;
        }
        return true;
    }

    /** The session {@link #admit} found for this request. */
    static ConsoleSessions.Session session(Context ctx) {
        ConsoleSessions.Session session = sessionIfAny(ctx);
        if (session == null) {
            throw new IllegalStateException("a console page ran without a session: " + ctx.path());
        }
        return session;
    }

    /** The session {@link #admit} found, or {@code null} before it ran or when it found none. */
    static ConsoleSessions.Session sessionIfAny(Context ctx) {
        return ctx.attribute(SESSION);
    }

    /**
     * A browser names the origin of the page a POST comes from; when it does, it must be ours. An opaque
     * {@code Origin: null} is refused: a sandboxed frame or a data: URL of another site sends it, and our
     * own pages never do, as {@code Referrer-Policy: same-origin} keeps the origin on same-origin POSTs
     * (under {@code no-referrer} the Fetch standard has the browser send {@code null} for them).
     *
     * <p>Ours is the public origin (SCIM_PUBLIC_URL, or a trusted proxy's forwarded host), and also a
     * loopback origin the request itself was sent to: an operator who opens the console through a
     * tunnel to localhost is on our page. Any other name the request was sent to is not trusted: a
     * page of another site whose name an attacker points at this server (DNS rebinding) sends its own
     * name as both Host and Origin. A default port written out is the same origin.
     */
    boolean sameOrigin(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin == null) {
            return true;
        }
        String presented = AuthorizationServerUrls.normalisedOrigin(origin);
        String own = AuthorizationServerUrls.normalisedOrigin(ctx.scheme() + "://" + ctx.host());
        return presented.equals(urls(ctx).issuer()) || (presented.equals(own) && isLoopback(own));
    }

    /** {@code localhost}, {@code 127.x.y.z} or {@code [::1]}, with any port: names no other site can take. */
    private static boolean isLoopback(String origin) {
        String host = origin.substring(origin.indexOf("://") + 3);
        host = host.startsWith("[") ? host.substring(0, host.indexOf(']') + 1)
                : host.contains(":") ? host.substring(0, host.indexOf(':')) : host;
        return LoopbackHosts.isLoopback(host);
    }

    static boolean sameToken(String presented, String expected) {
        return presented != null && MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
    }

    void startSession(Context ctx, ConsoleSessions.Session session) {
        ctx.res().addHeader("Set-Cookie", cookie(ctx, COOKIE, session.id, null));
    }

    void endSession(Context ctx) {
        sessions.close(ctx.cookie(COOKIE));
        ctx.res().addHeader("Set-Cookie", cookie(ctx, COOKIE, "", 0));
    }

    /**
     * HttpOnly (no script reads it), SameSite=Strict (no other site's page sends it), Path=/admin, and
     * Secure whenever the browser reached us over HTTPS, a trusted proxy's forwarded scheme included.
     */
    String cookie(Context ctx, String name, String value, Integer maxAgeSeconds) {
        return name + "=" + value + "; Path=" + ConsoleApp.PATH_PREFIX + "; HttpOnly; SameSite=Strict"
                + (maxAgeSeconds == null ? "" : "; Max-Age=" + maxAgeSeconds)
                + (urls(ctx).issuer().startsWith("https:") ? "; Secure" : "");
    }

    /** Where the browser reached us: the SCIM base URL and token endpoint to paste into an IdP, and the origin. */
    AuthorizationServerUrls urls(Context ctx) {
        return publicUrls.reachedAt(TrustedProxies.peer(ctx.req().getRemoteAddr()), ctx.scheme(), ctx.host(),
                ctx.header("X-Forwarded-Proto"), ctx.header("X-Forwarded-Host"));
    }
}
