package dev.scimserver.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;

import static dev.scimserver.app.ScimAssertions.assertScimError;
import static dev.scimserver.app.ScimAssertions.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Endpoint names answer in any case, as Microsoft's SCIM reference implementation answers them
 * ({@code /users}, {@code /serviceproviderconfig}); the id in a path keeps its meaning, and a path
 * spelled in another case never passes around authentication.
 */
class EndpointNameCaseContractTest {
    private final RunningServer server = RunningServer.shared();

    private static void assertScimOk(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.uri() + " " + response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/scim+json"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/users", "/USERS", "/groups", "/serviceproviderconfig", "/SERVICEPROVIDERCONFIG",
            "/resourcetypes", "/resourcetypes/user", "/ResourceTypes/GROUP", "/schemas",
            "/schemas/urn:ietf:params:scim:schemas:core:2.0:User"})
    void listsAndDiscoveryAnswerWhateverTheCaseOfTheirName(String path) {
        assertScimOk(server.send("GET", path, null), 200);
    }

    @Test
    void oneResourceAnswersWhateverTheCaseOfItsEndpoint() {
        String userName = "case-" + UUID.randomUUID() + "@example.com";
        HttpResponse<String> created = server.send("POST", "/users", "{\"userName\":\"" + userName + "\"}");
        assertScimOk(created, 201);
        String id = json(created).path("id").asText();
        assertThat(json(created).path("meta").path("location").asText()).endsWith("/Users/" + id);

        assertThat(json(server.send("GET", "/uSeRs/" + id, null)).path("userName").asText()).isEqualTo(userName);
        assertScimOk(server.send("PATCH", "/USERS/" + id, "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:"
                + "PatchOp\"],\"Operations\":[{\"op\":\"replace\",\"path\":\"title\",\"value\":\"Cased\"}]}"), 200);
        JsonNode found = json(server.send("POST", "/users/.search",
                "{\"filter\":\"userName eq \\\"" + userName + "\\\"\"}"));
        assertThat(found.path("Resources").get(0).path("title").asText()).isEqualTo("Cased");

        HttpResponse<String> group = server.send("POST", "/GROUPS",
                "{\"displayName\":\"case-" + UUID.randomUUID() + "\",\"members\":[{\"value\":\"" + id + "\"}]}");
        assertScimOk(group, 201);
        String groupId = json(group).path("id").asText();
        assertThat(json(server.send("GET", "/groups/" + groupId, null)).path("members")).hasSize(1);
        assertThat(server.send("DELETE", "/groups/" + groupId, null).statusCode()).isEqualTo(204);
        assertThat(server.send("DELETE", "/users/" + id, null).statusCode()).isEqualTo(204);
        assertScimError(server.send("GET", "/Users/" + id, null), 404, null);
    }

    @Test
    void bulkAndMeAnswerWhateverTheCaseOfTheirName() {
        HttpResponse<String> bulk = server.send("POST", "/bulk", "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:"
                + "BulkRequest\"],\"Operations\":[{\"method\":\"POST\",\"path\":\"/Users\",\"bulkId\":\"c\","
                + "\"data\":{\"userName\":\"case-bulk-" + UUID.randomUUID() + "\"}}]}");
        assertScimOk(bulk, 200);
        assertThat(json(bulk).path("Operations").get(0).path("status").asText()).isEqualTo("201");
        assertScimError(server.send("GET", "/me", null), 501, null);
    }

    @Test
    void aBulkOperationsPathNamesItsResourceInAnyCase() {
        HttpResponse<String> bulk = server.send("POST", "/Bulk", "{\"schemas\":[\"urn:ietf:params:scim:api:messages:"
                + "2.0:BulkRequest\"],\"Operations\":[{\"method\":\"POST\",\"path\":\"/users\",\"bulkId\":\"u\","
                + "\"data\":{\"userName\":\"case-op-" + UUID.randomUUID() + "\"}},{\"method\":\"POST\",\"path\":"
                + "\"/GROUPS\",\"bulkId\":\"g\",\"data\":{\"displayName\":\"case-op-" + UUID.randomUUID()
                + "\",\"members\":[{\"value\":\"bulkId:u\"}]}}]}");
        assertScimOk(bulk, 200);
        assertThat(json(bulk).path("Operations").findValuesAsText("status")).containsExactly("201", "201");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/scim/v2/users", "/API/SCIM/V2/Users", "/Api/Scim/V2/serviceproviderconfig"})
    void aPathInAnotherCaseStillNeedsCredentials(String path) {
        HttpResponse<String> response = server.send("GET", "http://localhost:" + server.port() + path, null, Map.of());
        assertScimError(response, 401, null);
        assertThat(response.headers().firstValue("WWW-Authenticate")).isPresent();
    }
}
