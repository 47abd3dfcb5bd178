package dev.scimserver.store;

import dev.scimserver.access.ApiToken;
import dev.scimserver.access.ApiTokens;
import dev.scimserver.access.AuthenticatedClient;
import dev.scimserver.access.Caller;
import dev.scimserver.access.ClientSecret;
import dev.scimserver.access.ClientSecretAuthenticator;
import dev.scimserver.access.CredentialCache;
import dev.scimserver.access.CredentialKind;
import dev.scimserver.access.EnvironmentCredentials;
import dev.scimserver.access.LastUseRecorder;
import dev.scimserver.access.MutableClock;
import dev.scimserver.access.NewApiToken;
import dev.scimserver.access.NewClientSecret;
import dev.scimserver.access.NewOAuthClient;
import dev.scimserver.access.OAuthClients;
import dev.scimserver.access.SecretHash;
import dev.scimserver.access.TokenRequestForm;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.scimserver.store.CredentialTestDatabase.newWorkspace;
import static dev.scimserver.store.CredentialTestDatabase.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The workspaces' tokens and OAuth clients on the real PostgreSQL with the real migrations. Two
 * store instances with caches of their own stand for two server processes on one database; their
 * clocks are driven by hand, so "within the bound" is proven without waiting.
 */
class PostgresCredentialStoreTest {
    private final DataSource dataSource = CredentialTestDatabase.dataSource();
    private final MutableClock clock = MutableClock.atNow();
    private final PostgresCredentialStore store = new PostgresCredentialStore(dataSource);
    private final ApiTokens tokens = new ApiTokens(store, clock);
    private final UUID workspace = newWorkspace(dataSource);

    @Test
    void aTokenIsStoredByItsDigestFoundListedAndRevoked() throws Exception {
        NewApiToken created = tokens.create(workspace, "Okta production", clock.instant().plus(Duration.ofDays(90)));
        assertThat(store.findTokenByHash(SecretHash.of(created.secret()))).contains(created.token());
        assertThat(store.findTokenByHash(SecretHash.of(created.secret() + "x"))).isEmpty();
        assertThat(tokens.list(workspace)).containsExactly(created.token());
        assertThat(tokenRowsContaining("Okta production")).as("the search finds what is there").isEqualTo(1);
        assertThat(tokenRowsContaining(created.secret().substring("scim_tok_".length())))
                .as("the secret is nowhere in the table").isZero();

        clock.advance(Duration.ofSeconds(1));
        assertThat(tokens.revoke(workspace, created.token().id())).isTrue();
        assertThat(tokens.revoke(workspace, created.token().id())).as("once").isFalse();
        assertThat(tokens.revoke(UUID.randomUUID(), created.token().id())).as("another workspace's").isFalse();
        ApiToken revoked = store.findTokenByHash(SecretHash.of(created.secret())).orElseThrow();
        assertThat(revoked.revokedAt()).isEqualTo(clock.instant());
        assertThat(revoked.isActiveAt(clock.instant())).isFalse();
    }

    @Test
    void aRevocationOnOneProcessIsSeenByAnotherWithinTheBound() {
        NewApiToken created = tokens.create(workspace, "okta", null);
        MutableClock otherClock = new MutableClock(clock.instant());
        PostgresCredentialStore otherStore = new PostgresCredentialStore(CredentialTestDatabase.dataSource());
        CredentialCache other = new CredentialCache(otherStore, otherStore, new LastUseRecorder(otherStore, otherClock),
                otherClock);
        assertThat(other.apiToken(created.secret())).contains(
                new Caller(workspace, CredentialKind.API_TOKEN, created.token().id(), "okta"));

        tokens.revoke(workspace, created.token().id());
        otherClock.advance(CredentialCache.MAX_STALENESS);
        assertThat(other.apiToken(created.secret())).isEmpty();
    }

    @Test
    void severalTokensWorkAtOnceAndAnExpiredOneIsRefused() {
        NewApiToken old = tokens.create(workspace, "old", clock.instant().plusSeconds(60));
        NewApiToken next = tokens.create(workspace, "next", null);
        CredentialCache cache = new CredentialCache(store, store, new LastUseRecorder(store, clock), clock);
        assertThat(cache.apiToken(old.secret())).isPresent();
        assertThat(cache.apiToken(next.secret())).isPresent();
        clock.advance(Duration.ofSeconds(60));
        assertThat(cache.apiToken(old.secret())).isEmpty();
        assertThat(cache.apiToken(next.secret())).isPresent();
    }

    @Test
    void lastUseIsWrittenAndNeverMovesBack() {
        NewApiToken created = tokens.create(workspace, "okta", null);
        LastUseRecorder lastUse = new LastUseRecorder(store, clock);
        CredentialCache cache = new CredentialCache(store, store, lastUse, clock);
        cache.apiToken(created.secret());
        Instant used = clock.instant();
        lastUse.flush();
        assertThat(tokens.list(workspace).get(0).lastUsedAt()).isEqualTo(used);

        MutableClock laggingClock = new MutableClock(used.minusSeconds(30));
        LastUseRecorder lagging = new LastUseRecorder(store, laggingClock);
        new CredentialCache(store, store, lagging, laggingClock).apiToken(created.secret());
        lagging.flush();
        assertThat(tokens.list(workspace).get(0).lastUsedAt()).isEqualTo(used);
    }

    /**
     * The environment's credentials have no row of their own: their first use makes one, later uses
     * move it forward, and a lagging process's earlier time never moves it back. On a database of
     * its own, as every process of the shared one writes these two rows.
     */
    @Test
    void theEnvironmentsLastUseIsKeptByItsName() {
        PostgresCredentialStore separate = new PostgresCredentialStore(CredentialTestDatabase.separateDataSource());
        Instant first = Instant.parse("2100-01-01T00:00:00.123456Z");
        MutableClock ahead = new MutableClock(first);
        LastUseRecorder lastUse = new LastUseRecorder(separate, ahead);
        lastUse.recordEnvironment(EnvironmentCredentials.BASIC);
        lastUse.flush();
        assertThat(separate.environmentLastUses()).isEqualTo(Map.of(EnvironmentCredentials.BASIC, first));

        MutableClock lagging = new MutableClock(first.minusSeconds(30));
        LastUseRecorder laggingUse = new LastUseRecorder(separate, lagging);
        laggingUse.recordEnvironment(EnvironmentCredentials.BASIC);
        laggingUse.recordEnvironment(EnvironmentCredentials.TOKEN);
        laggingUse.flush();
        assertThat(separate.environmentLastUses()).as("the Basic pair's stays; the token's is its first")
                .isEqualTo(Map.of(EnvironmentCredentials.BASIC, first,
                        EnvironmentCredentials.TOKEN, first.minusSeconds(30)));

        ahead.advance(LastUseRecorder.WRITE_INTERVAL);
        lastUse.recordEnvironment(EnvironmentCredentials.BASIC);
        lastUse.flush();
        assertThat(separate.environmentLastUses().get(EnvironmentCredentials.BASIC))
                .isEqualTo(first.plus(LastUseRecorder.WRITE_INTERVAL));
    }

    @Test
    void aClientWithSeveralSecretsAuthenticatesAgainstTheDatabase() {
        OAuthClients clients = new OAuthClients(store, clock);
        NewOAuthClient registered = clients.register(workspace, "Entra", null);
        clock.advance(Duration.ofSeconds(1));
        NewClientSecret expiring = clients.addSecret(registered.client(), clock.instant().plusSeconds(60));
        assertThat(store.findClient(registered.client().clientId())).contains(registered.client());
        assertThat(clients.list(workspace)).containsExactly(registered.client());
        assertThat(clients.secrets(registered.client())).extracting(ClientSecret::id)
                .containsExactly(registered.secret().secret().id(), expiring.secret().id());

        LastUseRecorder lastUse = new LastUseRecorder(store, clock);
        ClientSecretAuthenticator authenticator = new ClientSecretAuthenticator(store, lastUse, clock);
        AuthenticatedClient first = authenticator.authenticate(ClientSecretAuthenticator.presented(null, post(registered.client().clientId(),
                registered.secret().value())));
        assertThat(first.client()).isEqualTo(registered.client());
        assertThat(authenticator.authenticate(ClientSecretAuthenticator.presented(null, post(registered.client().clientId(), expiring.value()))).secretId())
                .isEqualTo(expiring.secret().id());
        lastUse.flush();
        assertThat(clients.secrets(registered.client())).allSatisfy(s -> assertThat(s.lastUsedAt()).isEqualTo(clock.instant()));

        assertThat(clients.removeSecret(registered.client(), expiring.secret().id())).isTrue();
        assertThat(clients.secrets(registered.client())).hasSize(1);
        assertThat(clients.delete(UUID.randomUUID(), registered.client().id())).as("another workspace's").isFalse();
        assertThat(clients.delete(workspace, registered.client().id())).isTrue();
        assertThat(store.findClient(registered.client().clientId())).isEmpty();
        assertThat(store.secretDigestsOf(registered.client().id())).as("its secrets went with it").isEmpty();
    }

    @Test
    void deletingAWorkspaceTakesItsCredentialsWithIt() {
        NewApiToken token = tokens.create(workspace, "okta", null);
        NewOAuthClient client = new OAuthClients(store, clock).register(workspace, "Entra", null);
        assertThat(update(dataSource, "DELETE FROM workspaces WHERE id = ?", workspace)).isEqualTo(1);
        assertThat(store.findTokenByHash(SecretHash.of(token.secret()))).isEmpty();
        assertThat(store.findClient(client.client().clientId())).isEmpty();
        assertThat(store.secretDigestsOf(client.client().id())).isEmpty();
    }

    @Test
    void theDefaultWorkspacesSlugIsDefaultAndEverySlugHasTheShape() {
        assertThat(update(dataSource, "UPDATE workspaces SET name = name WHERE is_default AND slug = 'default'"))
                .isEqualTo(1);
        assertThatThrownBy(() -> update(dataSource, "UPDATE workspaces SET slug = 'Not A Slug' WHERE id = ?", workspace))
                .rootCause().hasMessageContaining("workspace_slug_format");
    }

    private int tokenRowsContaining(String needle) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT count(*) FROM api_tokens t WHERE strpos(t::text, ?) > 0")) {
            s.setString(1, needle);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static TokenRequestForm post(String clientId, String secret) {
        return new TokenRequestForm(Map.of("client_id", List.of(clientId), "client_secret", List.of(secret)));
    }
}
