package dev.scimserver.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimserver.events.EventIds;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Event delivery through faults: a SIGKILLed process, two processes on one database, a database
 * outage, a receiver down and back. After each, every event is delivered, a resource's events
 * arrive in the order of its changes, and an event sent twice carries the same id.
 */
@Tag("slow")
class EventDeliveryFaultTest {
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    private static Map<String, String> env(String jdbcUrl) {
        return Map.of("SCIM_ADMIN_TOKEN", AdminServer.ADMIN_TOKEN, "DATABASE_URL", jdbcUrl,
                "SCIM_EVENTS_ALLOW_INSECURE", "true");
    }

    private static String subscribe(String origin, String url) {
        HttpResponse<String> made = RunningServer.shared().send("POST", origin
                        + "/api/admin/v1/workspaces/default/subscriptions",
                "{\"url\": \"" + url + "\", \"format\": \"webhook\"}",
                Map.of("Authorization", "Bearer " + AdminServer.ADMIN_TOKEN, "Content-Type", "application/json"));
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        return AdminServer.json(made).get("id").asText();
    }

    /** A user made and renamed through {@code origin}: two events of one resource. */
    private static void createAndRename(String origin) {
        String name = "fault-" + UUID.randomUUID() + "@example.com";
        HttpResponse<String> created = RunningServer.shared().send("POST", origin + "/api/scim/v2/Users",
                "{\"userName\":\"" + name + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = AdminServer.json(created).get("id").asText();
        HttpResponse<String> patched = RunningServer.shared().send("PATCH", origin + "/api/scim/v2/Users/" + id,
                "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[{\"op\":\"replace\","
                        + "\"path\":\"displayName\",\"value\":\"Renamed\"}]}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
    }

    /** What the servers on the database make event ids with, to read the journal's numbers back. */
    private static EventIds eventIds(String jdbcUrl) throws Exception {
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT secret, timed_after FROM cursor_keys, event_id_form "
                     + "WHERE cursor_keys.id = 1")) {
            assertThat(row.next()).isTrue();
            return new EventIds(row.getBytes("secret"), row.getLong("timed_after"));
        }
    }

    /** The ids of the subscription's events, once none is left pending (or dead). */
    private static Set<Long> awaitEverythingDelivered(String jdbcUrl, String subscription) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
             Statement statement = connection.createStatement()) {
            while (true) {
                Set<Long> delivered = new TreeSet<>();
                int unfinished = 0;
                try (ResultSet rows = statement.executeQuery("SELECT journal_id, state FROM event_deliveries "
                        + "WHERE subscription_id = '" + UUID.fromString(subscription) + "'")) {
                    while (rows.next()) {
                        if (rows.getString("state").equals("delivered")) {
                            delivered.add(rows.getLong("journal_id"));
                        } else {
                            unfinished++;
                        }
                    }
                }
                if (unfinished == 0 && !delivered.isEmpty()) {
                    return delivered;
                }
                assertThat(System.nanoTime()).as(unfinished + " events still undelivered").isLessThan(deadline);
                Thread.sleep(250);
            }
        }
    }

    /**
     * What the receiver got: every event at least once, nothing else; per resource, never an earlier
     * event after a later one; each id always with the same type and resource. How many came twice.
     */
    private static int assertDeliveredInOrder(EventReceiver receiver, Set<Long> expected, String jdbcUrl)
            throws Exception {
        EventIds eventIds = eventIds(jdbcUrl);
        Map<String, List<Long>> perResource = new LinkedHashMap<>();
        Map<Long, String> seen = new HashMap<>();
        int duplicates = 0;
        for (EventReceiver.Received request : receiver.received()) {
            JsonNode event = request.json();
            long id = eventIds.named(request.header("webhook-id")).journalId();
            assertThat(id).as("an id of this server's").isNotNegative();
            String what = event.get("type").asText() + " " + event.at("/data/resourceId").asText();
            String before = seen.putIfAbsent(id, what);
            if (before != null) {
                duplicates++;
                assertThat(what).as("the same id, the same event").isEqualTo(before);
            }
            perResource.computeIfAbsent(event.at("/data/resourceId").asText(), r -> new ArrayList<>()).add(id);
        }
        assertThat(new TreeSet<>(seen.keySet())).containsExactlyElementsOf(expected);
        perResource.forEach((resource, ids) -> assertThat(ids).as(resource).isSorted());
        return duplicates;
    }

    @Test
    void aSigkillDuringDeliveryLosesNothingAndAnotherProcessTakesOver() throws Exception {
        String database = EventsDatabase.create();
        try (EventReceiver receiver = new EventReceiver()) {
            receiver.answer(request -> {
                EventReceiver.sleep(Duration.ofMillis(150));
                return 204;
            });
            String subscription;
            try (ServerProcess first = ServerProcess.start(env(database))) {
                String origin = "http://localhost:" + first.port();
                subscription = subscribe(origin, receiver.url());
                for (int i = 0; i < 15; i++) {
                    createAndRename(origin);
                }
                receiver.await(all -> all.size() >= 5, PATIENCE);
                first.kill();
            }
            try (ServerProcess second = ServerProcess.start(env(database))) {
                Set<Long> expected = awaitEverythingDelivered(database, subscription);
                assertThat(expected).hasSize(30);
                assertDeliveredInOrder(receiver, expected, database);
            }
        }
    }

    @Test
    void twoProcessesOnOneDatabaseShareTheDeliveriesWithoutSendingAnyTwice() throws Exception {
        String database = EventsDatabase.create();
        try (EventReceiver receiver = new EventReceiver();
             ServerProcess first = ServerProcess.start(env(database));
             ServerProcess second = ServerProcess.start(env(database))) {
            String one = "http://localhost:" + first.port();
            String two = "http://localhost:" + second.port();
            String subscription = subscribe(one, receiver.url());
            for (int i = 0; i < 20; i++) {
                createAndRename(i % 2 == 0 ? one : two);
            }
            Set<Long> expected = awaitEverythingDelivered(database, subscription);
            assertThat(expected).hasSize(40);
            assertThat(assertDeliveredInOrder(receiver, expected, database)).as("duplicates in normal operation").isZero();
        }
    }

    @Test
    void aDatabaseOutagePausesDeliveryAndItResumesByItself() throws Exception {
        String database = EventsDatabase.create();
        try (EventReceiver receiver = new EventReceiver();
             TcpProxy proxy = TcpProxy.inFrontOf(database)) {
            receiver.answer(request -> {
                EventReceiver.sleep(Duration.ofMillis(200));
                return 204;
            });
            String viaProxy = proxy.jdbcUrl();
            try (ServerProcess server = ServerProcess.start(env(viaProxy))) {
                String origin = "http://localhost:" + server.port();
                String subscription = subscribe(origin, receiver.url());
                for (int i = 0; i < 10; i++) {
                    createAndRename(origin);
                }
                receiver.await(all -> all.size() >= 3, PATIENCE);
                proxy.cut();
                Thread.sleep(5_000);
                proxy.restore();
                Set<Long> expected = awaitEverythingDelivered(database, subscription);
                assertThat(expected).hasSize(20);
                assertDeliveredInOrder(receiver, expected, database);
            }
        }
    }

    @Test
    void aReceiverDownForAWhileGetsEverythingOnceItIsBack() throws Exception {
        String database = EventsDatabase.create();
        Map<String, String> env = new HashMap<>(env(database));
        env.putAll(Map.of("SCIM_ENABLED", "true", "SCIM_HEADER_AUTH_TOKEN", RunningServer.TOKEN, "PORT", "0"));
        EventReceiver gone = new EventReceiver();
        int port = gone.port();
        String url = gone.url();
        gone.close();
        try (ScimServer server = ScimServer.start(Config.from(env))) {
            String origin = "http://localhost:" + server.port();
            String subscription = subscribe(origin, url);
            for (int i = 0; i < 10; i++) {
                createAndRename(origin);
            }
            Thread.sleep(15_000);
            try (EventReceiver back = new EventReceiver(port)) {
                Set<Long> expected = awaitEverythingDelivered(database, subscription);
                assertThat(expected).hasSize(20);
                assertDeliveredInOrder(back, expected, database);
            }
        }
    }

}
