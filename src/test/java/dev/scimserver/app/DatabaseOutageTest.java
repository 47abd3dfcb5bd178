package dev.scimserver.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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

    private record Timed(HttpResponse<String> response, Duration elapsed) {
        static Timed send(RunningServer client, String method, String url, String body) {
            long start = System.nanoTime();
            HttpResponse<String> response = client.send(method, url, body);
            return new Timed(response, Duration.ofNanos(System.nanoTime() - start));
        }
    }
}
