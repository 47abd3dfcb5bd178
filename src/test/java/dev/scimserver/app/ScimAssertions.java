package dev.scimserver.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** What the contract tests check of every SCIM answer: its JSON, and the exact form of an error. */
final class ScimAssertions {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ScimAssertions() {
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    static void assertScimError(HttpResponse<String> response, int status, String scimType) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/scim+json"));
        JsonNode body = json(response);
        assertThat(body.path("schemas").get(0).asText()).isEqualTo("urn:ietf:params:scim:api:messages:2.0:Error");
        assertThat(body.path("status").isTextual()).isTrue();
        assertThat(body.path("status").asText()).isEqualTo(Integer.toString(status));
        assertThat(body.path("detail").asText()).isNotBlank();
        if (scimType == null) {
            assertThat(body.has("scimType")).isFalse();
        } else {
            assertThat(body.path("scimType").asText()).isEqualTo(scimType);
        }
    }
}
