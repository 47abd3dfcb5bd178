package dev.scimserver.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.util.UUID;

import static dev.scimserver.app.ScimAssertions.assertScimError;
import static dev.scimserver.app.ScimAssertions.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Each request HttpSurfaceFuzzTest found answering 500, reduced to its smallest form and kept as a test. */
class FuzzFindingsTest {
    private static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    private final RunningServer server = RunningServer.shared();

    private String newGroup() {
        HttpResponse<String> created = server.send("POST", "/Groups", "{\"displayName\":\"finding-" + UUID.randomUUID()
                + "\"}");
        return json(created).path("id").asText();
    }

    /** Found: {@code GET /Users?filter=userName+eq+%00} was a 500 (PostgreSQL: invalid byte sequence 0x00). */
    @Test
    void aNulCharacterInAFilterIsAClientError() {
        assertScimError(server.send("GET", "/Users?filter=userName+eq+%00", null), 400, "invalidValue");
        assertScimError(server.send("GET", "/Users?filter=userName+eq+%22a%00b%22", null), 400, "invalidValue");
        assertScimError(server.send("GET", "/Groups?attributes=display%00Name", null), 400, "invalidValue");
    }

    @Test
    void aNulCharacterInABodyIsAClientError() {
        assertScimError(server.send("POST", "/Users", "{\"userName\":\"nul\\u0000@example.com\"}"), 400, "invalidValue");
        assertScimError(server.send("POST", "/Users", "{\"userName\":\"n@example.com\",\"x\\u0000\":1}"), 400,
                "invalidValue");
    }

    /**
     * Found: a path-less {@code remove} on a Group was a 500 (ClassCastException in
     * directory.MemberOperations.splitPathless, which casts the absent or null value to an object).
     * RFC 7644 §3.5.2.2: "If 'path' is unspecified, the operation fails with HTTP status code 400
     * and a 'scimType' error code of 'noTarget'."
     */
    @ParameterizedTest
    @ValueSource(strings = {"{\"op\":\"remove\"}", "{\"op\":\"remove\",\"value\":null}",
            "{\"op\":\"remove\",\"value\":[1]}"})
    void aPathlessRemoveOnAGroupIsNoTarget(String operation) {
        HttpResponse<String> response = server.send("PATCH", "/Groups/" + newGroup(),
                "{\"schemas\":[\"" + PATCH_OP + "\"],\"Operations\":[" + operation + "]}");
        assertThat(response.statusCode()).as(response.body()).isLessThan(500);
        assertScimError(response, 400, "noTarget");
    }

    /** Found: {@code id pr} compared the uuid column with '' and was a 500 (invalid input syntax for uuid). */
    @Test
    void presenceOfIdAndMetaIsAnsweredNotACastError() {
        for (String filter : new String[] {"id+pr", "meta.created+pr", "not+%28id+pr%29", "members+pr"}) {
            String endpoint = filter.startsWith("members") ? "/Groups" : "/Users";
            HttpResponse<String> response = server.send("GET", endpoint + "?count=1&filter=" + filter, null);
            assertThat(response.statusCode()).as(filter + ": " + response.body()).isEqualTo(200);
        }
        assertThat(json(server.send("GET", "/Users?count=0&filter=id+pr", null)).path("totalResults").asLong())
                .isEqualTo(json(server.send("GET", "/Users?count=0", null)).path("totalResults").asLong());
    }
}
