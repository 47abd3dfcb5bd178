package dev.scimserver.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static dev.scimserver.app.ScimAssertions.json;
import static org.assertj.core.api.Assertions.assertThat;

/** An error detail may quote what the client sent, but never more than a short part of it. */
class EchoedClientTextContractTest {
    private static final String LONG_NAME = "n".repeat(9_000);
    private final RunningServer server = RunningServer.shared();

    private static void assertShortDetail(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isBetween(400, 499);
        JsonNode detail = json(response).path("detail");
        assertThat(detail.asText()).contains("nnnn").hasSizeLessThan(300);
    }

    @Test
    void unknownNamesAreQuotedAbbreviated() {
        assertShortDetail(server.send("GET", "/Schemas/" + LONG_NAME, null));
        assertShortDetail(server.send("GET", "/ResourceTypes/" + LONG_NAME, null));
        assertShortDetail(server.send("GET", "/Users?sortBy=" + LONG_NAME, null));
        assertShortDetail(server.send("GET", "/Users?filter=" + LONG_NAME.substring(0, 4_000) + "+pr", null));
    }
}
