package dev.scimserver.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.scimserver.access.AccessTokenIssuer;
import dev.scimserver.access.AuthorizationServerUrls;
import dev.scimserver.access.ClientCredentialsGrant;
import dev.scimserver.access.ClientSecretAuthenticator;
import dev.scimserver.access.LastUseRecorder;
import dev.scimserver.access.MutableClock;
import dev.scimserver.access.RequestThrottle;
import dev.scimserver.access.SigningKeys;
import dev.scimserver.access.TokenEndpoint;
import dev.scimserver.app.WorkspaceFixtures.TestWorkspace;
import dev.scimserver.http.scim.ScimApi;
import dev.scimserver.store.PostgresCredentialStore;
import dev.scimserver.store.PostgresSigningKeyStore;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static dev.scimserver.app.ScimAssertions.assertScimError;
import static dev.scimserver.app.ScimAssertions.json;
import static dev.scimserver.app.WorkspaceFixtures.accessToken;
import static dev.scimserver.app.WorkspaceFixtures.form;
import static dev.scimserver.app.WorkspaceFixtures.sharedOrigin;
import static dev.scimserver.app.WorkspaceFixtures.tokenRequest;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OAuth 2.0 client-credentials flow over real HTTP, as Entra's gallery apps and other IdPs use
 * it: the token endpoint (RFC 6749 §4.4, §5), its metadata (RFC 8414) and keys, and access tokens
 * (RFC 9068) at the SCIM API, refused alike however they are wrong.
 */
class OAuthContractTest {
    private static final String FORM = "application/x-www-form-urlencoded";

    private final RunningServer server = RunningServer.shared();
    private final TestWorkspace workspace = WorkspaceFixtures.workspaceWithCredentials("OAuth contract");
    private final String origin = sharedOrigin();

    private HttpResponse<String> token(String body, Map<String, String> headers) {
        return tokenRequest(origin, body, headers);
    }

    private HttpResponse<String> users(String accessToken) {
        return server.send("GET", "/Users?count=1", null, Map.of("Authorization", "Bearer " + accessToken));
    }

    @Test
    void clientSecretBasicGetsABearerTokenThatOpensItsWorkspace() {
        HttpResponse<String> response = token("grant_type=client_credentials",
                Map.of("Authorization", workspace.clientBasicAuthorization(), "Content-Type", FORM));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
        JsonNode body = json(response);
        assertThat(body.path("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.path("expires_in").asLong()).isEqualTo(3600);
        assertThat(body.path("scope").asText()).isEqualTo("scim");
        assertThat(body.has("refresh_token")).isFalse();

        HttpResponse<String> list = users(body.path("access_token").asText());
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        assertThat(json(list).path("totalResults").asInt()).as("a new workspace is empty").isZero();
    }

    @Test
    void clientSecretPostGetsOneToo() {
        HttpResponse<String> response = token("grant_type=client_credentials&client_id="
                        + form(workspace.client().client().clientId()) + "&client_secret="
                        + form(workspace.client().secret().value()) + "&scope=scim",
                Map.of("Content-Type", FORM + "; charset=UTF-8"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(users(json(response).path("access_token").asText()).statusCode()).isEqualTo(200);
    }

    @Test
    void entrasTestConnectionFindsNoUserAndSucceeds() {
        String token = accessToken(origin, workspace);
        HttpResponse<String> probe = server.send("GET", "/Users?filter=" + form("userName eq \"" + UUID.randomUUID()
                + "\""), null, Map.of("Authorization", "Bearer " + token));
        assertThat(probe.statusCode()).as(probe.body()).isEqualTo(200);
        assertThat(json(probe).path("totalResults").asInt()).isZero();
        assertThat(json(probe).path("Resources")).isEmpty();
    }

    @Test
    void aWrongSecretIsInvalidClientWithAChallenge() {
        HttpResponse<String> response = token("grant_type=client_credentials&client_id="
                        + form(workspace.client().client().clientId()) + "&client_secret=wrong",
                Map.of("Content-Type", FORM));
        assertOAuthError(response, 401, "invalid_client");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                challenge -> assertThat(challenge).startsWith("Basic"));
        String nulInBasic = "Basic " + Base64.getEncoder().encodeToString("scim_cli_x%00y:secret".getBytes());
        assertOAuthError(token("grant_type=client_credentials", Map.of("Authorization", nulInBasic,
                "Content-Type", FORM)), 401, "invalid_client");
    }

    @Test
    void malformedRequestsGetRfc6749Errors() {
        Map<String, String> basic = Map.of("Authorization", workspace.clientBasicAuthorization(), "Content-Type", FORM);
        assertOAuthError(token("scope=scim", basic), 400, "invalid_request");
        assertOAuthError(token("grant_type=password&username=a&password=b", basic), 400, "unsupported_grant_type");
        assertOAuthError(token("grant_type=client_credentials&grant_type=client_credentials", basic), 400,
                "invalid_request");
        assertOAuthError(token("grant_type=client_credentials&scope=admin", basic), 400, "invalid_scope");
        assertOAuthError(token("grant_type=%zz", basic), 400, "invalid_request");
        assertOAuthError(token("grant_type=client%00credentials", basic), 400, "invalid_request");
        assertOAuthError(token("{\"grant_type\":\"client_credentials\"}", Map.of("Authorization",
                workspace.clientBasicAuthorization(), "Content-Type", "application/json")), 400, "invalid_request");
        assertOAuthError(token("grant_type=client_credentials&x=" + "a".repeat(20_000), basic), 400,
                "invalid_request");

        HttpResponse<String> get = server.send("GET", origin + "/oauth2/token?grant_type=client_credentials", null,
                Map.of("Authorization", workspace.clientBasicAuthorization()));
        assertOAuthError(get, 405, "invalid_request");
        assertThat(get.headers().firstValue("Allow")).contains("POST");
        HttpResponse<String> head = server.send("HEAD", origin + "/oauth2/token", null,
                Map.of("Authorization", workspace.clientBasicAuthorization()));
        assertThat(head.statusCode()).as("HEAD, as GET").isEqualTo(405);
        assertThat(head.headers().firstValue("Allow")).contains("POST");
        HttpResponse<String> options = server.send("OPTIONS", origin + "/oauth2/token", null, Map.of());
        assertOAuthError(options, 405, "invalid_request");
        assertThat(options.headers().firstValue("Allow")).contains("POST");

        // An unknown charset is no reason for a 500: the form is read as UTF-8, as always.
        HttpResponse<String> bogusCharset = token("grant_type=client_credentials", Map.of("Authorization",
                workspace.clientBasicAuthorization(), "Content-Type",
                "application/x-www-form-urlencoded; charset=bogus"));
        assertThat(bogusCharset.statusCode()).as(bogusCharset.body()).isEqualTo(200);
    }

    @Test
    void theMetadataAndTheKeysLetAClientCheckATokenAsAnyLibraryWould() throws Exception {
        HttpResponse<String> metadataResponse = server.send("GET", origin + "/.well-known/oauth-authorization-server",
                null, Map.of());
        assertThat(metadataResponse.statusCode()).isEqualTo(200);
        assertThat(metadataResponse.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode metadata = json(metadataResponse);
        assertThat(metadata.path("issuer").asText()).isEqualTo(origin);
        assertThat(metadata.path("token_endpoint").asText()).isEqualTo(origin + "/oauth2/token");
        assertThat(metadata.path("grant_types_supported")).extracting(JsonNode::asText)
                .containsExactly("client_credentials");
        assertThat(metadata.path("token_endpoint_auth_methods_supported")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("client_secret_basic", "client_secret_post");

        HttpResponse<String> jwksResponse = server.send("GET", metadata.path("jwks_uri").asText(), null, Map.of());
        assertThat(jwksResponse.statusCode()).isEqualTo(200);
        JWKSet jwks = JWKSet.parse(jwksResponse.body());
        assertThat(jwks.getKeys()).isNotEmpty().allSatisfy(key -> assertThat(key.isPrivate()).isFalse());

        DefaultJWTProcessor<SecurityContext> client = new DefaultJWTProcessor<>();
        client.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
        client.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, new ImmutableJWKSet<>(jwks)));
        client.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(Set.of(server.baseUrl()),
                new JWTClaimsSet.Builder().issuer(metadata.path("issuer").asText()).build(),
                Set.of("sub", "exp", "iat", "jti", "client_id"), Set.of()));
        JWTClaimsSet claims = client.process(accessToken(origin, workspace), null);
        assertThat(claims.getStringClaim("client_id")).isEqualTo(workspace.client().client().clientId());
        assertThat(claims.getStringClaim("workspace_id")).isEqualTo(workspace.id().toString());
    }

    /** On a server of its own: these refusals would spend the shared server's failed-authentication budget. */
    @Test
    void expiredTamperedForeignAndWrongAudienceTokensGetTheSame401AsAWrongOne() throws Exception {
        try (ScimServer own = ScimServer.start(Config.from(Map.of("SCIM_ENABLED", "true", "SCIM_HEADER_AUTH_TOKEN",
                RunningServer.TOKEN, "PORT", "0", "DATABASE_URL", server.jdbcUrl())))) {
            String ownOrigin = "http://localhost:" + own.port();
            String users = ownOrigin + ScimApi.BASE_PATH + "/Users?count=1";
            HttpResponse<String> wrong = server.send("GET", users, null, Map.of("Authorization", "Bearer not-a-token"));
            assertScimError(wrong, 401, null);
            String valid = accessToken(ownOrigin, workspace);
            String[] parts = valid.split("\\.");
            String otherWorkspace = Base64.getUrlEncoder().withoutPadding().encodeToString(new String(
                    Base64.getUrlDecoder().decode(parts[1])).replace(workspace.id().toString(),
                    WorkspaceFixtures.defaultWorkspace().toString()).getBytes());
            char c = parts[2].charAt(5);
            String flippedSignature = parts[2].substring(0, 5) + (c == 'A' ? 'B' : 'A') + parts[2].substring(6);
            // Asked for at 127.0.0.1, so its audience is http://127.0.0.1:PORT/api/scim/v2, not localhost's.
            String otherAudience = accessToken("http://127.0.0.1:" + own.port(), workspace);
            List<String> refused = List.of(expiredToken(ownOrigin), parts[0] + "." + otherWorkspace + "." + parts[2],
                    parts[0] + "." + parts[1] + "." + flippedSignature, parts[0] + "." + parts[1] + ".", otherAudience);
            for (String token : refused) {
                HttpResponse<String> response = server.send("GET", users, null, Map.of("Authorization", "Bearer " + token));
                assertThat(response.statusCode()).isEqualTo(401);
                assertThat(response.body()).isEqualTo(wrong.body());
                assertThat(response.headers().firstValue("WWW-Authenticate"))
                        .isEqualTo(wrong.headers().firstValue("WWW-Authenticate"));
                assertThat(response.headers().firstValue("Content-Type"))
                        .isEqualTo(wrong.headers().firstValue("Content-Type"));
            }
            assertThat(server.send("GET", users, null, Map.of("Authorization", "Bearer " + valid)).statusCode())
                    .isEqualTo(200);
            HttpResponse<String> where = server.send("GET", "http://127.0.0.1:" + own.port() + ScimApi.BASE_PATH
                    + "/Users?count=1", null, Map.of("Authorization", "Bearer " + otherAudience));
            assertThat(where.statusCode()).as("at the URL it was issued for").isEqualTo(200);
        }
    }

    /** A token the server's own code signed two hours ago, with the server's keys, for this URL: expired since. */
    private String expiredToken(String at) {
        MutableClock past = new MutableClock(Instant.now().minus(Duration.ofHours(2)));
        PostgresCredentialStore store = new PostgresCredentialStore(WorkspaceFixtures.dataSource());
        SigningKeys keys = new SigningKeys(new PostgresSigningKeyStore(WorkspaceFixtures.dataSource()),
                Duration.ofHours(1), past);
        TokenEndpoint endpoint = new TokenEndpoint(new ClientSecretAuthenticator(store, new LastUseRecorder(store, past),
                past), new ClientCredentialsGrant(new AccessTokenIssuer(keys, past)), RequestThrottle.of(0));
        return endpoint.exchange(workspace.clientBasicAuthorization(),
                Map.of("grant_type", List.of("client_credentials")),
                AuthorizationServerUrls.of(URI.create(at), ScimApi.BASE_PATH), InetAddress.getLoopbackAddress())
                .accessToken();
    }

    @Test
    void theTokenEndpointAndTheScimApiSpendOneFailedAuthenticationBudget() {
        try (ScimServer own = ScimServer.start(Config.from(Map.of("SCIM_ENABLED", "true", "SCIM_HEADER_AUTH_TOKEN",
                RunningServer.TOKEN, "PORT", "0", "DATABASE_URL", server.jdbcUrl())))) {
            String ownOrigin = "http://localhost:" + own.port();
            String wrongSecret = "grant_type=client_credentials&client_id="
                    + form(workspace.client().client().clientId()) + "&client_secret=wrong";
            for (int i = 0; i < RequestThrottle.AUTH_FAILURE_BURST / 2; i++) {
                assertOAuthError(tokenRequest(ownOrigin, wrongSecret, Map.of("Content-Type", FORM)), 401,
                        "invalid_client");
                assertScimError(server.send("GET", ownOrigin + ScimApi.BASE_PATH + "/Users", null,
                        Map.of("Authorization", "Bearer wrong-" + i)), 401, null);
            }
            // One attempt comes back every 3 seconds: a slow machine may have earned one or two meanwhile.
            HttpResponse<String> throttled = tokenRequest(ownOrigin, wrongSecret, Map.of("Content-Type", FORM));
            for (int extra = 0; extra < 3 && throttled.statusCode() == 401; extra++) {
                throttled = tokenRequest(ownOrigin, wrongSecret, Map.of("Content-Type", FORM));
            }
            assertOAuthError(throttled, 429, "temporarily_unavailable");
            assertThat(throttled.headers().firstValue("Retry-After")).hasValueSatisfying(
                    seconds -> assertThat(Long.parseLong(seconds)).isBetween(1L, 3L));
            assertScimError(server.send("GET", ownOrigin + ScimApi.BASE_PATH + "/Users", null,
                    Map.of("Authorization", "Bearer wrong-again")), 429, null);
            // This address never authenticated: even the right secret is left unchecked.
            assertOAuthError(tokenRequest(ownOrigin, "grant_type=client_credentials",
                    Map.of("Authorization", workspace.clientBasicAuthorization(), "Content-Type", FORM)), 429,
                    "temporarily_unavailable");
            // Requests without any client authentication guess nothing and are not throttled.
            assertOAuthError(tokenRequest(ownOrigin, "grant_type=client_credentials", Map.of("Content-Type", FORM)),
                    401, "invalid_client");
        }
    }

    @Test
    void withProvisioningDisabledThereIsNoAuthorizationServerEither() {
        try (ScimServer disabled = ScimServer.start(Config.from(Map.of("PORT", "0",
                "DATABASE_URL", server.jdbcUrl())))) {
            String disabledOrigin = "http://localhost:" + disabled.port();
            assertScimError(tokenRequest(disabledOrigin, "grant_type=client_credentials",
                    Map.of("Authorization", workspace.clientBasicAuthorization(), "Content-Type", FORM)), 404, null);
            for (String path : List.of("/.well-known/oauth-authorization-server", "/oauth2/jwks", "/oauth2/token")) {
                assertScimError(server.send("GET", disabledOrigin + path, null, Map.of()), 404, null);
            }
        }
    }

    @Test
    void aConfiguredPublicUrlIsTheIssuerAndAudienceWhateverTheRequestSays() throws Exception {
        try (ScimServer behindProxy = ScimServer.start(Config.from(Map.of("SCIM_ENABLED", "true",
                "SCIM_HEADER_AUTH_TOKEN", RunningServer.TOKEN, "PORT", "0", "DATABASE_URL", server.jdbcUrl(),
                "SCIM_PUBLIC_URL", "https://scim.example.com")))) {
            String local = "http://localhost:" + behindProxy.port();
            JsonNode metadata = json(server.send("GET", local + "/.well-known/oauth-authorization-server", null,
                    Map.of("X-Forwarded-Host", "evil.example")));
            assertThat(metadata.path("issuer").asText()).isEqualTo("https://scim.example.com");
            assertThat(metadata.path("token_endpoint").asText()).isEqualTo("https://scim.example.com/oauth2/token");
            assertThat(metadata.path("jwks_uri").asText()).isEqualTo("https://scim.example.com/oauth2/jwks");

            String token = accessToken(local, workspace);
            JWTClaimsSet claims = com.nimbusds.jwt.SignedJWT.parse(token).getJWTClaimsSet();
            assertThat(claims.getAudience()).containsExactly("https://scim.example.com/api/scim/v2");
            HttpResponse<String> list = server.send("GET", "http://127.0.0.1:" + behindProxy.port() + ScimApi.BASE_PATH
                    + "/Users?count=1", null, Map.of("Authorization", "Bearer " + token));
            assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
            HttpResponse<String> created = server.send("POST", local + ScimApi.BASE_PATH + "/Users",
                    "{\"userName\":\"public-url-" + UUID.randomUUID() + "@example.com\"}",
                    Map.of("Authorization", "Bearer " + token));
            assertThat(created.headers().firstValue("Location")).hasValueSatisfying(
                    location -> assertThat(location).startsWith("https://scim.example.com/api/scim/v2/Users/"));
        }
    }

    @Test
    void withoutItOnlyATrustedProxyNamesTheHost() {
        JsonNode untrusted = json(server.send("GET", origin + "/.well-known/oauth-authorization-server", null,
                Map.of("X-Forwarded-Host", "evil.example", "X-Forwarded-Proto", "https")));
        assertThat(untrusted.path("issuer").asText()).as("the shared server trusts no proxy").isEqualTo(origin);
        try (ScimServer behindProxy = ScimServer.start(Config.from(Map.of("SCIM_ENABLED", "true",
                "SCIM_HEADER_AUTH_TOKEN", RunningServer.TOKEN, "PORT", "0", "DATABASE_URL", server.jdbcUrl(),
                "SCIM_TRUSTED_PROXIES", "127.0.0.0/8, ::1")))) {
            HttpResponse<String> forwarded = server.send("GET", "http://localhost:" + behindProxy.port()
                            + "/.well-known/oauth-authorization-server", null,
                    Map.of("X-Forwarded-Host", "scim.example.com", "X-Forwarded-Proto", "https"));
            assertThat(json(forwarded).path("issuer").asText()).isEqualTo("https://scim.example.com");
            assertThat(forwarded.headers().firstValue("Cache-Control")).as("it depends on the request")
                    .contains("no-store");
        }
    }

    private static void assertOAuthError(HttpResponse<String> response, int status, String error) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
        JsonNode body = json(response);
        assertThat(body.path("error").asText()).isEqualTo(error);
        assertThat(body.path("error_description").asText()).matches("[\\x20-\\x21\\x23-\\x5B\\x5D-\\x7E]+");
    }
}
