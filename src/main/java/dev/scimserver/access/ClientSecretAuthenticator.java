package dev.scimserver.access;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * Authenticates an OAuth client at the token endpoint from {@code client_secret_basic} (HTTP Basic,
 * its id and secret each form-urlencoded first, RFC 6749 §2.3.1) or {@code client_secret_post}
 * ({@code client_id} and {@code client_secret} in the body). A request using both is
 * {@code invalid_request} (§2.3: one method per request). An unknown client, a wrong secret, an
 * expired one, a malformed Basic header and a request with no client authentication at all get the
 * same {@code invalid_client}.
 */
public final class ClientSecretAuthenticator {
    private final OAuthClientStore store;
    private final LastUseRecorder lastUse;
    private final Clock clock;

    public ClientSecretAuthenticator(OAuthClientStore store, LastUseRecorder lastUse, Clock clock) {
        this.store = store;
        this.lastUse = lastUse;
        this.clock = clock;
    }

    /** The client id and secret a request presents, decoded, and how it presented them. */
    public record Presented(String clientId, String secret, AuthenticatedClient.Method method) {
        /**
         * The credential as the throttle remembers a success by: the decoded pair, so that the
         * endless %-escaped spellings of one id and secret are one credential. The id's length comes
         * first, as an id may hold the colon.
         */
        String rememberedAs() {
            return "client " + clientId.length() + ":" + clientId + secret;
        }
    }

    /** The client the request authenticates, or {@link OAuthException}. */
    public AuthenticatedClient authenticate(Presented presented) {
        OAuthClient client = store.findClient(presented.clientId()).orElseThrow(OAuthException::invalidClient);
        SecretHash hash = SecretHash.of(presented.secret());
        Instant now = clock.instant();
        StoredClientSecret matched = null;
        // Every secret is compared, in constant time each, so the time taken says nothing about which one matched.
        for (StoredClientSecret secret : store.secretDigestsOf(client.id())) {
            if (secret.hash().equals(hash) && secret.isActiveAt(now)) {
                matched = secret;
            }
        }
        if (matched == null) {
            throw OAuthException.invalidClient();
        }
        lastUse.record(CredentialKind.CLIENT_SECRET, matched.id());
        return new AuthenticatedClient(client, matched.id(), matched.expiresAt(), presented.method());
    }

    /**
     * What the request presents, or {@link OAuthException} for a request malformed before any secret
     * could be compared. {@code authorization} is the request's {@code Authorization} header,
     * {@code null} when it has none.
     */
    public static Presented presented(String authorization, TokenRequestForm form) {
        Presented presented = presentedAsSent(authorization, form);
        if (presented.clientId().indexOf('\0') >= 0) {
            // No client has one, and PostgreSQL text cannot hold it: no lookup.
            throw OAuthException.invalidClient();
        }
        return presented;
    }

    private static Presented presentedAsSent(String authorization, TokenRequestForm form) {
        Optional<String> postedId = form.single("client_id");
        Optional<String> postedSecret = form.single("client_secret");
        if (authorization != null && !authorization.isBlank()) {
            if (postedSecret.isPresent()) {
                throw OAuthException.invalidRequest("use one client authentication method, not both");
            }
            Presented basic = basic(authorization);
            if (postedId.isPresent() && !postedId.get().equals(basic.clientId())) {
                throw OAuthException.invalidRequest("client_id differs from the client authenticated");
            }
            return basic;
        }
        if (postedSecret.isEmpty()) {
            throw OAuthException.invalidClient();
        }
        String clientId = postedId.orElseThrow(() -> OAuthException.invalidRequest("client_secret without client_id"));
        return new Presented(clientId, postedSecret.get(), AuthenticatedClient.Method.CLIENT_SECRET_POST);
    }

    /** {@code Basic base64(urlencode(id) ":" urlencode(secret))}; anything else is a failed authentication. */
    private static Presented basic(String authorization) {
        String value = authorization.trim();
        int space = value.indexOf(' ');
        if (space < 0 || !value.substring(0, space).toLowerCase(Locale.ROOT).equals("basic")) {
            throw OAuthException.invalidClient();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(value.substring(space + 1).trim()),
                    StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw OAuthException.invalidClient();
            }
            String clientId = URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8);
            String secret = URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8);
            if (clientId.isEmpty() || secret.isEmpty()) {
                throw OAuthException.invalidClient();
            }
            return new Presented(clientId, secret, AuthenticatedClient.Method.CLIENT_SECRET_BASIC);
        } catch (IllegalArgumentException e) {
            // Not base64, or a broken %-escape.
            throw OAuthException.invalidClient();
        }
    }
}
