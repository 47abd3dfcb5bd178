package dev.scimserver.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server process started with {@code LOG_FORMAT=json} writes every line as a JSON object, and a
 * line written while a request is served names its request id.
 */
class JsonLogFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyLineIsAJsonObjectAndARequestsLineCarriesItsRequestId() throws Exception {
        try (ServerProcess server = ServerProcess.start(Map.of("LOG_FORMAT", "json"))) {
            // Failed authentications beyond the throttle's burst are logged while the request is served.
            Set<String> requestIds = new HashSet<>();
            for (int i = 0; i <= 20; i++) {
                String requestId = "json-log-" + UUID.randomUUID();
                requestIds.add(requestId);
                int status = RunningServer.shared().send("GET", "http://localhost:" + server.port()
                        + "/api/scim/v2/Users", null, Map.of("Authorization", "Bearer wrong-" + i,
                        "X-Request-Id", requestId)).statusCode();
                assertThat(status).isIn(401, 429);
            }
            JsonNode warning = null;
            for (int attempt = 0; attempt < 50 && warning == null; attempt++) {
                warning = lineWithRequestId(server.output(), requestIds);
                if (warning == null) {
                    Thread.sleep(100);
                }
            }
            assertThat(warning).as(String.join("\n", server.output())).isNotNull();
            assertThat(warning.path("level").asText()).isEqualTo("WARN");
            assertThat(warning.path("logger").asText()).isEqualTo("dev.scimserver.access.RequestThrottle");
            assertThat(warning.path("message").asText()).contains("throttled");
            for (String line : server.output()) {
                JsonNode parsed = parsed(line);
                assertThat(parsed.isObject()).as(line).isTrue();
                for (String field : new String[] {"timestamp", "level", "logger", "message"}) {
                    assertThat(parsed.path(field).isTextual()).as(field + " in " + line).isTrue();
                }
            }
        }
    }

    private static JsonNode lineWithRequestId(List<String> lines, Set<String> requestIds) {
        return lines.stream().map(JsonLogFormatTest::parsed)
                .filter(line -> requestIds.contains(line.path("requestId").asText())).findFirst().orElse(null);
    }

    private static JsonNode parsed(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new AssertionError("not a JSON line: " + line, e);
        }
    }
}
