package dev.scimserver.http.scim;

import dev.scimserver.access.BearerCredentials;
import dev.scimserver.access.Caller;
import dev.scimserver.access.CredentialKind;
import dev.scimserver.access.EnvironmentCredentials;
import dev.scimserver.access.LastUseRecorder;
import dev.scimserver.access.RequestThrottle;
import dev.scimserver.access.SecretFormat;
import dev.scimserver.access.TrustedProxies;
import dev.scimserver.directory.Actor;
import dev.scimserver.scim.ScimException;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * What stands before every SCIM endpoint, in this order: the {@code SCIM_ENABLED} switch, an
 * authentication attempt taken from the client's address, the credentials, and the per-credential
 * request rate. The order matters: an address out of attempts learns nothing about its
 * credentials (unless they have succeeded there before, see {@link RequestThrottle}), and an
 * unauthenticated request never spends a configured client's rate.
 *
 * <p>The credential decides the workspace, never a header or a parameter: the environment's
 * credentials act on the Default Workspace, a workspace's API token or an OAuth access token on
 * that workspace; an access token only at the SCIM base URL it was issued for. What passes is the
 * request's {@link Actor}.
 */
final class AccessGuard {
    private static final Logger LOG = LoggerFactory.getLogger(AccessGuard.class);

    private final boolean enabled;
    private final EnvironmentCredentials authenticator;
    private final LastUseRecorder lastUse;
    private final BearerCredentials bearers;
    private final Supplier<UUID> defaultWorkspace;
    private final RequestThrottle throttle;
    private final TrustedProxies trustedProxies;

    AccessGuard(boolean enabled, EnvironmentCredentials authenticator, LastUseRecorder lastUse,
                BearerCredentials bearers, Supplier<UUID> defaultWorkspace,
                RequestThrottle throttle, TrustedProxies trustedProxies) {
        this.enabled = enabled;
        this.authenticator = authenticator;
        this.lastUse = lastUse;
        this.bearers = bearers;
        this.defaultWorkspace = defaultWorkspace;
        this.throttle = throttle;
        this.trustedProxies = trustedProxies;
    }

    /**
     * The actor of a request that may pass, with the request's id, set on the request as soon as the
     * credential passed ({@link ScimApi#actsAs}); else the SCIM error that stops it.
     */
    void check(Context ctx, String requestId) {
        if (!enabled) {
            throw ScimException.notFound("SCIM provisioning is disabled on this server (SCIM_ENABLED is not true)");
        }
        if (AuthorizationHeaders.repeated(ctx)) {
            throw ScimException.of(400, null, "send one Authorization header, not several");
        }
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank()) {
            // A request without credentials guesses nothing, so it spends no attempt.
            throw unauthorized(ctx, false);
        }
        RequestThrottle.Verdict<Caller> verdict = throttle.authenticate(ClientAddress.client(ctx, trustedProxies), header,
                presented -> caller(ctx, presented), presented -> bearerToken(presented)
                        .filter(token -> bearers.isSignedAccessToken(token, ScimApi.urls(ctx))).isPresent(),
                caller -> caller.kind() != CredentialKind.OAUTH_CLIENT);
        if (verdict.throttled()) {
            throw tooManyRequests(ctx, verdict.retryAfterSeconds(),
                    "too many failed authentications from this address; retry later");
        }
        Caller caller = verdict.who().orElseThrow(() -> unauthorized(ctx, bearerToken(header).isPresent()));
        ScimApi.actsAs(ctx, new Actor(caller.workspaceId(), caller.journalName(), requestId,
                ctx.method().name() + " " + ctx.path()));
        long rateWait = throttle.takeRequest(caller.rateLimitKey());
        if (rateWait > 0) {
            throw tooManyRequests(ctx, rateWait, "request rate limit of this credential exceeded (SCIM_RATE_LIMIT); "
                    + "retry later");
        }
    }

    /**
     * The environment's credentials first (they are compared, not looked up), then a stored or issued
     * bearer token; the use of either is noted, as the stores note theirs.
     */
    private Optional<Caller> caller(Context ctx, String header) {
        String environment = authenticator.credential(header);
        if (environment != null) {
            lastUse.recordEnvironment(environment);
            return Optional.of(Caller.environment(defaultWorkspace.get(), environment));
        }
        return bearerToken(header).or(() -> bareApiToken(header))
                .flatMap(token -> bearers.authenticate(token, ScimApi.urls(ctx)));
    }

    /**
     * A workspace's API token sent as the whole header, without a scheme, as the environment's token
     * may be (ToolJet's way): an identity provider's "HTTP header" mode where the administrator pasted
     * the token alone sends it so, and moving such an application from the environment's token to a
     * workspace's must not fail at the first request. Only our own token format is taken bare; it is
     * checked, and counted by the throttle, as a bearer token is.
     */
    private static Optional<String> bareApiToken(String header) {
        String value = header.trim();
        return SecretFormat.API_TOKEN.fits(value) ? Optional.of(value) : Optional.empty();
    }

    /**
     * The 401 and its challenges. Workspaces' own tokens are bearer tokens, whatever the environment
     * configures, so Bearer is always offered, and always last: when the request presented a bearer
     * token, the parameter appended names it invalid (RFC 6750 §3.1); a request with no credentials
     * gets no error code.
     */
    private ScimException unauthorized(Context ctx, boolean bearerTokenFailed) {
        String challenge = authenticator.challenge();
        String challenges = authenticator.tokenEnabled() ? challenge
                : challenge.isEmpty() ? "Bearer realm=\"SCIM\"" : challenge + ", Bearer realm=\"SCIM\"";
        ctx.header("WWW-Authenticate", challenges + (bearerTokenFailed ? ", error=\"invalid_token\"" : ""));
        return ScimException.of(401, null, "authentication failed: send Basic credentials or a Bearer token");
    }

    /** The token the header presents under the Bearer scheme (in any case), else empty. */
    private static Optional<String> bearerToken(String header) {
        String value = header.trim();
        int space = value.indexOf(' ');
        if (space < 0 || !value.substring(0, space).equalsIgnoreCase("bearer")) {
            return Optional.empty();
        }
        String token = value.substring(space + 1).trim();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    private static ScimException tooManyRequests(Context ctx, long seconds, String detail) {
        ctx.header("Retry-After", Long.toString(seconds));
        return ScimException.of(429, null, detail);
    }
}
