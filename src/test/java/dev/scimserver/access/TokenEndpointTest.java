package dev.scimserver.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The client-credentials grant end to end without HTTP: client authentication first, then grant
 * type and scope (RFC 6749 §4.4, §5.1, §5.2), and the access token then opens the client's
 * workspace through {@link BearerAuthentication} until the client is deleted.
 */
class TokenEndpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AuthorizationServerUrls URLS =
            AuthorizationServerUrls.of(URI.create("https://scim.example.com:8443/"), "/api/scim/v2");
    private static final InetAddress CLIENT = IpLiteral.parse("192.0.2.44").orElseThrow();

    private final MutableClock clock = MutableClock.atNow();
    private final InMemoryCredentials store = new InMemoryCredentials();
    private final LastUseRecorder lastUse = new LastUseRecorder(store, clock);
    private final SigningKeys keys = new SigningKeys(new InMemorySigningKeys(), Duration.ofHours(1), clock);
    private final RequestThrottle throttle = new RequestThrottle(0, () -> 0L);
    private final TokenEndpoint endpoint = new TokenEndpoint(new ClientSecretAuthenticator(store, lastUse, clock),
            new ClientCredentialsGrant(new AccessTokenIssuer(keys, clock)), throttle);
    private final CredentialCache cache = new CredentialCache(store, store, lastUse, clock);
    private final BearerAuthentication bearer = new BearerAuthentication(cache,
            new AccessTokenVerifier(keys, clock));
    private final UUID workspace = UUID.randomUUID();
    private final NewOAuthClient client = new OAuthClients(store, clock).register(workspace, "Okta", null);

    TokenEndpointTest() {
        keys.ensureActiveKey();
    }

    @Test
    void aClientGetsABearerTokenThatOpensItsWorkspace() throws Exception {
        TokenResponse response = endpoint.exchange(null, form("grant_type", "client_credentials",
                "client_id", client.client().clientId(), "client_secret", client.secret().value()), URLS, CLIENT);
        JsonNode body = JSON.readTree(response.json());
        assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.get("expires_in").asLong()).isEqualTo(3600);
        assertThat(body.get("scope").asText()).isEqualTo("scim");
        assertThat(body.has("refresh_token")).isFalse();
        assertThat(response.toString()).doesNotContain(response.accessToken());

        assertThat(bearer.authenticate(body.get("access_token").asText(), URLS)).contains(
                new Caller(workspace, CredentialKind.OAUTH_CLIENT, client.client().id(), "Okta"));
        new OAuthClients(store, clock).delete(workspace, client.client().id());
        clock.advance(CredentialCache.MAX_STALENESS);
        assertThat(bearer.authenticate(response.accessToken(), URLS)).as("client deleted").isEmpty();
    }

    @Test
    void theScopeIfGivenMustBeScim() {
        assertThat(exchange("grant_type", "client_credentials", "scope", "scim").scope()).isEqualTo("scim");
        assertThat(exchange("grant_type", "client_credentials", "scope", "").scope()).as("empty counts as omitted")
                .isEqualTo("scim");
        assertError(OAuthError.INVALID_SCOPE, "grant_type", "client_credentials", "scope", "scim admin");
        assertError(OAuthError.INVALID_SCOPE, "grant_type", "client_credentials", "scope", "scim ");
        assertError(OAuthError.INVALID_SCOPE, "grant_type", "client_credentials", "scope", "openid");
    }

    @Test
    void theGrantTypeMustBeClientCredentials() {
        assertError(OAuthError.INVALID_REQUEST);
        assertError(OAuthError.UNSUPPORTED_GRANT_TYPE, "grant_type", "password");
        assertError(OAuthError.UNSUPPORTED_GRANT_TYPE, "grant_type", "authorization_code");
    }

    @Test
    void aClientThatFailsAuthenticationLearnsNothingAboutItsGrant() {
        assertThatThrownBy(() -> endpoint.exchange(null, form("grant_type", "password",
                "client_id", client.client().clientId(), "client_secret", "wrong"), URLS, CLIENT))
                .isInstanceOfSatisfying(OAuthException.class,
                        e -> assertThat(e.error()).isEqualTo(OAuthError.INVALID_CLIENT));
    }

    @Test
    void aWrongSecretSpendsAnAttemptOfTheAddressAndARightOneGivesItsBack() {
        for (int i = 0; i < RequestThrottle.AUTH_FAILURE_BURST; i++) {
            assertThat(refusal(wrongSecret()).error()).isEqualTo(OAuthError.INVALID_CLIENT);
            assertThat(exchange("grant_type", "client_credentials").scope()).as("a success spends nothing")
                    .isEqualTo("scim");
        }
        OAuthException throttled = refusal(wrongSecret());
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.error()).isEqualTo(OAuthError.TEMPORARILY_UNAVAILABLE);
        assertThat(throttled.retryAfterSeconds()).hasValueSatisfying(s -> assertThat(s).isPositive());
        assertThat(throttled.wwwAuthenticate()).isEmpty();
        // Right secrets have succeeded at this address before: they still pass, as at the SCIM endpoints.
        assertThat(exchange("grant_type", "client_credentials").scope()).isEqualTo("scim");
        assertThat(throttle.takeAuthAttempt(CLIENT, "Basic guess").taken()).as("the SCIM guard's attempts are the same").isFalse();
    }

    @Test
    void aThrottledAddressThatNeverAuthenticatedHasItsSecretsLeftUnchecked() {
        for (int i = 0; i < RequestThrottle.AUTH_FAILURE_BURST; i++) {
            refusal(wrongSecret());
        }
        assertThat(refusal(() -> exchange("grant_type", "client_credentials")).status()).isEqualTo(429);
    }

    @Test
    void aRequestWithoutClientAuthenticationSpendsNothing() {
        for (int i = 0; i < RequestThrottle.AUTH_FAILURE_BURST + 5; i++) {
            assertThat(refusal(() -> endpoint.exchange(null, form("grant_type", "client_credentials"), URLS, CLIENT))
                    .error()).isEqualTo(OAuthError.INVALID_CLIENT);
        }
        assertThat(throttle.takeAuthAttempt(CLIENT, "Basic guess").taken()).isTrue();
    }

    @Test
    void aRequestMalformedBeforeAnySecretIsComparedSpendsNothing() {
        // A client configured with both methods, or a secret without its id, guesses no secret: it is
        // told what is wrong however often it asks, and its address keeps every attempt.
        for (int i = 0; i < RequestThrottle.AUTH_FAILURE_BURST + 5; i++) {
            assertThat(refusal(() -> endpoint.exchange(null, form("grant_type", "client_credentials",
                    "client_secret", "whatever"), URLS, CLIENT)).error()).isEqualTo(OAuthError.INVALID_REQUEST);
            assertThat(refusal(() -> endpoint.exchange(basic(), form("grant_type", "client_credentials",
                    "client_id", client.client().clientId(), "client_secret", "again"), URLS, CLIENT)).error())
                    .isEqualTo(OAuthError.INVALID_REQUEST);
        }
        for (String header : new String[] {"Basic bm9jb2xvbg==", "Bearer not-a-client", "Basic !!!", "Basic Og==",
            "Basic"}) {
            for (int i = 0; i < RequestThrottle.AUTH_FAILURE_BURST + 5; i++) {
                assertThat(refusal(() -> endpoint.exchange(header, form("grant_type", "client_credentials"), URLS,
                        CLIENT)).error()).as(header).isEqualTo(OAuthError.INVALID_CLIENT);
            }
        }
        assertThat(throttle.takeAuthAttempt(CLIENT, "Basic guess").taken()).isTrue();
    }

    /**
     * Basic's id and secret are form-urlencoded first (RFC 6749 §2.3.1), so one credential has endless
     * spellings: a success is remembered as the decoded pair, one entry whatever the spelling, and so
     * passes at a throttled address however it is spelt next.
     */
    @Test
    void aSecretSucceedsAtAThrottledAddressHoweverItsEscapesAreSpelt() {
        String id = client.client().clientId();
        String secret = client.secret().value();
        assertThat(endpoint.exchange(basic(id, secret), form("grant_type", "client_credentials"), URLS, CLIENT)
                .scope()).isEqualTo("scim");
        for (int i = 0; i < RequestThrottle.AUTH_FAILURE_BURST; i++) {
            refusal(wrongSecret());
        }
        String escapedId = "%" + Integer.toHexString(id.charAt(0)).toUpperCase(java.util.Locale.ROOT) + id.substring(1);
        String escapedSecret = secret.substring(0, 1) + "%" + Integer.toHexString(secret.charAt(1)) + secret.substring(2);
        assertThat(endpoint.exchange(basic(escapedId, escapedSecret), form("grant_type", "client_credentials"), URLS,
                CLIENT).scope()).isEqualTo("scim");
        assertThat(endpoint.exchange(null, form("grant_type", "client_credentials", "client_id", id,
                "client_secret", secret), URLS, CLIENT).scope()).as("the same pair sent in the body").isEqualTo("scim");
    }

    @Test
    void theTokenNamesTheUrlItWasAskedAt() throws Exception {
        AuthorizationServerUrls internal = AuthorizationServerUrls.of(URI.create("http://internal:8080"), "/api/scim/v2");
        TokenResponse response = endpoint.exchange(basic(), form("grant_type", "client_credentials"), internal, CLIENT);
        assertThat(bearer.authenticate(response.accessToken(), internal)).isPresent();
        assertThat(bearer.authenticate(response.accessToken(), URLS)).isEmpty();
    }

    @Test
    void errorsAreRfc6749Json() throws Exception {
        try {
            exchange("grant_type", "password");
        } catch (OAuthException e) {
            assertThat(e.status()).isEqualTo(400);
            JsonNode body = JSON.readTree(e.json());
            assertThat(body.get("error").asText()).isEqualTo("unsupported_grant_type");
            assertThat(body.get("error_description").asText()).matches("[\\x20-\\x21\\x23-\\x5B\\x5D-\\x7E]+");
            return;
        }
        throw new AssertionError("expected unsupported_grant_type");
    }

    @Test
    void theMetadataSaysWhatTheServerDoes() throws Exception {
        JsonNode metadata = JSON.readTree(AuthorizationServerMetadata.json(URLS));
        assertThat(metadata.get("issuer").asText()).isEqualTo("https://scim.example.com:8443");
        assertThat(metadata.get("token_endpoint").asText()).isEqualTo("https://scim.example.com:8443/oauth2/token");
        assertThat(metadata.get("jwks_uri").asText()).isEqualTo("https://scim.example.com:8443/oauth2/jwks");
        assertThat(metadata.get("token_endpoint_auth_methods_supported")).extracting(JsonNode::asText)
                .containsExactly("client_secret_basic", "client_secret_post");
        assertThat(metadata.get("grant_types_supported")).extracting(JsonNode::asText)
                .containsExactly("client_credentials");
        assertThat(metadata.get("response_types_supported")).isEmpty();
        assertThat(metadata.get("scopes_supported")).extracting(JsonNode::asText).containsExactly("scim");
        assertThat(URLS.scimAudience()).isEqualTo("https://scim.example.com:8443/api/scim/v2");
    }

    @Test
    void thePublicUrlIsAnOrigin() {
        for (String url : List.of("ftp://x", "https://x/path", "https://x?q", "https://u@x", "https://x#f", "x")) {
            assertThatThrownBy(() -> AuthorizationServerUrls.of(URI.create(url), "/api/scim/v2"))
                    .as(url).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(AuthorizationServerUrls.of(URI.create("HTTP://LocalHost:8080"), "/api/scim/v2").issuer())
                .isEqualTo("http://localhost:8080");
    }

    /**
     * RFC 8414 §3.3: a client compares the metadata's issuer with the one it was given, as strings, and
     * an origin is written without its scheme's default port (RFC 6454 §6.2): a port written out in
     * SCIM_PUBLIC_URL must not make the issuer, the tokens' iss and aud, another string.
     */
    @Test
    void aDefaultPortWrittenOutIsNotPartOfTheIssuer() {
        assertThat(AuthorizationServerUrls.of(URI.create("https://Scim.Example.com:443/"), "/api/scim/v2"))
                .isEqualTo(AuthorizationServerUrls.of(URI.create("https://scim.example.com"), "/api/scim/v2"));
        assertThat(AuthorizationServerUrls.of(URI.create("http://scim.example.com:80"), "/api/scim/v2").issuer())
                .isEqualTo("http://scim.example.com");
        assertThat(AuthorizationServerUrls.of(URI.create("https://scim.example.com:80"), "/api/scim/v2").issuer())
                .as("not https's default").isEqualTo("https://scim.example.com:80");
        assertThat(AuthorizationServerUrls.of(URI.create("https://[2001:db8::443]"), "/api/scim/v2").issuer())
                .as("an address's last group is no port").isEqualTo("https://[2001:db8::443]");
    }

    private TokenResponse exchange(String... namesAndValues) {
        return endpoint.exchange(basic(), form(namesAndValues), URLS, CLIENT);
    }

    private Runnable wrongSecret() {
        return () -> endpoint.exchange(null, form("grant_type", "client_credentials",
                "client_id", client.client().clientId(), "client_secret", "wrong"), URLS, CLIENT);
    }

    private static OAuthException refusal(Runnable request) {
        try {
            request.run();
        } catch (OAuthException e) {
            return e;
        }
        throw new AssertionError("expected the request to be refused");
    }

    private void assertError(OAuthError error, String... namesAndValues) {
        assertThatThrownBy(() -> exchange(namesAndValues)).isInstanceOfSatisfying(OAuthException.class,
                e -> assertThat(e.error()).isEqualTo(error));
    }

    private String basic() {
        return basic(client.client().clientId(), client.secret().value());
    }

    private static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes());
    }

    private static Map<String, List<String>> form(String... namesAndValues) {
        return Forms.of(namesAndValues);
    }
}
