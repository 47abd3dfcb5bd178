package dev.scimserver.app;

import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /metrics}: the Prometheus text format with the requests, failed authentications, the
 * pool, the log's queue and the JVM; and no label value that a client chose, however random its paths.
 */
class MetricsContractTest {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Set<String> OPERATIONS = Set.of("Users", "Groups", "Bulk", ".search", "ServiceProviderConfig",
            "ResourceTypes", "Schemas", "Me", "token", "other");

    private final RunningServer shared = RunningServer.shared();

    @Test
    void theScrapeShowsRequestsPoolQueueAndJvmWithBoundedLabelsOnly() {
        List<String> random = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String id = UUID.randomUUID().toString();
            String word = "w" + UUID.randomUUID().toString().substring(0, 12);
            random.add(id);
            random.add(word);
            shared.send("GET", "/Users/" + id, null);
            shared.send("GET", "/Groups/" + word, null);
            shared.send("GET", "/" + word, null);
            shared.send("GET", "/" + word + "/" + id, null);
            shared.send("GET", "/Users?filter=userName%20eq%20%22" + word + "%22", null);
            shared.send("POST", "/Users", "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],"
                    + "\"userName\":\"" + word + "@example.com\"}");
            shared.send("GET", "/Users/" + id, null, Map.of("Authorization", "Bearer " + word));
        }

        HttpResponse<String> scrape = shared.send("GET", "http://localhost:" + shared.port() + "/metrics", null, Map.of());
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
        String text = scrape.body();
        assertThat(text).contains("# TYPE scim_requests_seconds histogram")
                .containsPattern("scim_requests_seconds_count\\{method=\"GET\",operation=\"Users\",status=\"4xx\","
                        + "workspace=\"default\"} [1-9]")
                .containsPattern("scim_requests_seconds_count\\{method=\"POST\",operation=\"Users\",status=\"2xx\","
                        + "workspace=\"default\"} [1-9]")
                .contains("scim_requests_seconds_bucket{method=\"GET\",operation=\"Users\",status=\"4xx\","
                        + "workspace=\"default\",le=\"0.1\"}")
                .containsPattern("scim_requests_seconds_count\\{method=\"GET\",operation=\"other\",status=\"4xx\"")
                .containsPattern("scim_authentication_failures_total\\{door=\"scim\"} [1-9]")
                .contains("hikaricp_connections_active{", "hikaricp_connections_pending{",
                        "hikaricp_connections_timeout_total{")
                .contains("scim_provisioning_log_queue_depth ")
                .contains("scim_provisioning_log_losses_total{cause=\"entries_dropped\"}")
                .contains("scim_provisioning_log_losses_total{cause=\"bodies_dropped\"}")
                .contains("scim_provisioning_log_losses_total{cause=\"entries_lost\"}")
                // One HELP line for the family, which must say what each cause counts.
                .containsPattern("# HELP scim_provisioning_log_losses_total .*bodies_dropped.*entries_dropped.*entries_lost")
                .contains("jvm_memory_used_bytes{", "jvm_threads_live_threads ", "process_uptime_seconds ",
                        "process_cpu_usage ", "process_files_open_files ");

        for (String line : text.split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            assertThat(sample.matches()).as(line).isTrue();
            Matcher label = LABEL.matcher(sample.group(3) == null ? "" : sample.group(3));
            while (label.find()) {
                String value = label.group(2);
                for (String chosen : random) {
                    assertThat(value).as(line).doesNotContain(chosen);
                }
                if (sample.group(1).startsWith("scim_requests")) {
                    switch (label.group(1)) {
                        case "operation" -> assertThat(value).isIn(OPERATIONS);
                        case "method" -> assertThat(value).isIn("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD",
                                "OPTIONS", "other");
                        case "status" -> assertThat(value).matches("[1-5]xx");
                        case "workspace" -> assertThat(value).matches("[a-z0-9-]+");
                        case "le" -> assertThat(value).matches("[0-9.]+|\\+Inf");
                        default -> throw new AssertionError("unexpected label " + label.group(1) + " in " + line);
                    }
                }
            }
        }
    }

    /**
     * A wrong credential counts as a failed authentication at whichever door it was tried: the
     * administration API, the console, the events' poll and the scrape itself, beside SCIM and the
     * token endpoint, so that guessing the administrator token shows in the metrics too.
     */
    @Test
    void everyDoorCountsItsFailedAuthentications() {
        try (ScimServer server = AdminServer.start(Map.of("SCIM_METRICS_TOKEN", "metrics-token-0123456789"))) {
            String origin = "http://localhost:" + server.port();
            Map<String, String> wrong = Map.of("Authorization", "Bearer wrong");
            assertThat(shared.send("GET", origin + "/api/admin/v1/workspaces", null, wrong).statusCode()).isEqualTo(401);
            assertThat(shared.send("POST", origin + "/admin/workspaces", "{}", Map.of()).statusCode()).isEqualTo(401);
            assertThat(shared.send("POST", origin + "/api/events/v1/poll", "{}", wrong).statusCode()).isEqualTo(401);
            assertThat(shared.send("GET", origin + "/metrics", null, wrong).statusCode()).isEqualTo(401);
            assertThat(shared.send("GET", origin + "/api/scim/v2/Users", null, wrong).statusCode()).isEqualTo(401);
            String text = shared.send("GET", origin + "/metrics", null,
                    Map.of("Authorization", "Bearer metrics-token-0123456789")).body();
            for (String door : List.of("admin", "console", "events", "metrics", "scim")) {
                assertThat(text).containsPattern("scim_authentication_failures_total\\{door=\"" + door + "\"} 1\\.0");
            }
        }
    }

    @Test
    void withAMetricsTokenTheScrapeAsksForIt() {
        try (ScimServer server = AdminServer.start(Map.of("SCIM_METRICS_TOKEN", "metrics-token-0123456789"))) {
            String url = "http://localhost:" + server.port() + "/metrics";
            HttpResponse<String> without = shared.send("GET", url, null, Map.of());
            assertThat(without.statusCode()).isEqualTo(401);
            assertThat(without.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"metrics\"");
            assertThat(without.body()).doesNotContain("scim_requests");
            assertThat(shared.send("GET", url, null, Map.of("Authorization", "Bearer wrong")).statusCode())
                    .isEqualTo(401);
            assertThat(shared.send("GET", url, null, Map.of("Authorization", "Bearer " + AdminServer.ADMIN_TOKEN))
                    .statusCode()).isEqualTo(401);
            HttpResponse<String> with = shared.send("GET", url, null,
                    Map.of("Authorization", "Bearer metrics-token-0123456789"));
            assertThat(with.statusCode()).isEqualTo(200);
            assertThat(with.body()).contains("jvm_memory_used_bytes");
            // HEAD asks for the same token: Javalin would otherwise answer it 200 on its own.
            assertThat(shared.send("HEAD", url, null, Map.of()).statusCode()).isEqualTo(401);
            assertThat(shared.send("HEAD", url, null, Map.of("Authorization", "Bearer wrong")).statusCode())
                    .isEqualTo(401);
            assertThat(shared.send("HEAD", url, null, Map.of("Authorization", "Bearer metrics-token-0123456789"))
                    .statusCode()).isEqualTo(200);
        }
    }
}
