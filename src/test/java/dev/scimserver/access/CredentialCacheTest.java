package dev.scimserver.access;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-request answer from memory: how stale it may be, expiry on every use, nothing kept for
 * unknown values, and last-use times written in batches off the request. The clock is driven by
 * hand; PostgresCredentialStoreTest proves the same across two caches on one real database.
 */
class CredentialCacheTest {
    private final MutableClock clock = MutableClock.atNow();
    private final InMemoryCredentials store = new InMemoryCredentials();
    private final LastUseRecorder lastUse = new LastUseRecorder(store, clock);
    private final CredentialCache cache = new CredentialCache(store, store, lastUse, clock);
    private final ApiTokens tokens = new ApiTokens(store, clock);
    private final UUID workspace = UUID.randomUUID();

    @Test
    void aTokenOpensItsWorkspaceAndIsThenAnsweredFromMemory() {
        NewApiToken created = tokens.create(workspace, "okta", null);
        assertThat(cache.apiToken(created.secret())).contains(
                new Caller(workspace, CredentialKind.API_TOKEN, created.token().id(), "okta"));
        cache.apiToken(created.secret());
        assertThat(store.tokenLookups).isEqualTo(1);
    }

    @Test
    void theStalenessBoundLeavesRoomInsideTheFiveSecondsOfTheIssue() {
        assertThat(CredentialCache.MAX_STALENESS).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aRevocationIsSeenOnceTheAnswerIsMaxStalenessOld() {
        NewApiToken created = tokens.create(workspace, "okta", null);
        assertThat(cache.apiToken(created.secret())).isPresent();
        tokens.revoke(workspace, created.token().id());

        clock.advance(CredentialCache.MAX_STALENESS.minusMillis(1));
        assertThat(store.tokenLookups).isEqualTo(1);
        cache.apiToken(created.secret());
        assertThat(store.tokenLookups).as("still from memory").isEqualTo(1);
        clock.advance(Duration.ofMillis(1));
        assertThat(cache.apiToken(created.secret())).isEmpty();
        assertThat(store.tokenLookups).isEqualTo(2);
    }

    @Test
    void forgettingMakesTheNextUseReadAgainAtOnce() {
        NewApiToken created = tokens.create(workspace, "okta", null);
        assertThat(cache.apiToken(created.secret())).isPresent();
        tokens.revoke(workspace, created.token().id());
        cache.forgetAll();
        assertThat(cache.apiToken(created.secret())).isEmpty();
        assertThat(store.tokenLookups).isEqualTo(2);
    }

    @Test
    void anExpiryIsCheckedOnEveryUseNotWhenTheCacheIsRead() {
        NewApiToken created = tokens.create(workspace, "okta", clock.instant().plusSeconds(2));
        assertThat(cache.apiToken(created.secret())).isPresent();
        clock.advance(Duration.ofSeconds(2));
        assertThat(cache.apiToken(created.secret())).isEmpty();
        assertThat(store.tokenLookups).isEqualTo(1);
    }

    @Test
    void aValueThatCannotBeOurTokenCostsNoLookupAndUnknownOnesTakeNoMemory() {
        assertThat(cache.apiToken("change-me")).isEmpty();
        assertThat(cache.apiToken("scim_tok_short")).isEmpty();
        assertThat(store.tokenLookups).isZero();
        String unknown = SecretFormat.API_TOKEN.generate();
        assertThat(cache.apiToken(unknown)).isEmpty();
        assertThat(cache.apiToken(unknown)).isEmpty();
        assertThat(store.tokenLookups).as("absent answers are not kept").isEqualTo(2);
    }

    @Test
    void aDeletedClientsAccessTokensStopWithinTheBound() {
        NewOAuthClient client = new OAuthClients(store, clock).register(workspace, "Okta", null);
        String clientId = client.client().clientId();
        assertThat(cache.oauthClient(clientId, workspace)).contains(
                new Caller(workspace, CredentialKind.OAUTH_CLIENT, client.client().id(), "Okta"));
        assertThat(cache.oauthClient(clientId, UUID.randomUUID())).as("another workspace").isEmpty();
        new OAuthClients(store, clock).delete(workspace, client.client().id());
        clock.advance(CredentialCache.MAX_STALENESS);
        assertThat(cache.oauthClient(clientId, workspace)).isEmpty();
    }

    @Test
    void lastUseIsWrittenOffTheRequestAtMostOnceAMinutePerCredential() {
        NewApiToken created = tokens.create(workspace, "okta", null);
        for (int i = 0; i < 100; i++) {
            cache.apiToken(created.secret());
        }
        assertThat(store.lastUseWrites).as("nothing on the request").isEmpty();
        lastUse.flush();
        assertThat(store.lastUseWrites).containsExactly(
                List.of(new LastUse(CredentialKind.API_TOKEN, created.token().id().toString(), clock.instant())));

        clock.advance(Duration.ofSeconds(30));
        cache.apiToken(created.secret());
        lastUse.flush();
        assertThat(store.lastUseWrites).as("written less than a minute ago").hasSize(1);
        clock.advance(Duration.ofSeconds(30));
        lastUse.flush();
        assertThat(store.lastUseWrites).hasSize(2);
        assertThat(store.lastUseWrites.get(1)).containsExactly(new LastUse(CredentialKind.API_TOKEN,
                created.token().id().toString(), clock.instant().minusSeconds(30)));
        lastUse.flush();
        assertThat(store.lastUseWrites).as("nothing new").hasSize(2);
    }

    @Test
    void aFailedLastUseWriteIsKeptForTheNextFlush() {
        NewApiToken created = tokens.create(workspace, "okta", null);
        cache.apiToken(created.secret());
        store.failWrites = true;
        lastUse.flush();
        store.failWrites = false;
        lastUse.flush();
        assertThat(store.lastUseWrites).containsExactly(
                List.of(new LastUse(CredentialKind.API_TOKEN, created.token().id().toString(), clock.instant())));
    }

    @Test
    void dropStaleForgetsAnswersTooOldToGive() {
        NewApiToken created = tokens.create(workspace, "okta", null);
        cache.apiToken(created.secret());
        clock.advance(CredentialCache.MAX_STALENESS);
        cache.dropStale();
        cache.apiToken(created.secret());
        assertThat(store.tokenLookups).isEqualTo(2);
    }
}
