package dev.scimserver.store;

import com.nimbusds.jwt.SignedJWT;
import dev.scimserver.access.AccessTokenIssuer;
import dev.scimserver.access.AccessTokenVerifier;
import dev.scimserver.access.AuthorizationServerUrls;
import dev.scimserver.access.ClientCredentialsGrant;
import dev.scimserver.access.ClientSecretAuthenticator;
import dev.scimserver.access.LastUseRecorder;
import dev.scimserver.access.MutableClock;
import dev.scimserver.access.NewOAuthClient;
import dev.scimserver.access.OAuthClients;
import dev.scimserver.access.RequestThrottle;
import dev.scimserver.access.SigningKeys;
import dev.scimserver.access.StoredSigningKey;
import dev.scimserver.access.TokenEndpoint;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.net.InetAddress;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Signing keys live in PostgreSQL and are shared: a key one process makes signs tokens another
 * process checks, a rotation on one is followed by the other, and racing processes still leave
 * exactly one active key.
 */
class PostgresSigningKeyStoreTest {
    private static final Duration LIFETIME = Duration.ofHours(1);
    private static final AuthorizationServerUrls URLS =
            AuthorizationServerUrls.of(URI.create("https://scim.example.com"), "/api/scim/v2");

    private final DataSource dataSource = CredentialTestDatabase.separateDataSource();
    private final MutableClock clock = MutableClock.atNow();

    @Test
    void aKeyMadeByOneProcessIsUsedByAnother() throws Exception {
        SigningKeys first = process();
        first.ensureActiveKey();
        SigningKeys second = process();
        second.ensureActiveKey();
        assertThat(activeKeys()).isEqualTo(1);
        assertThat(second.jwksJson()).isEqualTo(first.jwksJson());
    }

    @Test
    void aRotationOnOneProcessKeepsOldTokensAndIsFollowedByTheOther() throws Exception {
        PostgresCredentialStore credentials = new PostgresCredentialStore(dataSource);
        NewOAuthClient client = new OAuthClients(credentials, clock)
                .register(CredentialTestDatabase.newWorkspace(dataSource), "Okta", null);
        Process first = new Process(client);
        first.keys.ensureActiveKey();
        clock.advance(Duration.ofMinutes(5));
        Process second = new Process(client);
        String before = first.issue();
        assertThat(second.verify(before)).isTrue();

        String newKid = first.keys.rotate();
        clock.advance(SigningKeys.SIGNING_LEAD);
        String after = first.issue();
        assertThat(kid(after)).isEqualTo(newKid);
        assertThat(second.keys.jwksJson()).as("the second publishes the new key before it signs").contains(newKid);
        assertThat(second.verify(after)).as("the second has read the keys again").isTrue();
        assertThat(second.verify(before)).as("issued before the rotation").isTrue();
        assertThat(kid(second.issue())).as("the second signs with the new key too").isEqualTo(newKid);
    }

    /** One server process: its own connection to the database, its own key ring. */
    private final class Process {
        final SigningKeys keys = process();
        final NewOAuthClient client;
        final TokenEndpoint endpoint;
        final AccessTokenVerifier verifier = new AccessTokenVerifier(keys, clock);

        Process(NewOAuthClient client) {
            this.client = client;
            PostgresCredentialStore credentials = new PostgresCredentialStore(CredentialTestDatabase.separateDataSource());
            this.endpoint = new TokenEndpoint(new ClientSecretAuthenticator(credentials,
                    new LastUseRecorder(credentials, clock), clock),
                    new ClientCredentialsGrant(new AccessTokenIssuer(keys, clock)), RequestThrottle.of(0));
        }

        String issue() {
            return endpoint.exchange(null, Map.of("grant_type", List.of("client_credentials"),
                    "client_id", List.of(client.client().clientId()),
                    "client_secret", List.of(client.secret().value())), URLS, InetAddress.getLoopbackAddress())
                    .accessToken();
        }

        boolean verify(String token) {
            return verifier.verify(token, URLS).isPresent();
        }
    }

    private static String kid(String token) throws Exception {
        return SignedJWT.parse(token).getHeader().getKeyID();
    }

    @Test
    void racingProcessesLeaveExactlyOneActiveKey() throws Exception {
        CredentialTestDatabase.update(dataSource, "UPDATE signing_keys SET retired_at = ? WHERE retired_at IS NULL",
                clock.instant().atOffset(ZoneOffset.UTC));
        assertThat(activeKeys()).isZero();
        race(() -> {
            process().ensureActiveKey();
            return null;
        });
        assertThat(activeKeys()).isEqualTo(1);
        race(() -> process().rotate());
        assertThat(activeKeys()).isEqualTo(1);
    }

    @Test
    void processesThatFindTheKeyDueRotateItOnce() throws Exception {
        process().ensureActiveKey();
        clock.advance(SigningKeys.ROTATION_AGE.plusMinutes(1));
        PostgresSigningKeyStore store = new PostgresSigningKeyStore(dataSource);
        int before = store.signingKeys().size();
        List<Object> rotated = race(() -> process().rotateWhenDue().orElse(null));
        assertThat(rotated).filteredOn(java.util.Objects::nonNull).hasSize(1);
        assertThat(store.signingKeys()).hasSize(before + 1);
        assertThat(activeKeys()).isEqualTo(1);
        assertThat(process().rotateWhenDue()).as("the new key is young").isEmpty();
    }

    @Test
    void theStoreKeepsAtMostOneActiveKey() {
        PostgresSigningKeyStore store = new PostgresSigningKeyStore(dataSource);
        process().ensureActiveKey();
        StoredSigningKey active = store.signingKeys().stream().filter(k -> k.retiredAt() == null).findFirst()
                .orElseThrow();
        StoredSigningKey copy = new StoredSigningKey(active.kid() + "-copy", active.publicJwk(), active.privateJwk(),
                clock.instant(), null);
        assertThat(store.insertActiveKeyIfNone(copy)).isFalse();
        assertThat(store.signingKeys()).extracting(StoredSigningKey::kid).doesNotContain(active.kid() + "-copy");
        assertThat(active.toString()).doesNotContain(active.privateJwk());
    }

    @Test
    void pruningDeletesOnlyKeysRetiredBeforeTheGivenTime() {
        PostgresSigningKeyStore store = new PostgresSigningKeyStore(dataSource);
        SigningKeys keys = process();
        keys.ensureActiveKey();
        String retiring = store.signingKeys().stream().filter(k -> k.retiredAt() == null).findFirst().orElseThrow().kid();
        keys.rotate();
        store.deleteKeysRetiredBefore(clock.instant());
        assertThat(store.signingKeys()).as("retired at, not before").extracting(StoredSigningKey::kid)
                .contains(retiring);
        assertThat(store.deleteKeysRetiredBefore(clock.instant().plusMillis(1))).isPositive();
        assertThat(store.signingKeys()).extracting(StoredSigningKey::kid).doesNotContain(retiring);
    }

    private SigningKeys process() {
        return new SigningKeys(new PostgresSigningKeyStore(CredentialTestDatabase.separateDataSource()), LIFETIME, clock);
    }

    private int activeKeys() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM signing_keys WHERE retired_at IS NULL")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static List<Object> race(Callable<Object> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Object>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return work.call();
                }));
            }
            start.countDown();
            List<Object> values = new ArrayList<>();
            for (Future<Object> result : results) {
                values.add(result.get());
            }
            return values;
        } finally {
            pool.shutdownNow();
        }
    }
}
