package dev.scimserver.access;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Client authentication at the token endpoint, RFC 6749 §2.3: client_secret_basic with its
 * form-urlencoded id and secret, client_secret_post, never both, and one indistinguishable
 * invalid_client for every way of failing.
 */
class ClientSecretAuthenticatorTest {
    private static final String AWKWARD_ID = "client:id with+plus%";
    private static final String AWKWARD_SECRET = "p@ss:wörd+/=% ";

    private final MutableClock clock = MutableClock.atNow();
    private final InMemoryCredentials store = new InMemoryCredentials();
    private final LastUseRecorder lastUse = new LastUseRecorder(store, clock);
    private final ClientSecretAuthenticator authenticator = new ClientSecretAuthenticator(store, lastUse, clock);
    private NewOAuthClient registered;

    @BeforeEach
    void registerClients() {
        registered = new OAuthClients(store, clock).register(UUID.randomUUID(), "Okta", null);
        OAuthClient awkward = new OAuthClient(UUID.randomUUID(), AWKWARD_ID, UUID.randomUUID(), "awkward", clock.instant(), null);
        store.insertClient(awkward, new ClientSecret(UUID.randomUUID(), awkward.id(), clock.instant(), null, null),
                SecretHash.of(AWKWARD_SECRET));
    }

    @Test
    void basicDecodesTheFormUrlencodedIdAndSecret() {
        String header = basic(encode(AWKWARD_ID) + ":" + encode(AWKWARD_SECRET));
        AuthenticatedClient client = authenticator.authenticate(ClientSecretAuthenticator.presented(header, form()));
        assertThat(client.client().clientId()).isEqualTo(AWKWARD_ID);
        assertThat(client.method()).isEqualTo(AuthenticatedClient.Method.CLIENT_SECRET_BASIC);
    }

    @Test
    void basicWithoutTheEncodingIsRefused() {
        assertInvalidClient(() -> authenticator.authenticate(ClientSecretAuthenticator.presented(basic(AWKWARD_ID + ":" + AWKWARD_SECRET), form())));
    }

    @Test
    void basicSchemeIsCaseInsensitive() {
        String header = "bAsIc " + basic(clientId() + ":" + secret()).substring("Basic ".length());
        assertThat(authenticator.authenticate(ClientSecretAuthenticator.presented(header, form())).client()).isEqualTo(registered.client());
    }

    @Test
    void postTakesIdAndSecretFromTheBody() {
        AuthenticatedClient client = authenticator.authenticate(ClientSecretAuthenticator.presented(null,
                form("client_id", clientId(), "client_secret", secret())));
        assertThat(client.client()).isEqualTo(registered.client());
        assertThat(client.secretId()).isEqualTo(registered.secret().secret().id());
        assertThat(client.method()).isEqualTo(AuthenticatedClient.Method.CLIENT_SECRET_POST);
    }

    @Test
    void basicAndPostAtOnceIsAnInvalidRequest() {
        assertThatThrownBy(() -> authenticator.authenticate(ClientSecretAuthenticator.presented(basic(clientId() + ":" + secret()),
                form("client_id", clientId(), "client_secret", secret()))))
                .isInstanceOfSatisfying(OAuthException.class, e -> {
                    assertThat(e.error()).isEqualTo(OAuthError.INVALID_REQUEST);
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.wwwAuthenticate()).isEmpty();
                });
    }

    @Test
    void basicWithTheSameClientIdInTheBodyIsFineAndAnotherIsNot() {
        assertThat(authenticator.authenticate(ClientSecretAuthenticator.presented(basic(clientId() + ":" + secret()), form("client_id", clientId())))
                .client()).isEqualTo(registered.client());
        assertThatThrownBy(() -> authenticator.authenticate(ClientSecretAuthenticator.presented(basic(clientId() + ":" + secret()),
                form("client_id", AWKWARD_ID))))
                .isInstanceOfSatisfying(OAuthException.class,
                        e -> assertThat(e.error()).isEqualTo(OAuthError.INVALID_REQUEST));
    }

    @Test
    void aRepeatedParameterIsAnInvalidRequest() {
        Map<String, List<String>> form = new HashMap<>();
        form.put("client_id", List.of(clientId(), clientId()));
        form.put("client_secret", List.of(secret()));
        assertThatThrownBy(() -> authenticator.authenticate(ClientSecretAuthenticator.presented(null, new TokenRequestForm(form))))
                .isInstanceOfSatisfying(OAuthException.class,
                        e -> assertThat(e.error()).isEqualTo(OAuthError.INVALID_REQUEST));
    }

    @Test
    void everyFailureIsTheSameInvalidClient() {
        OAuthException wrongSecret = assertInvalidClient(() -> authenticator.authenticate(ClientSecretAuthenticator.presented(null,
                form("client_id", clientId(), "client_secret", SecretFormat.CLIENT_SECRET.generate()))));
        OAuthException unknownClient = assertInvalidClient(() -> authenticator.authenticate(ClientSecretAuthenticator.presented(null,
                form("client_id", "scim_cli_unknown", "client_secret", secret()))));
        OAuthException wrongBasic = assertInvalidClient(() -> authenticator.authenticate(ClientSecretAuthenticator.presented(
                basic(clientId() + ":" + secret() + "x"), form())));
        OAuthException noAuthentication = assertInvalidClient(() -> authenticator.authenticate(ClientSecretAuthenticator.presented(null,
                form("client_id", clientId()))));
        for (OAuthException e : List.of(unknownClient, wrongBasic, noAuthentication)) {
            assertThat(e.json()).isEqualTo(wrongSecret.json());
            assertThat(e.wwwAuthenticate()).isEqualTo(wrongSecret.wwwAuthenticate());
        }
        assertThat(wrongSecret.json()).isEqualTo(
                "{\"error\":\"invalid_client\",\"error_description\":\"client authentication failed\"}");
        assertThat(wrongSecret.wwwAuthenticate()).contains("Basic realm=\"oauth2\", charset=\"UTF-8\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Basic !!!notbase64", "Basic ", "Basic Y2xpZW50", "Basic OnNlY3JldA==", "Basic Y2xpZW50Og==",
            "Bearer scim_tok_x", "Digest x", "Basic JTpzZWNyZXQ="})
    void aMalformedOrForeignAuthorizationHeaderIsAnInvalidClient(String header) {
        assertInvalidClient(() -> authenticator.authenticate(ClientSecretAuthenticator.presented(header, form())));
    }

    @Test
    void anExpiredSecretIsRefusedLikeAWrongOne() {
        NewClientSecret expiring = new OAuthClients(store, clock).addSecret(registered.client(),
                clock.instant().plus(Duration.ofDays(1)));
        TokenRequestForm form = form("client_id", clientId(), "client_secret", expiring.value());
        assertThat(authenticator.authenticate(ClientSecretAuthenticator.presented(null, form)).secretId()).isEqualTo(expiring.secret().id());

        clock.advance(Duration.ofDays(1));
        assertInvalidClient(() -> authenticator.authenticate(ClientSecretAuthenticator.presented(null, form)));
    }

    @Test
    void severalSecretsWorkAtOnceSoRotationHasNoGap() {
        NewClientSecret next = new OAuthClients(store, clock).addSecret(registered.client(), null);
        assertThat(authenticator.authenticate(ClientSecretAuthenticator.presented(null, form("client_id", clientId(), "client_secret", secret())))
                .secretId()).isEqualTo(registered.secret().secret().id());
        assertThat(authenticator.authenticate(ClientSecretAuthenticator.presented(null, form("client_id", clientId(), "client_secret", next.value())))
                .secretId()).isEqualTo(next.secret().id());
    }

    @Test
    void theSecretsUseIsNotedNotWrittenOnTheRequest() {
        authenticator.authenticate(ClientSecretAuthenticator.presented(null, form("client_id", clientId(), "client_secret", secret())));
        assertThat(store.lastUseWrites).isEmpty();
        lastUse.flush();
        assertThat(store.lastUseWrites).containsExactly(List.of(new LastUse(CredentialKind.CLIENT_SECRET,
                registered.secret().secret().id().toString(), clock.instant())));
    }

    private String clientId() {
        return registered.client().clientId();
    }

    private String secret() {
        return registered.secret().value();
    }

    private static OAuthException assertInvalidClient(Runnable attempt) {
        try {
            attempt.run();
        } catch (OAuthException e) {
            assertThat(e.error()).isEqualTo(OAuthError.INVALID_CLIENT);
            assertThat(e.status()).isEqualTo(401);
            assertThat(e.wwwAuthenticate()).isPresent();
            return e;
        }
        throw new AssertionError("expected invalid_client");
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String basic(String idColonSecret) {
        return "Basic " + Base64.getEncoder().encodeToString(idColonSecret.getBytes(StandardCharsets.UTF_8));
    }

    private static TokenRequestForm form(String... namesAndValues) {
        return new TokenRequestForm(Forms.of(namesAndValues));
    }
}
