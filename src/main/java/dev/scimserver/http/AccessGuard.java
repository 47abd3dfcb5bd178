package dev.scimserver.http;

import dev.scimserver.scim.ScimException;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What stands before every SCIM endpoint, in this order: the {@code SCIM_ENABLED} switch, the
 * failed-authentication throttle of the client's address, authentication, and the per-credential
 * request rate. The order matters: a throttled address learns nothing about its credentials, and
 * an unauthenticated request never spends a configured client's rate.
 */
final class AccessGuard {
    private static final Logger LOG = LoggerFactory.getLogger(AccessGuard.class);

    private final boolean enabled;
    private final Authenticator authenticator;
    private final RequestThrottle throttle;

    AccessGuard(boolean enabled, Authenticator authenticator, RequestThrottle throttle) {
        this.enabled = enabled;
        this.authenticator = authenticator;
        this.throttle = throttle;
    }

    void check(Context ctx) {
        if (!enabled) {
            throw ScimException.notFound("SCIM provisioning is disabled on this server (SCIM_ENABLED is not true)");
        }
        String address = ctx.ip();
        long authWait = throttle.secondsUntilAuthAllowed(address);
        if (authWait > 0) {
            throw tooManyRequests(ctx, authWait, "too many failed authentications from this address; retry later");
        }
        String header = ctx.header("Authorization");
        String credential = authenticator.credential(header);
        if (credential == null) {
            // A request without credentials guesses nothing, so it spends no attempt.
            if (header != null && !header.isBlank()) {
                throttle.recordAuthFailure(address);
                if (throttle.secondsUntilAuthAllowed(address) > 0) {
                    LOG.warn("failed authentications from {} exceed {} in a row; throttled", address,
                            RequestThrottle.AUTH_FAILURE_BURST);
                }
            }
            ctx.header("WWW-Authenticate", authenticator.challenge());
            throw ScimException.of(401, null, "authentication failed: send Basic credentials or a Bearer token");
        }
        long rateWait = throttle.takeRequest(credential);
        if (rateWait > 0) {
            throw tooManyRequests(ctx, rateWait, "request rate limit of this credential exceeded (SCIM_RATE_LIMIT); "
                    + "retry later");
        }
    }

    private static ScimException tooManyRequests(Context ctx, long seconds, String detail) {
        ctx.header("Retry-After", Long.toString(seconds));
        return ScimException.of(429, null, detail);
    }
}
