package dev.scimserver.http.admin;

import dev.scimserver.access.AdminToken;
import dev.scimserver.access.RequestThrottle;
import dev.scimserver.access.TrustedProxies;
import dev.scimserver.http.scim.AuthorizationHeaders;
import io.javalin.http.Context;

import java.net.InetAddress;
import java.util.Collections;
import java.util.Optional;

/**
 * What stands before every administration path: the switch ({@code SCIM_ADMIN_TOKEN} unset: 404), then
 * an attempt taken from the client's address in the same failed-authentication throttle as the SCIM
 * side (one budget per address, whichever door it knocks on), then the token. An address out of
 * attempts gets 429 without its token being checked, as on the SCIM side.
 */
final class AdminGuard {
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
        if (AuthorizationHeaders.repeated(ctx)) {
            throw Problem.badRequest("send one Authorization header, not several");
        }
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank()) {
            // A request without credentials guesses nothing, so it spends no attempt.
            throw unauthorized(ctx);
        }
        InetAddress client = trustedProxies.clientAddress(ctx.req().getRemoteAddr(),
                Collections.list(ctx.req().getHeaders("X-Forwarded-For")));
        RequestThrottle.Verdict<Boolean> verdict = throttle.authenticate(client, header,
                presented -> token.presentedBy(presented) ? Optional.of(Boolean.TRUE) : Optional.empty());
        if (verdict.throttled()) {
            ctx.header("Retry-After", Long.toString(verdict.retryAfterSeconds()));
            throw Problem.of(429, "too many failed authentications from this address; retry later");
        }
        if (verdict.who().isEmpty()) {
            throw unauthorized(ctx);
        }
    }

    private static Problem unauthorized(Context ctx) {
        ctx.header("WWW-Authenticate", "Bearer realm=\"SCIM administration\"");
        return Problem.of(401, "authentication failed: send Authorization: Bearer with the value of SCIM_ADMIN_TOKEN");
    }
}
