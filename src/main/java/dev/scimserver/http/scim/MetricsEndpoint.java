package dev.scimserver.http.scim;

import dev.scimserver.access.AdminToken;
import dev.scimserver.access.RequestThrottle;
import dev.scimserver.access.TrustedProxies;
import dev.scimserver.activity.RequestTarget;
import dev.scimserver.scim.ScimException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code GET /metrics}: the server's metrics in the Prometheus text format. Open unless
 * {@code SCIM_METRICS_TOKEN} is set; then only {@code Authorization: Bearer <token>} opens it, and a
 * wrong token spends an attempt of the failed-authentication throttle every other door counts in.
 */
final class MetricsEndpoint {
    static final String PATH = "/metrics";
    /** The Prometheus text exposition format, version 0.0.4. */
    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final Supplier<String> metrics;
    private final AdminToken token;
    private final RequestThrottle throttle;
    private final TrustedProxies trustedProxies;

    MetricsEndpoint(Supplier<String> metrics, AdminToken token, RequestThrottle throttle,
                    TrustedProxies trustedProxies) {
        this.metrics = metrics;
        this.token = token;
        this.throttle = throttle;
        this.trustedProxies = trustedProxies;
    }

    void register(RoutesConfig routes) {
        routes.get(PATH, this::scrape);
    }

    /** Whether the path is the scrape's, as the router matches it. */
    static boolean isMetricsPath(String path) {
        return RequestTarget.isRoute(path, PATH);
    }

    private void scrape(Context ctx) {
        if (token.enabled()) {
            check(ctx);
        }
        ctx.status(200).contentType(CONTENT_TYPE).header("Cache-Control", "no-store").result(metrics.get());
    }

    private void check(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank()) {
            throw unauthorized(ctx);
        }
        RequestThrottle.Verdict<Boolean> verdict = throttle.authenticate(ClientAddress.client(ctx, trustedProxies),
                header, presented -> token.presentedBy(presented) ? Optional.of(Boolean.TRUE) : Optional.empty());
        if (verdict.throttled()) {
            ctx.header("Retry-After", Long.toString(verdict.retryAfterSeconds()));
            throw ScimException.of(429, null, "too many failed authentications from this address; retry later");
        }
        if (verdict.who().isEmpty()) {
            throw unauthorized(ctx);
        }
    }

    private static ScimException unauthorized(Context ctx) {
        ctx.header("WWW-Authenticate", "Bearer realm=\"metrics\"");
        return ScimException.of(401, null, "authentication failed: send Authorization: Bearer with the value of "
                + "SCIM_METRICS_TOKEN");
    }
}
