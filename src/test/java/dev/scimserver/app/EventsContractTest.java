package dev.scimserver.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Events delivered to an application, through real HTTP both ways: the admin API makes the
 * subscriptions, the SCIM API makes the changes, and {@link EventReceiver} is the application.
 */
class EventsContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static ScimServer server;

    @BeforeAll
    static void start() {
        server = ScimServer.start(Config.from(Map.of("SCIM_ENABLED", "true",
                "SCIM_HEADER_AUTH_TOKEN", RunningServer.TOKEN, "SCIM_ADMIN_TOKEN", AdminServer.ADMIN_TOKEN,
                "PORT", "0", "DATABASE_URL", EventsDatabase.create(), "SCIM_EVENTS_ALLOW_INSECURE", "true")));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String origin() {
        return "http://localhost:" + server.port();
    }

    static HttpResponse<String> send(String method, String url, String body, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", url.contains("/scim/") ? "application/scim+json" : "application/json");
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse<String> admin(String method, String path, String body) {
        return send(method, origin() + "/api/admin/v1/workspaces/default" + path, body, AdminServer.ADMIN_TOKEN);
    }

    static HttpResponse<String> scim(String method, String path, String body) {
        return send(method, origin() + "/api/scim/v2" + path, body, RunningServer.TOKEN);
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    static JsonNode subscribe(String url, String format, String extra) {
        HttpResponse<String> made = admin("POST", "/subscriptions", "{\"url\": " + (url == null ? "null"
                : "\"" + url + "\"") + ", \"format\": \"" + format + "\"" + extra + "}");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        assertThat(made.headers().firstValue("Location"))
                .hasValue("/api/admin/v1/workspaces/default/subscriptions/" + json(made).path("id").asText());
        return json(made);
    }

    static String createUser(String password) {
        String name = "u" + UUID.randomUUID() + "@example.com";
        HttpResponse<String> created = scim("POST", "/Users", "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:"
                + "User\"],\"userName\":\"" + name + "\",\"displayName\":\"First\",\"emails\":[{\"value\":\"" + name
                + "\",\"primary\":true}]" + (password == null ? "" : ",\"password\":\"" + password + "\"") + "}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json(created).get("id").asText();
    }

    static void rename(String userId, String displayName) {
        HttpResponse<String> patched = scim("PATCH", "/Users/" + userId, "{\"schemas\":[\"urn:ietf:params:scim:api:"
                + "messages:2.0:PatchOp\"],\"Operations\":[{\"op\":\"replace\",\"path\":\"displayName\",\"value\":\""
                + displayName + "\"}]}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
    }

    /** What the server records after the receiver has answered comes a moment later: wait for it. */
    static JsonNode eventually(String path, java.util.function.Predicate<JsonNode> done) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            JsonNode found = json(admin("GET", path, null));
            if (done.test(found) || System.nanoTime() > deadline) {
                return found;
            }
            Thread.sleep(100);
        }
    }

    static List<EventReceiver.Received> about(List<EventReceiver.Received> all, String resourceId) {
        return all.stream().filter(request -> request.text().contains(resourceId)).toList();
    }

    @Test
    void anotherWorkspaceIsServedWhileEveryReceiverOfOneIsSlow() throws Exception {
        // 17 receivers of the Default Workspace each hold their request for up to 9 s (within the
        // 10-second timeout, so nothing fails); meanwhile another workspace's receiver gets its event
        // at once, and afterwards each slow receiver has had its event exactly once.
        int slowReceivers = 17;
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        String slug = "events-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(send("POST", origin() + "/api/admin/v1/workspaces", "{\"name\": \"Events B\", \"slug\": \""
                + slug + "\"}", AdminServer.ADMIN_TOKEN).statusCode()).isEqualTo(201);
        List<String> slowSubscriptions = new java.util.ArrayList<>();
        try (EventReceiver slow = new EventReceiver(); EventReceiver other = new EventReceiver()) {
            slow.answer(request -> {
                try {
                    release.await(9, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return 204;
            });
            for (int i = 0; i < slowReceivers; i++) {
                slowSubscriptions.add(subscribe(slow.url() + "/" + i, "webhook", "").get("id").asText());
            }
            HttpResponse<String> subscribed = send("POST", origin() + "/api/admin/v1/workspaces/" + slug
                    + "/subscriptions", "{\"url\": \"" + other.url() + "\", \"format\": \"webhook\"}",
                    AdminServer.ADMIN_TOKEN);
            assertThat(subscribed.statusCode()).as(subscribed.body()).isEqualTo(201);
            try {
                String user = createUser(null);
                // Sixteen held at once: as many as the process lets one workspace have in flight.
                slow.await(all -> about(all, user).size() >= 16, PATIENCE);
                int before = other.received().size();
                assertThat(send("PATCH", origin() + "/api/admin/v1/workspaces/" + slug, "{\"name\": \"Events B, "
                        + "renamed\"}", AdminServer.ADMIN_TOKEN).statusCode()).isEqualTo(200);
                other.await(all -> all.size() > before, Duration.ofSeconds(5));
                assertThat(about(slow.received(), user)).as("the slow receivers are all still holding theirs")
                        .hasSizeLessThan(slowReceivers);
                release.countDown();
                slow.await(got -> about(got, user).size() >= slowReceivers, PATIENCE);
                EventReceiver.sleep(Duration.ofSeconds(1));
                assertThat(about(slow.received(), user)).as("once each").hasSize(slowReceivers);
            } finally {
                release.countDown();
                for (String id : slowSubscriptions) {
                    admin("DELETE", "/subscriptions/" + id, null);
                }
            }
        }
    }

    @Test
    void aWebhookSecretSealedUnderAKeyTheServerNoLongerHasFailsItsAttemptsInSight() throws Exception {
        // The operator drops SCIM_EVENTS_SECRET_KEY: nothing can be signed for the subscriptions sealed
        // under it, and each attempt says so in the deliveries (retried on the schedule, and in the
        // end dead and paused), instead of going round its lease unseen.
        String database = EventsDatabase.create();
        Map<String, String> env = new HashMap<>(Map.of("SCIM_ENABLED", "true", "SCIM_HEADER_AUTH_TOKEN",
                RunningServer.TOKEN, "SCIM_ADMIN_TOKEN", AdminServer.ADMIN_TOKEN, "PORT", "0", "DATABASE_URL",
                database, "SCIM_EVENTS_ALLOW_INSECURE", "true"));
        String subscription;
        try (EventReceiver receiver = new EventReceiver()) {
            Map<String, String> sealed = new HashMap<>(env);
            sealed.put("SCIM_EVENTS_SECRET_KEY", java.util.Base64.getEncoder().encodeToString(new byte[32]));
            try (ScimServer withKey = ScimServer.start(Config.from(sealed))) {
                subscription = json(send("POST", "http://localhost:" + withKey.port()
                                + "/api/admin/v1/workspaces/default/subscriptions", "{\"url\": \"" + receiver.url()
                                + "\", \"format\": \"webhook\"}", AdminServer.ADMIN_TOKEN)).get("id").asText();
            }
            try (ScimServer withoutKey = ScimServer.start(Config.from(env))) {
                String origin = "http://localhost:" + withoutKey.port();
                HttpResponse<String> created = send("POST", origin + "/api/scim/v2/Users", "{\"userName\": \"sealed-"
                        + UUID.randomUUID() + "@example.com\"}", RunningServer.TOKEN);
                assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
                long deadline = System.nanoTime() + PATIENCE.toNanos();
                JsonNode deliveries;
                do {
                    Thread.sleep(100);
                    deliveries = json(send("GET", origin + "/api/admin/v1/workspaces/default/subscriptions/"
                            + subscription + "/deliveries", null, AdminServer.ADMIN_TOKEN));
                } while (deliveries.at("/deliveries/0/attempts").asInt() == 0 && System.nanoTime() < deadline);
                assertThat(deliveries.at("/deliveries/0/state").asText()).isEqualTo("pending");
                assertThat(deliveries.at("/deliveries/0/attempts").asInt()).isEqualTo(1);
                assertThat(deliveries.at("/deliveries/0/lastError").asText()).contains("SCIM_EVENTS_SECRET_KEY");
                assertThat(deliveries.at("/items/0/error").asText()).contains("SCIM_EVENTS_SECRET_KEY");
                assertThat(receiver.received()).as("nothing unsigned went out").isEmpty();
            }
        }
    }

    @Test
    void aRotatedSecretSignsBesideTheOldOneUntilItsOverlapEnds() throws Exception {
        try (EventReceiver receiver = new EventReceiver()) {
            JsonNode subscription = subscribe(receiver.url(), "webhook", "");
            String path = "/subscriptions/" + subscription.get("id").asText();
            String first = subscription.get("secret").asText();

            HttpResponse<String> rotated = admin("POST", path + "/secret", null);
            assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(201);
            String second = json(rotated).get("secret").asText();
            assertThat(second).startsWith("whsec_").isNotEqualTo(first);
            Instant overlapEnds = Instant.parse(json(rotated).get("previousSecretExpiresAt").asText());
            assertThat(overlapEnds).isBetween(Instant.now().plus(Duration.ofHours(23)),
                    Instant.now().plus(Duration.ofHours(25)));
            String read = admin("GET", path, null).body();
            assertThat(read).doesNotContain("whsec_").contains("previousSecretExpiresAt").contains("secretRotatedAt");

            String user = createUser(null);
            EventReceiver.Received created = about(receiver.await(all -> !about(all, user).isEmpty(), PATIENCE),
                    user).get(0);
            assertThat(EventReceiver.verifiesWebhook(second, created)).as("the new secret signs").isTrue();
            assertThat(EventReceiver.verifiesWebhook(first, created)).as("so does the old one, for now").isTrue();

            // A secret that leaked is replaced at once: no overlap.
            HttpResponse<String> replaced = admin("POST", path + "/secret", "{\"previousSecretHours\": 0}");
            assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(201);
            String third = json(replaced).get("secret").asText();
            assertThat(json(replaced).get("previousSecretExpiresAt").isNull()).isTrue();
            rename(user, "Rotated");
            EventReceiver.Received renamed = about(receiver.await(all -> about(all, user).size() >= 2, PATIENCE),
                    user).get(1);
            assertThat(EventReceiver.verifiesWebhook(third, renamed)).isTrue();
            assertThat(EventReceiver.verifiesWebhook(second, renamed)).isFalse();
            assertThat(EventReceiver.verifiesWebhook(first, renamed)).isFalse();
            assertThat(renamed.header("webhook-signature").split(" ")).hasSize(1);
        }
    }

    @Test
    void onlyAWebhooksSecretRotatesAndItsOverlapIsBounded() {
        String webhook = subscribe("https://example.com/hook", "webhook", "").get("id").asText();
        for (String body : List.of("{\"previousSecretHours\": -1}", "{\"previousSecretHours\": 169}",
                "{\"previousSecretHours\": \"24\"}", "{\"previousSecretHours\": 1.5}", "{\"previousSecretHours\": 1e999}",
                "{\"previousSecretHours\": 24.0000000000000001}", "{\"other\": 1}")) {
            HttpResponse<String> answer = admin("POST", "/subscriptions/" + webhook + "/secret", body);
            assertThat(answer.statusCode()).as(body).isEqualTo(400);
            assertThat(json(answer).get("field").asText()).as(body)
                    .isEqualTo(body.contains("other") ? "other" : "previousSecretHours");
        }
        // Beyond what any decimal holds: a body that cannot be read, not a failure of the server.
        assertThat(admin("POST", "/subscriptions/" + webhook + "/secret", "{\"previousSecretHours\": 1e9999999999}")
                .statusCode()).isEqualTo(400);
        String set = subscribe("https://example.com/set", "set-push", "").get("id").asText();
        HttpResponse<String> noSecret = admin("POST", "/subscriptions/" + set + "/secret", null);
        assertThat(noSecret.statusCode()).as(noSecret.body()).isEqualTo(409);
        assertThat(json(noSecret).has("field")).isFalse();
        assertThat(noSecret.body()).doesNotContain("whsec_");
        assertThat(admin("POST", "/subscriptions/" + UUID.randomUUID() + "/secret", null).statusCode()).isEqualTo(404);
        AdminServer.assertNoContent(admin("DELETE", "/subscriptions/" + webhook, null));
        admin("DELETE", "/subscriptions/" + set, null);
    }

    @Test
    void aWebhookCarriesTheChangeSignedWithTheSecretShownOnce() throws Exception {
        try (EventReceiver receiver = new EventReceiver()) {
            JsonNode subscription = subscribe(receiver.url(), "webhook", "");
            String secret = subscription.get("secret").asText();
            assertThat(secret).startsWith("whsec_");
            assertThat(admin("GET", "/subscriptions", null).body()).doesNotContain(secret).doesNotContain("whsec_");
            assertThat(admin("GET", "/subscriptions/" + subscription.get("id").asText(), null).body())
                    .doesNotContain("whsec_");

            String user = createUser("s3cret-Passw0rd!");
            rename(user, "Second");
            List<EventReceiver.Received> events = about(receiver.await(all -> about(all, user).size() >= 2, PATIENCE),
                    user);

            EventReceiver.Received created = events.get(0);
            assertThat(EventReceiver.verifiesWebhook(secret, created)).isTrue();
            assertThat(EventReceiver.verifiesWebhook("whsec_" + java.util.Base64.getEncoder()
                    .encodeToString(new byte[32]), created)).isFalse();
            assertThat(created.header("content-type")).startsWith("application/json");
            assertThat(created.header("user-agent")).contains("scim-server");
            // A plain-HTTP receiver gets HTTP/1.1 as it is: no offer to switch to HTTP/2 (h2c), which some
            // servers answer by closing the connection or by failing the request.
            assertThat(created.headers()).doesNotContainKeys("upgrade", "http2-settings");
            assertThat(created.header("connection")).isNull();
            JsonNode body = created.json();
            assertThat(body.get("id").asText()).isEqualTo(created.header("webhook-id")).startsWith("evt_");
            assertThat(body.get("type").asText()).isEqualTo("user.created");
            assertThat(body.at("/data/resourceType").asText()).isEqualTo("User");
            assertThat(body.at("/data/resource/id").asText()).isEqualTo(user);
            assertThat(body.at("/data/version").asText()).isEqualTo(body.at("/data/resource/meta/version").asText());
            assertThat(created.text()).doesNotContain("s3cret").doesNotContain("\"password\":");

            JsonNode updated = events.get(1).json();
            assertThat(updated.get("type").asText()).isEqualTo("user.updated");
            assertThat(updated.at("/data/changedAttributes").toString()).isEqualTo("[\"displayName\"]");
            assertThat(updated.at("/data/resource/displayName").asText()).isEqualTo("Second");
            assertThat(updated.at("/data/version").asText()).isEqualTo(json(scim("GET", "/Users/" + user, null))
                    .at("/meta/version").asText());
            assertThat(admin("DELETE", "/subscriptions/" + subscription.get("id").asText(), null).statusCode())
                    .isEqualTo(204);
        }
    }

    @Test
    void aRoleChangeIsAnEventOfItsOwnThatAFilterSelects() throws Exception {
        try (EventReceiver receiver = new EventReceiver()) {
            String id = subscribe(receiver.url(), "webhook", ", \"events\": [\"user.role_changed\"]").get("id").asText();
            String user = createUser(null);
            rename(user, "Not a role change");
            HttpResponse<String> promoted = scim("PATCH", "/Users/" + user, "{\"schemas\":[\"urn:ietf:params:scim:api:"
                    + "messages:2.0:PatchOp\"],\"Operations\":[{\"op\":\"replace\",\"path\":\""
                    + "urn:ietf:params:scim:schemas:extension:tooljet:User:2.0:role\",\"value\":\"builder\"}]}");
            assertThat(promoted.statusCode()).as(promoted.body()).isEqualTo(200);
            rename(user, "Still not a role change");
            JsonNode event = about(receiver.await(all -> about(all, user).size() >= 1, PATIENCE), user).get(0).json();
            assertThat(event.get("type").asText()).isEqualTo("user.role_changed");
            assertThat(event.at("/data/changedAttributes").toString()).contains("role");
            // The first event of the user to arrive is the role change: per resource, nothing earlier was queued.
            // The deliveries are written with each change, so the later rename would be listed by now.
            JsonNode deliveries = json(admin("GET", "/subscriptions/" + id + "/deliveries", null)).get("deliveries");
            assertThat(deliveries.findValuesAsText("type")).containsOnly("user.role_changed");
        }
    }

    /**
     * Okta, syncing passwords, sends the password with every push: the one already set changes nothing,
     * so it is no event and no new version (an application that signs a user out on a password change
     * would do it on every sync). A PUT, a PATCH and a Bulk that send it are answered with the version
     * they found; a new password is an event.
     */
    @Test
    void thePasswordAlreadySetIsNoChange() throws Exception {
        try (EventReceiver receiver = new EventReceiver()) {
            String id = subscribe(receiver.url(), "webhook", ", \"events\": [\"user.password_changed\"]").get("id")
                    .asText();
            String user = createUser("same-Passw0rd!");
            JsonNode created = json(scim("GET", "/Users/" + user, null));
            String version = created.at("/meta/version").asText();
            String patch = "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[{\"op\":"
                    + "\"replace\",\"path\":\"password\",\"value\":\"%s\"}]}";
            HttpResponse<String> patched = scim("PATCH", "/Users/" + user, patch.formatted("same-Passw0rd!"));
            assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
            assertThat(json(patched).at("/meta/version").asText()).isEqualTo(version);
            com.fasterxml.jackson.databind.node.ObjectNode put = (com.fasterxml.jackson.databind.node.ObjectNode)
                    created.deepCopy();
            put.remove("meta");
            put.put("password", "same-Passw0rd!");
            HttpResponse<String> replaced = scim("PUT", "/Users/" + user, put.toString());
            assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
            assertThat(json(replaced).at("/meta/version").asText()).isEqualTo(version);
            HttpResponse<String> bulk = scim("POST", "/Bulk", "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:"
                    + "BulkRequest\"],\"Operations\":[{\"method\":\"PATCH\",\"path\":\"/Users/" + user + "\",\"data\":"
                    + patch.formatted("same-Passw0rd!") + "}]}");
            assertThat(bulk.statusCode()).as(bulk.body()).isEqualTo(200);
            assertThat(json(bulk).at("/Operations/0/status").asText()).isEqualTo("200");
            assertThat(json(bulk).at("/Operations/0/version").asText()).isEqualTo(version);
            // Within one Bulk, a password an earlier operation set is the one the user has for the next.
            HttpResponse<String> twice = scim("POST", "/Bulk", "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:"
                    + "BulkRequest\"],\"Operations\":[{\"method\":\"POST\",\"path\":\"/Users\",\"bulkId\":\"b1\","
                    + "\"data\":{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"twice-"
                    + UUID.randomUUID() + "@example.com\",\"password\":\"twice-Passw0rd!\"}},{\"method\":\"PATCH\","
                    + "\"path\":\"/Users/bulkId:b1\",\"data\":" + patch.formatted("twice-Passw0rd!") + "},"
                    + "{\"method\":\"PATCH\",\"path\":\"/Users/bulkId:b1\",\"data\":" + patch.formatted("twice-Passw0rd!")
                    + "}]}");
            assertThat(twice.statusCode()).as(twice.body()).isEqualTo(200);
            assertThat(json(twice).get("Operations").findValuesAsText("version")).as(twice.body())
                    .containsExactly("W/\"1\"", "W/\"1\"", "W/\"1\"");

            HttpResponse<String> changed = scim("PATCH", "/Users/" + user, patch.formatted("new-Passw0rd!"));
            assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
            String changedVersion = json(changed).at("/meta/version").asText();
            assertThat(changedVersion).isNotEqualTo(version);
            JsonNode event = about(receiver.await(all -> about(all, user).size() >= 1, PATIENCE), user).get(0).json();
            assertThat(event.get("type").asText()).isEqualTo("user.password_changed");
            assertThat(event.at("/data/version").asText()).isEqualTo(changedVersion);
            assertThat(json(admin("GET", "/subscriptions/" + id + "/deliveries", null)).get("deliveries")
                    .findValuesAsText("type")).containsExactly("user.password_changed");
        }
    }

    /**
     * One write that deactivates a user and changes its role (Okta's PUT carries both) is one event, of
     * its first kind; a subscription that asked for role changes, or for updates, gets it too, where it
     * got nothing and missed the role.
     */
    @Test
    void aDeactivationThatAlsoChangesTheRoleReachesTheSubscriptionsOfEither() throws Exception {
        try (EventReceiver roles = new EventReceiver(); EventReceiver updates = new EventReceiver()) {
            subscribe(roles.url(), "webhook", ", \"events\": [\"user.role_changed\"]");
            subscribe(updates.url(), "webhook", ", \"events\": [\"user.updated\"]");
            String user = createUser(null);
            HttpResponse<String> archived = scim("PATCH", "/Users/" + user, "{\"schemas\":[\"urn:ietf:params:scim:"
                    + "api:messages:2.0:PatchOp\"],\"Operations\":[{\"op\":\"replace\",\"value\":{\"active\":false,"
                    + "\"title\":\"Gone\",\"urn:ietf:params:scim:schemas:extension:tooljet:User:2.0:role\":\"builder\"}}]}");
            assertThat(archived.statusCode()).as(archived.body()).isEqualTo(200);
            for (EventReceiver receiver : List.of(roles, updates)) {
                JsonNode event = about(receiver.await(all -> about(all, user).size() >= 1, PATIENCE), user).get(0)
                        .json();
                assertThat(event.get("type").asText()).isEqualTo("user.deactivated");
                assertThat(event.at("/data/changedAttributes").toString()).contains("role", "title", "active");
            }
        }
    }

    /**
     * A person that comes back takes the password its create gives (none here): that is part of the
     * create, not a change of its own. It was journalled as one, before the create, so a receiver was
     * told of a password change of a user it had been told was deleted.
     */
    @Test
    void aPersonThatComesBackIsCreatedWithoutAPasswordEventBeforeIt() throws Exception {
        try (EventReceiver receiver = new EventReceiver()) {
            subscribe(receiver.url(), "webhook", "");
            String name = "back" + UUID.randomUUID() + "@example.com";
            String body = "{\"userName\":\"" + name + "\",\"emails\":[{\"value\":\"" + name + "\",\"primary\":true}]";
            HttpResponse<String> first = scim("POST", "/Users", body + ",\"password\":\"first-Passw0rd\"}");
            assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
            String user = json(first).get("id").asText();
            assertThat(scim("DELETE", "/Users/" + user, null).statusCode()).isEqualTo(204);
            HttpResponse<String> back = scim("POST", "/Users", body + "}");
            assertThat(back.statusCode()).as(back.body()).isEqualTo(201);
            assertThat(json(back).get("id").asText()).isEqualTo(user);
            rename(user, "Last");
            List<EventReceiver.Received> events = about(receiver.await(all -> about(all, user).size() >= 4, PATIENCE),
                    user);
            assertThat(events.stream().map(event -> event.json().get("type").asText()).toList())
                    .containsExactly("user.created", "user.deleted", "user.created", "user.updated");
        }
    }

    @Test
    void aRoleRecomputedFromGroupsSaysItsCause() throws Exception {
        try (EventReceiver receiver = new EventReceiver()) {
            subscribe(receiver.url(), "webhook", ", \"events\": [\"user.role_changed\"]");
            String user = createUser(null);
            String builders = "builders-" + UUID.randomUUID();
            assertThat(admin("PUT", "/role-mappings", "[{\"group\": \"" + builders + "\", \"role\": \"builder\"}]")
                    .statusCode()).isEqualTo(200);
            assertThat(admin("PUT", "/settings", "{\"roleSource\": \"highest\"}").statusCode()).isEqualTo(200);
            try {
                HttpResponse<String> group = scim("POST", "/Groups", "{\"schemas\":[\"urn:ietf:params:scim:schemas:"
                        + "core:2.0:Group\"],\"displayName\":\"" + builders + "\",\"members\":[{\"value\":\""
                        + user + "\"}]}");
                assertThat(group.statusCode()).as(group.body()).isEqualTo(201);
                JsonNode event = about(receiver.await(all -> about(all, user).size() >= 1, PATIENCE), user).get(0)
                        .json();
                assertThat(event.get("type").asText()).isEqualTo("user.role_changed");
                assertThat(event.at("/data/cause").asText()).isEqualTo("group:" + json(group).get("id").asText());
                assertThat(event.at("/data/resource/urn:ietf:params:scim:schemas:extension:tooljet:User:2.0/role")
                        .asText()).isEqualTo("builder");
            } finally {
                assertThat(admin("PUT", "/settings", "{\"roleSource\": \"attribute\"}").statusCode()).isEqualTo(200);
                assertThat(admin("PUT", "/role-mappings", "[]").statusCode()).isEqualTo(200);
            }
        }
    }

    @Test
    void aFailedDeliveryIsRetriedWithTheSameIdAndEveryAttemptIsListed() throws Exception {
        try (EventReceiver receiver = new EventReceiver()) {
            AtomicInteger calls = new AtomicInteger();
            receiver.answer(request -> calls.incrementAndGet() == 1 ? 500 : 204);
            JsonNode subscription = subscribe(receiver.url(), "webhook", ", \"events\": [\"user.created\"]");
            String user = createUser(null);
            List<EventReceiver.Received> twice = about(receiver.await(all -> about(all, user).size() >= 2, PATIENCE),
                    user);
            assertThat(twice.get(1).header("webhook-id")).isEqualTo(twice.get(0).header("webhook-id"));

            JsonNode deliveries = eventually("/subscriptions/" + subscription.get("id").asText() + "/deliveries",
                    found -> found.get("items").size() >= 2);
            assertThat(deliveries.get("items").findValuesAsText("eventId")).allMatch(id -> id.equals(
                    twice.get(0).header("webhook-id")));
            assertThat(deliveries.get("items").toString()).contains("\"status\":500").contains("\"status\":204")
                    .contains("the receiver answered 500");
            assertThat(deliveries.at("/deliveries/0/state").asText()).isEqualTo("delivered");
            assertThat(deliveries.at("/deliveries/0/attempts").asInt()).isEqualTo(2);
        }
    }

    @Test
    void aReceiverAnswering410PausesTheSubscriptionUntilItIsResumed() throws Exception {
        try (EventReceiver receiver = new EventReceiver()) {
            receiver.answer(request -> 410);
            JsonNode subscription = subscribe(receiver.url(), "webhook", "");
            String id = subscription.get("id").asText();
            String user = createUser(null);
            receiver.await(all -> about(all, user).size() >= 1, PATIENCE);
            JsonNode paused = eventually("/subscriptions/" + id, found -> found.get("paused").asBoolean());
            assertThat(paused.get("paused").asBoolean()).isTrue();
            assertThat(paused.get("pauseReason").asText()).contains("410");

            receiver.answer(request -> 200);
            HttpResponse<String> resumed = admin("PATCH", "/subscriptions/" + id, "{\"paused\": false}");
            assertThat(resumed.statusCode()).isEqualTo(200);
            assertThat(json(resumed).get("paused").asBoolean()).isFalse();
            List<EventReceiver.Received> both = about(receiver.await(all -> about(all, user).size() >= 2, PATIENCE),
                    user);
            assertThat(both.get(1).header("webhook-id")).isEqualTo(both.get(0).header("webhook-id"));
        }
    }

    @Test
    void aReceiverSlowerThanTheTimeoutIsAFailedAttemptAndTheEventComesAgain() throws Exception {
        try (EventReceiver receiver = new EventReceiver()) {
            AtomicInteger calls = new AtomicInteger();
            receiver.answer(request -> {
                if (calls.incrementAndGet() == 1) {
                    EventReceiver.sleep(Duration.ofSeconds(12));
                }
                return 204;
            });
            JsonNode subscription = subscribe(receiver.url(), "webhook", ", \"events\": [\"user.created\"]");
            String user = createUser(null);
            receiver.await(all -> about(all, user).size() >= 2, PATIENCE);
            JsonNode deliveries = eventually("/subscriptions/" + subscription.get("id").asText() + "/deliveries",
                    found -> found.get("items").size() >= 2);
            assertThat(deliveries.get("items").toString()).contains("no answer within 10 s");
        }
    }

    @Test
    void theEventsOfOneResourceArriveInTheOrderOfItsChanges() throws Exception {
        try (EventReceiver receiver = new EventReceiver()) {
            receiver.answer(request -> {
                EventReceiver.sleep(Duration.ofMillis((long) (Math.random() * 30)));
                return 204;
            });
            subscribe(receiver.url(), "webhook", "");
            String user = createUser(null);
            for (int i = 0; i < 10; i++) {
                rename(user, "Name " + i);
            }
            List<EventReceiver.Received> events = about(receiver.await(all -> about(all, user).size() >= 11, PATIENCE),
                    user);
            // Ids are opaque: the order is the changes' own, their transactions' times.
            assertThat(events.stream().map(event -> event.header("webhook-id")).toList()).doesNotHaveDuplicates()
                    .hasSize(11);
            assertThat(events.stream().map(event -> java.time.Instant.parse(event.json().get("timestamp").asText()))
                    .toList()).isSorted().doesNotHaveDuplicates();
            assertThat(events.get(10).json().at("/data/resource/displayName").asText()).isEqualTo("Name 9");
        }
    }

    @Test
    void aPushedSecurityEventTokenIsAnRfc9967TokenTheJwksVerifies() throws Exception {
        try (EventReceiver receiver = new EventReceiver()) {
            receiver.answer(request -> 202);
            subscribe(receiver.url(), "set-push", "");
            String user = createUser(null);
            EventReceiver.Received token = about(receiver.await(all -> all.stream().anyMatch(request ->
                    EventReceiver.verifiedSet(request.text(), origin()).toString().contains(user)), PATIENCE).stream()
                    .filter(request -> EventReceiver.verifiedSet(request.text(), origin()).toString().contains(user))
                    .toList(), "").get(0);
            assertThat(token.header("content-type")).isEqualTo("application/secevent+jwt");
            JWTClaimsSet claims = EventReceiver.verifiedSet(token.text(), origin());
            assertThat(claims.getIssuer()).isEqualTo(origin());
            assertThat(claims.getJWTID()).startsWith("evt_");
            assertThat(claims.getAudience()).containsExactly(receiver.url());
            assertThat(claims.getJSONObjectClaim("sub_id")).containsEntry("format", "scim")
                    .containsEntry("uri", "/Users/" + user);
            Map<String, Object> events = claims.getJSONObjectClaim("events");
            assertThat(events).containsOnlyKeys("urn:ietf:params:scim:event:prov:create:full");
            @SuppressWarnings("unchecked")
            Map<String, Object> payload = (Map<String, Object>) events.get("urn:ietf:params:scim:event:prov:create:full");
            assertThat(payload.get("version")).isEqualTo(json(scim("GET", "/Users/" + user, null)).at("/meta/version")
                    .asText());
            assertThat(payload.get("data").toString()).contains(user).doesNotContain("password");
        }
    }

    /**
     * Each waiting long poll holds a request thread: 250 polls of one workspace took every thread of
     * Java 17's pool, and every workspace's SCIM requests waited behind them for the 20 s of a poll.
     */
    @Test
    void aWorkspaceHasAFewPollsWaitingAtOnceAndTheRestAreToldWhenToComeBack() throws Exception {
        String slug = "polls-" + UUID.randomUUID().toString().substring(0, 8);
        String workspaces = origin() + "/api/admin/v1/workspaces";
        assertThat(send("POST", workspaces, "{\"name\": \"Polls\", \"slug\": \"" + slug + "\"}",
                AdminServer.ADMIN_TOKEN).statusCode()).isEqualTo(201);
        assertThat(send("POST", workspaces + "/" + slug + "/subscriptions", "{\"format\": \"set-poll\"}",
                AdminServer.ADMIN_TOKEN).statusCode()).isEqualTo(201);
        String token = json(send("POST", workspaces + "/" + slug + "/credentials", "{\"name\": \"poller\"}",
                AdminServer.ADMIN_TOKEN)).path("token").asText();
        String poll = origin() + "/api/events/v1/poll";
        // The workspace's own creation is its first event: taken and acknowledged, the queue is empty.
        JsonNode first = json(send("POST", poll, "{\"returnImmediately\": true}", token));
        send("POST", poll, JSON.writeValueAsString(Map.of("ack", List.copyOf(iterable(first.get("sets").fieldNames())),
                "returnImmediately", true)), token);

        // Five long polls at once: four wait, whichever comes last to wait is refused at once.
        List<CompletableFuture<HttpResponse<String>>> polls = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            polls.add(CompletableFuture.supplyAsync(() -> send("POST", poll, "{}", token)));
        }
        HttpResponse<String> refused = (HttpResponse<String>) CompletableFuture.anyOf(polls.toArray(
                CompletableFuture[]::new)).get(15, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("20");
        assertThat(json(refused).path("detail").asText()).contains("this workspace has 4 polls waiting");
        assertThat(polls).filteredOn(CompletableFuture::isDone).hasSize(1);
        // A short poll waits for nothing, so it needs no seat.
        assertThat(send("POST", poll, "{\"returnImmediately\": true}", token).statusCode()).isEqualTo(200);

        HttpResponse<String> created = send("POST", origin() + "/api/scim/v2/Users", "{\"userName\": \"polled-"
                + slug + "\"}", token);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        for (CompletableFuture<HttpResponse<String>> poller : polls) {
            assertThat(poller.get().statusCode()).isIn(200, 429);
        }
        assertThat(polls).filteredOn(poller -> poller.join().statusCode() == 200).hasSize(4);
    }

    @Test
    void aPollerGetsTokensUntilItAcknowledgesThem() throws Exception {
        String poll = origin() + "/api/events/v1/poll";
        assertThat(send("POST", poll, "{}", "not-a-credential").statusCode()).isEqualTo(401);
        // Bounded as a SCIM request's body is: the acknowledgements of the most a poll hands out fit in far less.
        assertThat(send("POST", poll, "{\"ack\":[\"" + "x".repeat(1024 * 1024) + "\"]}", RunningServer.TOKEN)
                .statusCode()).isEqualTo(413);
        // Without a set-poll subscription the poller is told why, not that the endpoint does not exist.
        HttpResponse<String> noQueue = send("POST", poll, "{\"returnImmediately\": true}", RunningServer.TOKEN);
        assertThat(noQueue.statusCode()).isEqualTo(404);
        assertThat(noQueue.body()).contains("this workspace has no set-poll subscription")
                .doesNotContain("no such endpoint");
        String queue = subscribe(null, "set-poll", "").get("id").asText();
        HttpResponse<String> second = admin("POST", "/subscriptions", "{\"format\": \"set-poll\"}");
        assertThat(second.statusCode()).isEqualTo(409);

        String user = createUser(null);
        JsonNode acknowledgeOnly = json(send("POST", poll, "{\"returnImmediately\": true, \"maxEvents\": 0}",
                RunningServer.TOKEN));
        assertThat(acknowledgeOnly.get("sets").size()).isZero();
        assertThat(acknowledgeOnly.get("moreAvailable").asBoolean()).as("RFC 8936: tokens wait, though none "
                + "was asked for").isTrue();
        // More than an int holds: at most 1,000 whatever a poll asks for.
        JsonNode first = json(send("POST", poll, "{\"returnImmediately\": true, \"maxEvents\": 10000000000}",
                RunningServer.TOKEN));
        String jti = firstAbout(first, user);
        JWTClaimsSet claims = EventReceiver.verifiedSet(first.at("/sets/" + jti).asText(), origin());
        assertThat(claims.getJSONObjectClaim("events")).containsKey("urn:ietf:params:scim:event:prov:create:full");
        assertThat(json(send("POST", poll, "{\"returnImmediately\": true}", RunningServer.TOKEN)).get("sets")
                .has(jti)).as("handed out, not yet acknowledged: leased").isFalse();

        List<String> all = List.copyOf(iterable(first.get("sets").fieldNames()));
        String acks = JSON.writeValueAsString(Map.of("ack", all, "returnImmediately", true));
        assertThat(json(send("POST", poll, acks, RunningServer.TOKEN)).get("sets").has(jti)).isFalse();

        // Without SCIM_PUBLIC_URL, a polled token names the issuer of the URL the poll reached, as the
        // OAuth metadata read at that URL does: a receiver checking iss against it accepts the token.
        String otherOrigin = "http://127.0.0.1:" + server.port();
        String viaAddress = createUser(null);
        JsonNode polledThere = json(send("POST", otherOrigin + "/api/events/v1/poll",
                "{\"returnImmediately\": true, \"maxEvents\": 1e3}", RunningServer.TOKEN));
        JWTClaimsSet there = EventReceiver.verifiedSet(polledThere.at("/sets/" + firstAbout(polledThere, viaAddress))
                .asText(), origin());
        assertThat(there.getIssuer()).isEqualTo(otherOrigin).isEqualTo(json(send("GET", otherOrigin
                + "/.well-known/oauth-authorization-server", null, null)).path("issuer").asText());
        assertThat(there.getAudience()).as("a poll has no receiver URL to name").isEmpty();
        send("POST", otherOrigin + "/api/events/v1/poll", JSON.writeValueAsString(Map.of("ack",
                List.copyOf(iterable(polledThere.get("sets").fieldNames())), "returnImmediately", true)),
                RunningServer.TOKEN);

        CompletableFuture<HttpResponse<String>> waiting = CompletableFuture.supplyAsync(() ->
                send("POST", poll, "{\"maxEvents\": 1000}", RunningServer.TOKEN));
        Thread.sleep(500);
        String later = createUser(null);
        JsonNode woken = json(waiting.get());
        String refused = firstAbout(woken, later);
        String errors = JSON.writeValueAsString(Map.of("setErrs", Map.of(refused, Map.of("err", "invalid_key",
                "description", "unknown user")), "returnImmediately", true));
        assertThat(send("POST", poll, errors, RunningServer.TOKEN).statusCode()).isEqualTo(200);
        JsonNode dead = eventually("/subscriptions/" + queue + "/deliveries", found ->
                found.get("deliveries").toString().contains("invalid_key"));
        assertThat(dead.get("deliveries").toString()).contains("\"eventId\":\"" + refused + "\",\"type\":"
                + "\"user.created\",\"state\":\"dead\"");

        // Deleted before its create went out: there is no data to carry, and the event says so by its kind.
        String gone = createUser(null);
        assertThat(scim("DELETE", "/Users/" + gone, null).statusCode()).isEqualTo(204);
        JsonNode late = json(send("POST", poll, "{\"returnImmediately\": true}", RunningServer.TOKEN));
        Map<String, Object> goneEvents = EventReceiver.verifiedSet(late.at("/sets/" + firstAbout(late, gone)).asText(),
                origin()).getJSONObjectClaim("events");
        assertThat(goneEvents).containsOnlyKeys("urn:ietf:params:scim:event:prov:create:notice");
        assertThat(goneEvents.toString()).doesNotContain("data").doesNotContain("version");
    }

    private static String firstAbout(JsonNode answer, String resourceId) {
        for (String jti : iterable(answer.get("sets").fieldNames())) {
            if (EventReceiver.verifiedSet(answer.at("/sets/" + jti).asText(), origin()).toString().contains(resourceId)) {
                return jti;
            }
        }
        throw new AssertionError("no token about " + resourceId + " in " + answer);
    }

    private static <T> List<T> iterable(java.util.Iterator<T> iterator) {
        List<T> list = new java.util.ArrayList<>();
        iterator.forEachRemaining(list::add);
        return list;
    }

    @Test
    void replaySendsTheEventsAgainWithTheirIds() throws Exception {
        try (EventReceiver receiver = new EventReceiver()) {
            Instant before = Instant.now().minusSeconds(1);
            JsonNode subscription = subscribe(receiver.url(), "webhook", ", \"events\": [\"user.created\"]");
            String user = createUser(null);
            receiver.await(all -> about(all, user).size() >= 1, PATIENCE);
            HttpResponse<String> replayed = admin("POST", "/subscriptions/" + subscription.get("id").asText()
                    + "/replay", "{\"from\": \"" + before + "\"}");
            assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(202);
            assertThat(json(replayed).get("replayed").asInt()).isGreaterThanOrEqualTo(1);
            List<EventReceiver.Received> both = about(receiver.await(all -> about(all, user).size() >= 2, PATIENCE),
                    user);
            assertThat(both.get(1).header("webhook-id")).isEqualTo(both.get(0).header("webhook-id"));
        }
    }

    @Test
    void subscriptionRequestsAreCheckedFieldByField() {
        Map<String, String> refused = new HashMap<>();
        refused.put("{\"url\": \"http://example.com/hook\", \"format\": \"webhook\"}", "url");
        refused.put("{\"url\": \"https://example.com/hook\", \"format\": \"carrier-pigeon\"}", "format");
        refused.put("{\"url\": \"https://example.com/hook\", \"format\": \"webhook\", \"events\": [\"user.exploded\"]}",
                "events");
        refused.put("{\"url\": \"https://example.com/hook\", \"format\": \"set-push\", \"events\": "
                + "[\"workspace.created\"]}", "events");
        refused.put("{\"url\": \"https://example.com/hook\", \"format\": \"webhook\", \"secret\": \"mine\"}", "secret");
        refused.put("{\"url\": \"https://example.com/hook\", \"format\": \"set-poll\"}", "url");
        refused.put("{\"url\": \"https://user:pw@example.com/hook\", \"format\": \"webhook\"}", "url");
        refused.put("{\"url\": \"https://169.254.169.254/latest/meta-data/\", \"format\": \"webhook\"}", "url");
        refused.put("{\"url\": \"https://[fd00::1]/hook\", \"format\": \"webhook\"}", "url");
        refused.forEach((body, field) -> {
            HttpResponse<String> answer = admin("POST", "/subscriptions", body);
            assertThat(answer.statusCode()).as(body).isEqualTo(400);
            assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(json(answer).get("field").asText()).as(body).isEqualTo(field);
        });
        assertThat(admin("GET", "/subscriptions/" + UUID.randomUUID(), null).statusCode()).isEqualTo(404);
        assertThat(admin("GET", "/subscriptions/not-an-id/deliveries", null).statusCode()).isEqualTo(404);
        String id = subscribe("https://example.com/hook", "webhook", "").get("id").asText();
        assertThat(admin("PATCH", "/subscriptions/" + id, "{}").statusCode()).isEqualTo(400);
        assertThat(admin("PATCH", "/subscriptions/" + id, "{\"paused\": true}").statusCode()).isEqualTo(200);
        assertThat(admin("PATCH", "/subscriptions/" + id, "{\"paused\": null}").statusCode())
                .as("null neither pauses nor resumes").isEqualTo(400);
        assertThat(json(admin("GET", "/subscriptions/" + id, null)).get("paused").asBoolean()).isTrue();
        assertThat(admin("POST", "/subscriptions/" + id + "/replay", "{}").statusCode()).isEqualTo(400);
        assertThat(admin("POST", "/subscriptions/" + id + "/replay", "{\"from\": \"yesterday\"}").statusCode())
                .isEqualTo(400);
        // Beyond what PostgreSQL's timestamps hold, and beyond RFC 3339's four-digit years.
        assertThat(admin("POST", "/subscriptions/" + id + "/replay", "{\"from\": \"+300000-01-01T00:00:00Z\"}")
                .statusCode()).isEqualTo(400);
        assertThat(admin("DELETE", "/subscriptions/" + id, null).statusCode()).isEqualTo(204);
        assertThat(admin("DELETE", "/subscriptions/" + id, null).statusCode()).isEqualTo(404);
    }
}
