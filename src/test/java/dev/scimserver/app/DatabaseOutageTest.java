package dev.scimserver.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.scimserver.app.ScimAssertions.assertScimError;
import static dev.scimserver.app.ScimAssertions.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database goes away under a running server and comes back: requests answer 503 with
 * Retry-After and a SCIM error within the 5 seconds issue 5 states (the one timed assertion it
 * asks for), /health says 503, and the same server serves again once the database is back.
 */
@Tag("slow")
class DatabaseOutageTest {
    /** Issue 5: "within 5 seconds (no thread pile-up, no hang)". */
    private static final Duration BOUND = Duration.ofSeconds(5);
    private final RunningServer shared = RunningServer.shared();

    @Test
    void anUnreachableDatabaseIs503WithRetryAfterWithinFiveSecondsAndServiceResumesWithoutRestart() throws Exception {
        try (TcpProxy proxy = TcpProxy.inFrontOf(shared.jdbcUrl()); ScimServer server = proxy.startServer()) {
            String base = "http://localhost:" + server.port();
            assertThat(shared.send("GET", base + "/api/scim/v2/Users?count=1", null).statusCode()).isEqualTo(200);
            assertThat(shared.send("GET", base + "/health", null).statusCode()).isEqualTo(200);

            proxy.cut();
            // More requests than connections, at once: none may wait longer than the bound.
            ExecutorService pool = Executors.newFixedThreadPool(12);
            try {
                List<Future<Timed>> results = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    String path = i % 3 == 0 ? "/health" : i % 3 == 1 ? "/api/scim/v2/Users?count=1"
                            : "/api/scim/v2/Groups";
                    String body = i % 3 == 2 ? "{\"displayName\":\"outage-" + i + "\"}" : null;
                    String method = body == null ? "GET" : "POST";
                    results.add(pool.submit(() -> Timed.send(shared, method, base + path, body)));
                }
                for (Future<Timed> result : results) {
                    Timed timed = result.get();
                    assertThat(timed.elapsed).as(timed.response.uri().toString()).isLessThanOrEqualTo(BOUND);
                    assertThat(timed.response.statusCode()).as(timed.response.body()).isEqualTo(503);
                    if (timed.response.uri().getPath().startsWith("/api/scim/v2")) {
                        assertScimError(timed.response, 503, null);
                        assertThat(timed.response.headers().firstValue("Retry-After")).hasValueSatisfying(
                                v -> assertThat(Integer.parseInt(v)).isPositive());
                    }
                }
            } finally {
                pool.shutdownNow();
            }

            // The token endpoint answers as RFC 6749 does, not with a SCIM error its clients cannot read.
            HttpResponse<String> token = shared.send("POST", base + "/oauth2/token", "grant_type=client_credentials",
                    Map.of("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                            "scim_cli_outage:secret".getBytes(StandardCharsets.UTF_8)),
                            "Content-Type", "application/x-www-form-urlencoded"));
            assertThat(token.statusCode()).as(token.body()).isEqualTo(503);
            assertThat(token.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/json"));
            assertThat(json(token).path("error").asText()).isEqualTo("temporarily_unavailable");
            assertThat(token.headers().firstValue("Retry-After")).isPresent();

            proxy.restore();
            int status = 0;
            for (int attempt = 0; attempt < 60 && status != 200; attempt++) {
                status = shared.send("GET", base + "/api/scim/v2/Users?count=1", null).statusCode();
                if (status != 200) {
                    Thread.sleep(500);
                }
            }
            assertThat(status).as("the server serves again once the database is back").isEqualTo(200);
            assertThat(shared.send("GET", base + "/health", null).statusCode()).isEqualTo(200);
        }
    }

    /**
     * A database that takes no writes for now (a standby, a primary demoted, an operator's
     * default_transaction_read_only; a full disk and a want of memory are answered alike): each write
     * is a 503 with Retry-After and nothing applied, a Bulk as a whole (not a 200 whose every operation
     * failed), reads go on, and writes are taken again once it takes them, without the server's sessions
     * ended. The server signs in as a role of its own, made read-only while it runs, its sessions ended
     * so that the pool opens new ones.
     */
    @Test
    void aDatabaseThatTakesNoWritesIs503ForEachWriteAndForABulkAsAWhole() throws Exception {
        String role = "scim_read_only_later";
        sql("CREATE ROLE " + role + " LOGIN SUPERUSER PASSWORD 'later'");
        URI database = URI.create(shared.jdbcUrl().substring("jdbc:".length()));
        String url = "jdbc:postgresql://" + database.getHost() + ":" + database.getPort() + database.getPath()
                + "?user=" + role + "&password=later";
        Map<String, String> admin = Map.of("Authorization", "Bearer " + AdminServer.ADMIN_TOKEN);
        String subscription = null;
        try (ScimServer server = ScimServer.start(Config.from(Map.of("SCIM_ENABLED", "true",
                "SCIM_HEADER_AUTH_TOKEN", RunningServer.TOKEN, "SCIM_ADMIN_TOKEN", AdminServer.ADMIN_TOKEN,
                "PORT", "0", "DATABASE_POOL_SIZE", "2", "DATABASE_URL", url)))) {
            String origin = "http://localhost:" + server.port();
            String users = origin + "/api/scim/v2/Users";
            String name = "read-only-" + System.nanoTime();
            subscription = origin + shared.send("POST", origin + "/api/admin/v1/workspaces/default/subscriptions",
                    "{\"format\": \"set-poll\"}", admin).headers().firstValue("Location").orElseThrow();
            sql("ALTER ROLE " + role + " SET default_transaction_read_only = on");
            sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + role + "'");
            // The pool's ended connections fail a request each (503 too) before it opens new ones.
            int served = 0;
            for (int attempt = 0; attempt < 20 && served < 4; attempt++) {
                served = shared.send("GET", users + "?count=1", null).statusCode() == 200 ? served + 1 : 0;
            }
            assertThat(served).as("reads are served on the new, read-only sessions").isEqualTo(4);

            HttpResponse<String> created = shared.send("POST", users, "{\"userName\": \"" + name + "@example.com\"}");
            assertScimError(created, 503, null);
            assertThat(created.headers().firstValue("Retry-After")).isPresent();
            String operation = "{\"method\": \"POST\", \"path\": \"/Users\", \"bulkId\": \"a\", "
                    + "\"data\": {\"userName\": \"" + name + "-bulk@example.com\"}}";
            HttpResponse<String> bulk = shared.send("POST", users.replace("/Users", "/Bulk"), "{\"schemas\": "
                    + "[\"urn:ietf:params:scim:api:messages:2.0:BulkRequest\"], \"Operations\": [" + operation + "]}");
            assertScimError(bulk, 503, null);
            assertThat(bulk.headers().firstValue("Retry-After")).isPresent();
            HttpResponse<String> read = shared.send("GET", users + "?filter=" + URLEncoder.encode(
                    "userName sw \"" + name + "\"", StandardCharsets.UTF_8), null);
            assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
            assertThat(json(read).path("totalResults").asInt()).as("nothing was applied").isZero();
            // A poll takes its events with a write (their lease): it is the database that refused, not the credential.
            HttpResponse<String> poll = shared.send("POST", origin + "/api/events/v1/poll",
                    "{\"returnImmediately\": true}");
            assertScimError(poll, 503, null);
            assertThat(json(poll).path("detail").asText()).contains("takes no writes for now")
                    .doesNotContain("nothing was applied");
            assertThat(poll.headers().firstValue("Retry-After")).isPresent();

            // Its sessions stay read-only; each leaves the pool at its first refusal.
            sql("ALTER ROLE " + role + " RESET default_transaction_read_only");
            int status = 0;
            for (int attempt = 0; attempt < 4 && status != 201; attempt++) {
                status = shared.send("POST", users, "{\"userName\": \"" + name + "@example.com\"}").statusCode();
            }
            assertThat(status).as("writes are taken again").isEqualTo(201);
            assertThat(shared.send("DELETE", subscription, null, admin).statusCode()).isEqualTo(204);
        } finally {
            sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + role + "'");
            sql("DROP ROLE " + role);
        }
    }

    private void sql(String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(shared.jdbcUrl()); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private record Timed(HttpResponse<String> response, Duration elapsed) {
        static Timed send(RunningServer client, String method, String url, String body) {
            long start = System.nanoTime();
            HttpResponse<String> response = client.send(method, url, body);
            return new Timed(response, Duration.ofNanos(System.nanoTime() - start));
        }
    }
}
