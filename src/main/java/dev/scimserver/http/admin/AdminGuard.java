package dev.scimserver.http.admin;

import dev.scimserver.access.AdminToken;
import dev.scimserver.access.IpLiteral;
import dev.scimserver.access.RequestThrottle;
import dev.scimserver.access.TrustedProxies;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.util.Collections;

/**
 * What stands before every administration path: the switch ({@code SCIM_ADMIN_TOKEN} unset: 404), then
 * an attempt taken from the client's address in the same failed-authentication throttle as the SCIM
 * side (one budget per address, whichever door it knocks on), then the token. An address out of
 * attempts gets 429 without its token being checked, as on the SCIM side.
 */
final class AdminGuard {
    private static final Logger LOG = LoggerFactory.getLogger(AdminGuard.class);

    private final AdminToken token;
    private final RequestThrottle throttle;
    private final TrustedProxies trustedProxies;

    AdminGuard(AdminToken token, RequestThrottle throttle, TrustedProxies trustedProxies) {
        this.token = token;
        this.throttle = throttle;
        this.trustedProxies = trustedProxies;
    }

    void check(Context ctx) {
        if (!token.enabled()) {
            throw Problem.of(404, "administration is off on this server (SCIM_ADMIN_TOKEN is not set)");
        }
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank()) {
            // A request without credentials guesses nothing, so it spends no attempt.
            throw unauthorized(ctx);
        }
        RequestThrottle.AuthAttempt attempt = throttle.takeAuthAttempt(clientAddress(ctx));
        if (!attempt.mayCheckCredentials()) {
            throw tooManyFailures(ctx, attempt);
        }
        if (!token.presentedBy(header)) {
            if (!attempt.taken()) {
                throw tooManyFailures(ctx, attempt);
            }
            if (throttle.exhausted(attempt)) {
                LOG.warn("failed authentications from {} exceed {}; throttled", attempt.clientKey(),
                        RequestThrottle.AUTH_FAILURE_BURST);
            }
            throw unauthorized(ctx);
        }
        throttle.authenticated(attempt);
    }

    private InetAddress clientAddress(Context ctx) {
        String peer = ctx.req().getRemoteAddr();
        // Jetty writes a link-local peer with its interface; the address is what the client is counted by.
        int zone = peer.indexOf('%');
        String address = zone < 0 ? peer : peer.substring(0, zone) + (peer.startsWith("[") ? "]" : "");
        InetAddress tcpPeer = IpLiteral.parse(address).orElseThrow(
                () -> new IllegalStateException("the TCP peer is not an IP address: " + peer));
        return trustedProxies.clientAddress(tcpPeer, Collections.list(ctx.req().getHeaders("X-Forwarded-For")));
    }

    private static Problem unauthorized(Context ctx) {
        ctx.header("WWW-Authenticate", "Bearer realm=\"SCIM administration\"");
        return Problem.of(401, "authentication failed: send Authorization: Bearer with the value of SCIM_ADMIN_TOKEN");
    }

    private static Problem tooManyFailures(Context ctx, RequestThrottle.AuthAttempt attempt) {
        ctx.header("Retry-After", Long.toString(attempt.secondsToWait()));
        return Problem.of(429, "too many failed authentications from this address; retry later");
    }
}
