package dev.scimserver.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static dev.scimserver.app.ScimAssertions.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deadlocks between a Bulk and another request (RFC 7644 §3.7 says nothing of them; PostgreSQL undoes
 * one of the transactions). Neither request answers 500: the undone Bulk runs again from the start and
 * succeeds, or answers 503 with Retry-After; an undone single request answers 503 with Retry-After; and
 * each request is applied whole or not at all. The deadlock is made, not hoped for: each Bulk locks its
 * first group, then waits at a user row this test holds locked; once both wait, the test lets go and
 * each Bulk asks for the group the other holds. Each Bulk begins with an operation that fails, so the
 * rest of it runs with savepoints, where a deadlock used to end the whole Bulk in a 500.
 */
class BulkDeadlockContractTest {
    private static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    private final RunningServer server = RunningServer.shared();
    private final ExecutorService clients = Executors.newFixedThreadPool(2);
    private Connection gate;
    private Connection observer;

    @BeforeEach
    void connect() throws SQLException {
        gate = DriverManager.getConnection(server.jdbcUrl());
        gate.setAutoCommit(false);
        observer = DriverManager.getConnection(server.jdbcUrl());
    }

    @AfterEach
    void disconnect() throws SQLException {
        gate.rollback();
        gate.close();
        observer.close();
        clients.shutdownNow();
    }

    @Test
    void twoBulksPatchingTwoGroupsInOppositeOrder() throws Exception {
        String first = newGroup();
        String second = newGroup();
        String memberA = newUser();
        String memberB = newUser();
        String gateA = newUser();
        String gateB = newUser();
        holdRows(gateA, gateB);
        long deadlocksBefore = deadlocks();
        Future<HttpResponse<String>> bulkA = send("POST", "/Bulk", bulk(
                addMember(first, memberA), setTitle(gateA, "bulk-a"), addMember(second, memberA)));
        Future<HttpResponse<String>> bulkB = send("POST", "/Bulk", bulk(
                addMember(second, memberB), setTitle(gateB, "bulk-b"), addMember(first, memberB)));
        awaitThat("both Bulks wait at the gate, each holding its first group", () -> waiting() == 2);
        gate.rollback();
        boolean appliedA = appliedWholeOrNotAtAll(bulkA.get(60, TimeUnit.SECONDS));
        boolean appliedB = appliedWholeOrNotAtAll(bulkB.get(60, TimeUnit.SECONDS));
        awaitThat("PostgreSQL counted the deadlock", () -> deadlocks() > deadlocksBefore);
        for (String group : List.of(first, second)) {
            List<String> members = json(server.send("GET", "/Groups/" + group, null)).path("members")
                    .findValuesAsText("value");
            assertThat(members.contains(memberA)).as("bulk A's member in " + group).isEqualTo(appliedA);
            assertThat(members.contains(memberB)).as("bulk B's member in " + group).isEqualTo(appliedB);
        }
        assertThat(title(gateA)).isEqualTo(appliedA ? "bulk-a" : "");
        assertThat(title(gateB)).isEqualTo(appliedB ? "bulk-b" : "");
    }

    /**
     * A Bulk changes a member of a group (locking the member's row), then waits at the gate; a PUT of
     * that group, naming the member, locks the group and waits for the member's row; the Bulk, let go,
     * asks for the group. PostgreSQL undoes the one that waited first: the PUT, rerun or answered 503.
     */
    @Test
    void aSingleRequestAndABulk() throws Exception {
        String held = newUser();
        String joining = newUser();
        String gateUser = newUser();
        String name = "deadlock-group-" + UUID.randomUUID();
        String members = "[{\"value\":\"" + held + "\"}]";
        String group = json(server.send("POST", "/Groups", "{\"displayName\":\"" + name + "\",\"members\":"
                + members + "}")).path("id").asText();
        holdRows(gateUser);
        long deadlocksBefore = deadlocks();
        Future<HttpResponse<String>> bulk = send("POST", "/Bulk", bulk(setTitle(held, "bulk"),
                setTitle(gateUser, "bulk"), addMember(group, joining)));
        awaitThat("the Bulk waits at the gate", () -> waiting() == 1);
        Future<HttpResponse<String>> put = send("PUT", "/Groups/" + group, "{\"displayName\":\"" + name
                + "\",\"members\":" + members + "}");
        awaitThat("the PUT waits for the Bulk", () -> waiting() == 2);
        gate.rollback();
        HttpResponse<String> replaced = put.get(60, TimeUnit.SECONDS);
        assertThat(replaced.statusCode()).as(replaced.body()).isIn(200, 503);
        if (replaced.statusCode() == 503) {
            assertThat(replaced.headers().firstValue("Retry-After")).isPresent();
            assertThat(json(replaced).path("status").asText()).isEqualTo("503");
        }
        boolean bulkApplied = appliedWholeOrNotAtAll(bulk.get(60, TimeUnit.SECONDS));
        awaitThat("PostgreSQL counted the deadlock", () -> deadlocks() > deadlocksBefore);
        List<String> found = json(server.send("GET", "/Groups/" + group, null)).path("members").findValuesAsText("value");
        // The PUT, rerun after the Bulk, leaves only the member it names; answered 503, the Bulk's stays.
        assertThat(found).containsExactlyInAnyOrderElementsOf(bulkApplied && replaced.statusCode() == 503
                ? List.of(held, joining) : List.of(held));
        assertThat(title(held)).isEqualTo(bulkApplied ? "bulk" : "");
    }

    /**
     * 200 with every operation done but the first, which fails on purpose; or 503 with Retry-After.
     * Never a 500. Whether it was applied.
     */
    private static boolean appliedWholeOrNotAtAll(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isIn(200, 503);
        if (response.statusCode() == 503) {
            assertThat(response.headers().firstValue("Retry-After")).isPresent();
            return false;
        }
        JsonNode operations = json(response).path("Operations");
        assertThat(operations).hasSize(4);
        assertThat(operations.get(0).path("status").asText()).isEqualTo("404");
        for (int i = 1; i < 4; i++) {
            assertThat(operations.get(i).path("status").asText()).as(operations.get(i).toString()).isIn("200", "204");
        }
        return true;
    }

    private static String bulk(String... operations) {
        return "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:BulkRequest\"],\"Operations\":["
                + "{\"method\":\"DELETE\",\"path\":\"/Users/" + UUID.randomUUID() + "\"},"
                + String.join(",", operations) + "]}";
    }

    private static String addMember(String group, String user) {
        return "{\"method\":\"PATCH\",\"path\":\"/Groups/" + group + "\",\"data\":{\"schemas\":[\"" + PATCH_OP
                + "\"],\"Operations\":[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"" + user + "\"}]}]}}";
    }

    private static String setTitle(String user, String title) {
        return "{\"method\":\"PATCH\",\"path\":\"/Users/" + user + "\",\"data\":{\"schemas\":[\"" + PATCH_OP
                + "\"],\"Operations\":[{\"op\":\"replace\",\"path\":\"title\",\"value\":\"" + title + "\"}]}}";
    }

    private Future<HttpResponse<String>> send(String method, String path, String body) {
        return clients.submit(() -> server.send(method, path, body));
    }

    private String newUser() {
        return json(server.send("POST", "/Users", "{\"userName\":\"deadlock-" + UUID.randomUUID() + "\"}"))
                .path("id").asText();
    }

    private String newGroup() {
        return json(server.send("POST", "/Groups", "{\"displayName\":\"deadlock-" + UUID.randomUUID() + "\"}"))
                .path("id").asText();
    }

    private String title(String user) {
        return json(server.send("GET", "/Users/" + user, null)).path("title").asText();
    }

    /** Locks the users' membership rows in the gate's transaction, until the test lets go. */
    private void holdRows(String... users) throws SQLException {
        try (PreparedStatement lock = gate.prepareStatement(
                "SELECT user_id FROM workspace_members WHERE user_id = ANY(?::uuid[]) FOR UPDATE")) {
            lock.setArray(1, gate.createArrayOf("text", users));
            lock.executeQuery().close();
        }
    }

    /** How many sessions of this database wait for a lock another one holds. */
    private int waiting() {
        return (int) query("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                + "AND cardinality(pg_blocking_pids(pid)) > 0");
    }

    private long deadlocks() {
        return query("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()");
    }

    private long query(String sql) {
        try (PreparedStatement statement = observer.prepareStatement(sql); ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits, within a bound, for what the database shows; the bound is no measure of anything. */
    private static void awaitThat(String what, BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("still not so after 30 seconds: " + what);
    }
}
