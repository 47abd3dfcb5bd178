package dev.scimserver.http.scim;

import dev.scimserver.access.AuthorizationServerMetadata;
import dev.scimserver.access.AuthorizationServerUrls;
import dev.scimserver.access.OAuthException;
import dev.scimserver.access.PublicUrls;
import dev.scimserver.access.SigningKeys;
import dev.scimserver.access.TokenEndpoint;
import dev.scimserver.access.TokenResponse;
import dev.scimserver.access.TrustedProxies;
import dev.scimserver.scim.ScimException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The OAuth 2.0 authorization server beside the SCIM API: the token endpoint of the
 * client-credentials grant (RFC 6749 §3.2, §4.4), its metadata (RFC 8414) and its public keys (a
 * JWK Set, RFC 7517). They lie outside the SCIM base path, so the SCIM guard does not run here: the
 * token endpoint authenticates clients itself, behind the same failed-authentication throttle.
 *
 * <p>When {@code SCIM_ENABLED} is not true all three answer 404, as the SCIM endpoints do: a token
 * would open nothing, and a server switched off should not let anyone try client secrets, nor
 * advertise an authorization server that serves no resource.
 */
final class OAuthEndpoints {
    private static final String JSON = "application/json;charset=UTF-8";
    private static final String FORM = "application/x-www-form-urlencoded";
    /** Far above any token request (a grant type, a scope, an id and a secret). */
    private static final int MAX_FORM_BYTES = 16 * 1024;
    private static final String OAUTH_ERROR = "oauth.error";
    private static final String FORM_BODY = "oauth.form-body";

    private final boolean enabled;
    private final TokenEndpoint tokens;
    private final SigningKeys keys;
    private final PublicUrls publicUrls;
    private final TrustedProxies trustedProxies;

    OAuthEndpoints(boolean enabled, TokenEndpoint tokens, SigningKeys keys, PublicUrls publicUrls,
                   TrustedProxies trustedProxies) {
        this.enabled = enabled;
        this.tokens = tokens;
        this.keys = keys;
        this.publicUrls = publicUrls;
        this.trustedProxies = trustedProxies;
    }

    void register(RoutesConfig routes) {
        routes.post(AuthorizationServerUrls.TOKEN_PATH, this::token);
        for (HandlerType method : new HandlerType[] {HandlerType.GET, HandlerType.HEAD, HandlerType.OPTIONS,
                HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE}) {
            routes.addHttpHandler(method, AuthorizationServerUrls.TOKEN_PATH, this::notPost);
        }
        routes.get(AuthorizationServerUrls.METADATA_PATH, this::metadata);
        routes.get(AuthorizationServerUrls.JWKS_PATH, this::jwks);
    }

    private void token(Context ctx) {
        requireEnabled();
        try {
            if (AuthorizationHeaders.repeated(ctx)) {
                throw OAuthException.invalidRequest("send one Authorization header, not several");
            }
            TokenResponse response = tokens.exchange(ctx.header("Authorization"), form(ctx), ScimApi.urls(ctx),
                    ClientAddress.client(ctx, trustedProxies));
            RequestObservation.authenticatedAtTokenEndpoint(ctx, response.issuedTo());
            noStore(ctx).status(200).contentType(JSON).result(response.json());
        } catch (OAuthException e) {
            e.authenticatedClient().ifPresent(client -> RequestObservation.authenticatedAtTokenEndpoint(ctx, client));
            writeError(ctx, e.status(), e);
        }
    }

    /** The database is out: the token endpoint's clients read RFC 6749's errors, not SCIM's. */
    static void databaseUnavailable(Context ctx) {
        writeError(ctx, 503, OAuthException.databaseUnavailable());
    }

    /** RFC 6749 §3.2: the client MUST use POST; the answer is the method's 405 with the body of §5.2. */
    private void notPost(Context ctx) {
        requireEnabled();
        ctx.header("Allow", "POST");
        writeError(ctx, 405, OAuthException.invalidRequest("the token endpoint takes POST only"));
    }

    private void metadata(Context ctx) {
        requireEnabled();
        if (publicUrls.isPerRequest()) {
            // It names the host this request reached: a shared cache must not hand it to another.
            noStore(ctx);
        }
        ctx.contentType(JSON).result(AuthorizationServerMetadata.json(ScimApi.urls(ctx)));
    }

    private void jwks(Context ctx) {
        requireEnabled();
        ctx.contentType(JSON).result(keys.jwksJson());
    }

    private void requireEnabled() {
        if (!enabled) {
            throw ScimException.notFound("SCIM provisioning is disabled on this server (SCIM_ENABLED is not true), "
                    + "and with it the token endpoint");
        }
    }

    /**
     * The body's parameters (RFC 6749 Appendix B): {@code application/x-www-form-urlencoded} in UTF-8,
     * never the query string, where a secret would end up in access logs (§2.3.1).
     */
    private static Map<String, List<String>> form(Context ctx) {
        // The header as sent: Context.contentType() parses the charset, and an unknown one would throw.
        String type = Objects.requireNonNullElse(ctx.header("Content-Type"), "").toLowerCase(Locale.ROOT);
        int parameters = type.indexOf(';');
        if (!(parameters < 0 ? type : type.substring(0, parameters)).trim().equals(FORM)) {
            throw OAuthException.invalidRequest("the body must be application/x-www-form-urlencoded");
        }
        if (RequestBodies.declaredOver(ctx, MAX_FORM_BYTES)) {
            throw OAuthException.invalidRequest("the body is too large for a token request");
        }
        // Keep no more than the limit allows: a chunked body declares no length, and anyone may send
        // one here before any secret is checked, so keeping it whole would let every stalled
        // connection hold megabytes. (A declared one over the limit was refused above.)
        byte[] body;
        try {
            body = ctx.bodyInputStream().readNBytes(MAX_FORM_BYTES + 1);
        } catch (IOException e) {
            throw OAuthException.invalidRequest("the body could not be read");
        }
        if (body.length > MAX_FORM_BYTES) {
            throw OAuthException.invalidRequest("the body is too large for a token request");
        }
        ctx.attribute(FORM_BODY, body);
        return decode(new String(body, StandardCharsets.UTF_8));
    }

    /** The body of a token request as the endpoint read it; null when it refused the request before or instead. */
    static byte[] formBody(Context ctx) {
        return ctx.attribute(FORM_BODY);
    }

    private static Map<String, List<String>> decode(String body) {
        Map<String, List<String>> form = new HashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decoded(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decoded(pair.substring(equals + 1));
            form.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return form;
    }

    private static String decoded(String encoded) {
        try {
            String text = URLDecoder.decode(encoded, StandardCharsets.UTF_8);
            if (text.indexOf('\0') >= 0) {
                // No id or secret holds one, and PostgreSQL text cannot.
                throw OAuthException.invalidRequest("the body holds a NUL character");
            }
            return text;
        } catch (IllegalArgumentException e) {
            throw OAuthException.invalidRequest("the body is not form-urlencoded");
        }
    }

    /** RFC 6749 §5.1, §5.2: token responses and their errors are never stored by a cache. */
    private static Context noStore(Context ctx) {
        return ctx.header("Cache-Control", "no-store").header("Pragma", "no-cache");
    }

    private static void writeError(Context ctx, int status, OAuthException e) {
        RequestObservation.failed(ctx, e.error().code(), e.description());
        e.wwwAuthenticate().ifPresent(challenge -> ctx.header("WWW-Authenticate", challenge));
        e.retryAfterSeconds().ifPresent(seconds -> ctx.header("Retry-After", Long.toString(seconds)));
        ctx.attribute(OAUTH_ERROR, Boolean.TRUE);
        noStore(ctx).status(status).contentType(JSON).result(e.json());
    }

    /** Whether the response is an RFC 6749 error of ours, which the framework's error pages must leave alone. */
    static boolean answered(Context ctx) {
        return ctx.attribute(OAUTH_ERROR) != null;
    }
}
