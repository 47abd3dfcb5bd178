package dev.scimserver.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static dev.scimserver.app.ScimAssertions.assertScimError;
import static dev.scimserver.app.ScimAssertions.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A malformed PUT or PATCH is 400 whatever the id in the URL names: the body is judged before the
 * resource is looked up, so an unknown id (a UUID or not) never turns a malformed request into a 404.
 */
class MalformedRequestContractTest {
    private static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    private final RunningServer server = RunningServer.shared();

    private static String patch(String operations) {
        return "{\"schemas\":[\"" + PATCH_OP + "\"],\"Operations\":[" + operations + "]}";
    }

    /** method, body, status, scimType: the same for Users and Groups. */
    static Stream<Arguments> malformed() {
        List<Arguments> cases = new ArrayList<>();
        for (String endpoint : List.of("/Users/", "/Groups/")) {
            // RFC 7644 §3.5.2: the PatchOp schema is required.
            cases.add(Arguments.of(endpoint, "PATCH",
                    "{\"Operations\":[{\"op\":\"replace\",\"path\":\"externalId\",\"value\":\"x\"}]}", "invalidSyntax"));
            cases.add(Arguments.of(endpoint, "PATCH", "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:"
                    + "BulkRequest\"],\"Operations\":[{\"op\":\"replace\",\"path\":\"externalId\",\"value\":\"x\"}]}",
                    "invalidSyntax"));
            // RFC 7644 §3.5.2.2: a remove without a path is noTarget.
            cases.add(Arguments.of(endpoint, "PATCH", patch("{\"op\":\"remove\"}"), "noTarget"));
            // RFC 7644 §3.5.2.1 and §3.5.2.3: add and replace carry a value.
            cases.add(Arguments.of(endpoint, "PATCH", patch("{\"op\":\"add\",\"path\":\"externalId\"}"), "invalidValue"));
            cases.add(Arguments.of(endpoint, "PATCH", patch("{\"op\":\"Replace\",\"path\":\"externalId\"}"),
                    "invalidValue"));
            cases.add(Arguments.of(endpoint, "PATCH", patch("{\"op\":\"replace\",\"value\":\"not an object\"}"),
                    "invalidValue"));
            // Without a path, the value is the object of attributes to change; none is no request.
            cases.add(Arguments.of(endpoint, "PATCH", patch("{\"op\":\"add\"}"), "invalidValue"));
            cases.add(Arguments.of(endpoint, "PATCH", patch("{\"op\":\"move\",\"path\":\"externalId\"}"),
                    "invalidSyntax"));
            cases.add(Arguments.of(endpoint, "PATCH", "[]", "invalidSyntax"));
            // A PUT body that is not a resource of the type.
            cases.add(Arguments.of(endpoint, "PUT", "[1,2]", "invalidSyntax"));
            cases.add(Arguments.of(endpoint, "PUT", "\"a resource\"", "invalidSyntax"));
            cases.add(Arguments.of(endpoint, "PUT", patch("{\"op\":\"replace\",\"path\":\"externalId\",\"value\":\"x\"}"),
                    "invalidValue"));
        }
        cases.add(Arguments.of("/Users/", "PUT", "{\"displayName\":\"no userName\"}", "invalidValue"));
        cases.add(Arguments.of("/Groups/", "PUT", "{\"members\":[]}", "invalidValue"));
        cases.add(Arguments.of("/Groups/", "PUT", "{\"displayName\":\"admin\"}", "invalidValue"));
        // A member is its value: one without (a display only, an empty value) is refused, not dropped.
        cases.add(Arguments.of("/Groups/", "PUT", "{\"displayName\":\"g\",\"members\":[{\"display\":\"Bob\"}]}",
                "invalidValue"));
        cases.add(Arguments.of("/Groups/", "PUT", "{\"displayName\":\"g\",\"members\":[{\"value\":\" \"}]}",
                "invalidValue"));
        cases.add(Arguments.of("/Groups/", "PATCH", patch("{\"op\":\"add\",\"path\":\"members.value\",\"value\":\"x\"}"),
                "invalidPath"));
        return cases.stream();
    }

    @ParameterizedTest(name = "{1} {0}<unknown uuid> {2}")
    @MethodSource("malformed")
    void isRefusedForAnUnknownUuid(String endpoint, String method, String body, String scimType) {
        assertScimError(server.send(method, endpoint + UUID.randomUUID(), body), 400, scimType);
    }

    @ParameterizedTest(name = "{1} {0}<not an id> {2}")
    @MethodSource("malformed")
    void isRefusedForAnIdThatIsNoUuid(String endpoint, String method, String body, String scimType) {
        assertScimError(server.send(method, endpoint + "010101001010101011001010101011", body), 400, scimType);
    }

    @Test
    void aGroupCreatedWithAMemberWithoutValueIsRefusedAndNotMade() {
        String name = "hollow-" + UUID.randomUUID();
        for (String member : List.of("{\"display\":\"Bob\"}", "{\"value\":null,\"display\":\"Bob\"}",
                "{\"value\":\"\"}", "{}")) {
            assertScimError(server.send("POST", "/Groups", "{\"displayName\":\"" + name + "\",\"members\":[" + member
                    + "]}"), 400, "invalidValue");
        }
        assertScimError(server.send("POST", "/Groups", "{\"displayName\":\"" + name
                + "\",\"urn:ietf:params:scim:schemas:core:2.0:Group:members\":[{\"display\":\"Bob\"}]}"), 400,
                "invalidValue");
        assertThat(json(server.send("GET", "/Groups?filter=displayName%20eq%20%22" + name + "%22", null))
                .path("totalResults").asInt()).isZero();
    }

    @Test
    void aWellFormedRequestForAnUnknownIdIsStillNotFound() {
        assertScimError(server.send("PATCH", "/Users/" + UUID.randomUUID(),
                patch("{\"op\":\"replace\",\"path\":\"externalId\",\"value\":\"x\"}")), 404, null);
        assertScimError(server.send("PATCH", "/Groups/not-an-id",
                patch("{\"op\":\"remove\",\"path\":\"members[value eq \\\"" + UUID.randomUUID() + "\\\"]\"}")), 404, null);
        assertScimError(server.send("PUT", "/Groups/" + UUID.randomUUID(), "{\"displayName\":\"well formed\"}"), 404,
                null);
    }

    /** Entra clears an attribute with a replace whose value is null or empty: a value, not a missing one. */
    @Test
    void anExplicitNullValueStillUnassigns() {
        HttpResponse<String> created = server.send("POST", "/Users",
                "{\"userName\":\"malformed-" + UUID.randomUUID() + "\",\"title\":\"Boss\",\"nickName\":\"B\"}");
        String id = json(created).path("id").asText();
        HttpResponse<String> patched = server.send("PATCH", "/Users/" + id,
                patch("{\"op\":\"Replace\",\"path\":\"title\",\"value\":null},{\"op\":\"replace\",\"path\":\"nickName\","
                        + "\"value\":\"\"},{\"op\":\"remove\",\"path\":\"externalId\"}"));
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        JsonNode user = json(patched);
        assertThat(user.has("title")).isFalse();
        assertThat(user.has("nickName")).isFalse();
    }

    @Test
    void aMalformedPatchOfAnExistingUserChangesNothing() {
        HttpResponse<String> created = server.send("POST", "/Users",
                "{\"userName\":\"malformed-" + UUID.randomUUID() + "\",\"title\":\"Boss\"}");
        String id = json(created).path("id").asText();
        String version = json(created).path("meta").path("version").asText();
        assertScimError(server.send("PATCH", "/Users/" + id, patch("{\"op\":\"replace\",\"path\":\"title\",\"value\":"
                + "\"Chief\"},{\"op\":\"remove\"}")), 400, "noTarget");
        JsonNode after = json(server.send("GET", "/Users/" + id, null));
        assertThat(after.path("title").asText()).isEqualTo("Boss");
        assertThat(after.path("meta").path("version").asText()).isEqualTo(version);
    }
}
