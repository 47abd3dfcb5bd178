package dev.scimserver.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimserver.directory.Actor;
import dev.scimserver.directory.DirectoryStore;
import dev.scimserver.directory.DirectoryTransaction;
import dev.scimserver.directory.GroupService;
import dev.scimserver.directory.PasswordHasher;
import dev.scimserver.directory.ResourceSearch;
import dev.scimserver.directory.UserService;
import dev.scimserver.access.AccessTokenIssuer;
import dev.scimserver.access.ClientCredentialsGrant;
import dev.scimserver.access.ClientSecretAuthenticator;
import dev.scimserver.access.EnvironmentCredentials;
import dev.scimserver.access.LastUseRecorder;
import dev.scimserver.access.PublicUrls;
import dev.scimserver.access.RequestThrottle;
import dev.scimserver.access.SigningKeys;
import dev.scimserver.access.TokenEndpoint;
import dev.scimserver.access.TrustedProxies;
import dev.scimserver.http.scim.Observability;
import dev.scimserver.http.scim.ScimApi;
import dev.scimserver.store.Database;
import dev.scimserver.store.PostgresCredentialStore;
import dev.scimserver.store.PostgresDirectoryStore;
import dev.scimserver.store.PostgresSigningKeyStore;
import io.javalin.Javalin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

import static dev.scimserver.app.ScimAssertions.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A password is hashed once per write, before the write's transaction opens: never under the row
 * lock of the user it changes, never again when a Bulk replays its operations. The server is the
 * real wiring on the shared database, with a hasher that counts and a store that says when a
 * transaction is open on the calling thread.
 */
class PasswordHashingTest {
    private static Database database;
    private static Javalin javalin;
    private static final ObservedStore store = new ObservedStore();
    private static final CountingHasher hasher = new CountingHasher();
    private final RunningServer server = RunningServer.shared();

    @BeforeAll
    static void start() {
        database = Database.external(RunningServer.shared().jdbcUrl(), "postgres", RunningServer.shared().databasePassword(), 4);
        store.real = new PostgresDirectoryStore(database.dataSource());
        Clock clock = Clock.systemUTC();
        RequestThrottle throttle = RequestThrottle.of(0);
        PostgresCredentialStore credentials = new PostgresCredentialStore(database.dataSource());
        SigningKeys keys = new SigningKeys(new PostgresSigningKeyStore(database.dataSource()), Duration.ofHours(1), clock);
        LastUseRecorder lastUse = new LastUseRecorder(credentials, clock);
        TokenEndpoint tokens = new TokenEndpoint(new ClientSecretAuthenticator(credentials, lastUse, clock),
                new ClientCredentialsGrant(new AccessTokenIssuer(keys, clock)), throttle);
        javalin = ScimApi.create(new ScimApi.Settings(true,
                        new EnvironmentCredentials(null, null, RunningServer.TOKEN), lastUse,
                        (bearer, urls) -> Optional.empty(),
                        throttle, TrustedProxies.none(), PublicUrls.perRequest(ScimApi.BASE_PATH, TrustedProxies.none()),
                        tokens, keys, Observability.none(), true),
                new UserService(store, clock, hasher), new GroupService(store, clock), new ResourceSearch(store, clock),
                store);
        javalin.start(0);
    }

    @AfterAll
    static void stop() {
        javalin.stop();
        database.close();
    }

    @BeforeEach
    void forget() {
        hasher.hashed.clear();
        hasher.insideTransaction.clear();
    }

    /**
     * Three batched creates, a PUT and a PATCH that set passwords, then an operation that fails, which
     * makes the store undo the run and replay it with savepoints: each password is hashed once, before
     * the Bulk's transaction, and each user keeps the password its last operation set.
     */
    @Test
    void aBulkHashesEachPasswordOnceBeforeItsCommit() throws SQLException {
        String[] names = {unique(), unique(), unique(), unique()};
        HttpResponse<String> response = send("POST", "/Bulk", """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":[
                {"method":"POST","path":"/Users","bulkId":"u1","data":{"userName":"%s","password":"pw-1"}},
                {"method":"POST","path":"/Users","bulkId":"u2","data":{"userName":"%s","password":"pw-2"}},
                {"method":"POST","path":"/Users","bulkId":"u3","data":{"userName":"%s","password":"pw-3"}},
                {"method":"PUT","path":"/Users/bulkId:u1","data":{"userName":"%s","password":"pw-4"}},
                {"method":"PATCH","path":"/Users/bulkId:u2","data":{
                  "schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
                  {"op":"replace","path":"password","value":"pw-5"}]}},
                {"method":"DELETE","path":"/Users/%s"},
                {"method":"POST","path":"/Users","bulkId":"u6","data":{"userName":"%s","password":"pw-6"}}]}
                """.formatted(names[0], names[1], names[2], names[0], UUID.randomUUID(), names[3]));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode results = json(response).path("Operations");
        List<String> statuses = new ArrayList<>();
        results.forEach(r -> statuses.add(r.path("status").asText()));
        assertThat(statuses).containsExactly("201", "201", "201", "200", "200", "404", "201");
        assertThat(hasher.hashed).containsExactlyInAnyOrder("pw-1", "pw-2", "pw-3", "pw-4", "pw-5", "pw-6");
        assertThat(hasher.insideTransaction).isEmpty();
        assertThat(storedHash(results.get(0))).isEqualTo(CountingHasher.hashOf("pw-4"));
        assertThat(storedHash(results.get(1))).isEqualTo(CountingHasher.hashOf("pw-5"));
        assertThat(storedHash(results.get(2))).isEqualTo(CountingHasher.hashOf("pw-3"));
        assertThat(storedHash(results.get(6))).isEqualTo(CountingHasher.hashOf("pw-6"));
    }

    @Test
    void singleWritesHashBeforeTheirTransaction() throws SQLException {
        JsonNode created = json(send("POST", "/Users", "{\"userName\":\"" + unique() + "\",\"password\":\"pw-a\"}"));
        String id = created.path("id").asText();
        assertThat(send("PUT", "/Users/" + id, "{\"userName\":\"" + created.path("userName").asText()
                + "\",\"password\":\"pw-b\"}").statusCode()).isEqualTo(200);
        assertThat(send("PATCH", "/Users/" + id, ScimValues.ops("{\"op\":\"replace\",\"value\":{\"password\":"
                + "\"pw-c\"}}")).statusCode()).isEqualTo(200);
        assertThat(hasher.hashed).containsExactly("pw-a", "pw-b", "pw-c");
        assertThat(hasher.insideTransaction).isEmpty();
        assertThat(storedHash(id)).isEqualTo(CountingHasher.hashOf("pw-c"));
    }

    /**
     * A failure of our own in one operation (here the hasher's) is that operation's 500, with the
     * request id the log has it under; the other operations are applied.
     */
    @Test
    void aBugInOneOperationIsThatOperations500AndTheOthersApply() {
        HttpResponse<String> response = server.send("POST", "http://localhost:" + javalin.port() + ScimApi.BASE_PATH
                + "/Bulk", """
                {"Operations":[
                {"method":"POST","path":"/Users","bulkId":"a","data":{"userName":"%s","password":"pw-a"}},
                {"method":"POST","path":"/Users","bulkId":"bug","data":{"userName":"%s","password":"%s"}},
                {"method":"POST","path":"/Users","bulkId":"b","data":{"userName":"%s","password":"pw-b"}}]}
                """.formatted(unique(), unique(), CountingHasher.FAILS, unique()),
                java.util.Map.of("Authorization", server.bearerAuthorization(), "X-Request-Id", "bulk-with-a-bug"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode results = json(response).path("Operations");
        List<String> statuses = new ArrayList<>();
        results.forEach(r -> statuses.add(r.path("status").asText()));
        assertThat(statuses).containsExactly("201", "500", "201");
        assertThat(results.get(1).path("bulkId").asText()).isEqualTo("bug");
        assertThat(results.get(1).path("response").path("detail").asText()).contains("bulk-with-a-bug");
        for (int i : new int[] {0, 2}) {
            assertThat(send("GET", "/Users/" + results.get(i).path("location").asText().replaceAll(".*/", ""), null)
                    .statusCode()).isEqualTo(200);
        }
    }

    private HttpResponse<String> send(String method, String path, String body) {
        return server.send(method, "http://localhost:" + javalin.port() + ScimApi.BASE_PATH + path, body);
    }

    private static String unique() {
        return "hashing-" + UUID.randomUUID();
    }

    private String storedHash(JsonNode result) throws SQLException {
        return storedHash(result.path("location").asText().replaceAll(".*/", ""));
    }

    private String storedHash(String userId) throws SQLException {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl());
             PreparedStatement q = c.prepareStatement("SELECT password_hash FROM users WHERE id = ?::uuid")) {
            q.setString(1, userId);
            try (ResultSet rs = q.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }

    /**
     * Remembers every password it hashes, and those it was asked to hash while a transaction was open;
     * fails on {@link #FAILS}, as a bug would.
     */
    private static final class CountingHasher implements PasswordHasher {
        /** The password this hasher has a bug with. */
        static final String FAILS = "pw-the-hasher-fails-on";

        final List<String> hashed = Collections.synchronizedList(new ArrayList<>());
        final List<String> insideTransaction = Collections.synchronizedList(new ArrayList<>());

        static String hashOf(String password) {
            return "counted:" + password;
        }

        @Override
        public String hash(String password) {
            if (password.equals(FAILS)) {
                throw new IllegalStateException("a bug in the hasher");
            }
            hashed.add(password);
            if (store.transactionOpen()) {
                insideTransaction.add(password);
            }
            return hashOf(password);
        }

        @Override
        public boolean matches(String password, String hash) {
            if (store.transactionOpen()) {
                insideTransaction.add(password);
            }
            return hash.equals(hashOf(password));
        }
    }

    /** The real store, counting the transactions (and reads) open on the calling thread. */
    private static final class ObservedStore implements DirectoryStore {
        private final ThreadLocal<Integer> depth = ThreadLocal.withInitial(() -> 0);
        PostgresDirectoryStore real;

        boolean transactionOpen() {
            return depth.get() > 0;
        }

        private <T> T inside(Supplier<T> work) {
            depth.set(depth.get() + 1);
            try {
                return work.get();
            } finally {
                depth.set(depth.get() - 1);
            }
        }

        @Override
        public <T> T inTransaction(Actor actor, Function<DirectoryTransaction, T> work) {
            return real.inTransaction(actor, tx -> inside(() -> work.apply(tx)));
        }

        @Override
        public <T> T read(Function<DirectoryTransaction, T> work) {
            return real.read(tx -> inside(() -> work.apply(tx)));
        }

        @Override
        public <T> T readStreaming(Function<DirectoryTransaction, T> work) {
            return real.readStreaming(tx -> inside(() -> work.apply(tx)));
        }

        @Override
        public <T> T inSingleCommit(Actor actor, Supplier<T> work) {
            return real.inSingleCommit(actor, () -> inside(work));
        }

        @Override
        public UUID defaultWorkspaceId() {
            return real.defaultWorkspaceId();
        }

        @Override
        public boolean isAvailable() {
            return real.isAvailable();
        }
    }
}
