package dev.scimserver.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimserver.app.WorkspaceFixtures.TestWorkspace;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static dev.scimserver.app.ScimAssertions.json;
import static dev.scimserver.app.StreamedCursorPagesContractTest.userNamesOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 9865 §2: "nextCursor" is omitted only when no page follows. A walk back over rows deleted since
 * reaches a page with nothing in it; the pages after it still follow, and its nextCursor leads there.
 */
class CursorPagesAroundDeletesContractTest {
    private static final RunningServer server = RunningServer.shared();

    @ParameterizedTest(name = "sortOrder={0}")
    @ValueSource(strings = {"ascending", "descending"})
    void anEmptyPageReachedBackwardStillLeadsToThePagesAfterIt(String order) {
        TestWorkspace workspace = WorkspaceFixtures.workspaceWithCredentials("Cursor deletes " + order);
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> created = send(workspace, "POST", "/Users", "{\"userName\":\"walked-" + i + "\"}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        }
        String query = "/Users?sortBy=userName&sortOrder=" + order + "&count=2&cursor=";
        JsonNode first = page(workspace, query, "");
        JsonNode second = page(workspace, query, first.path("nextCursor").asText());
        List<String> firstNames = userNamesOf(first);
        for (JsonNode user : first.path("Resources")) {
            HttpResponse<String> deleted = send(workspace, "DELETE", "/Users/" + user.path("id").asText(), null);
            assertThat(deleted.statusCode()).isEqualTo(204);
        }

        JsonNode emptied = page(workspace, query, second.path("previousCursor").asText());

        assertThat(emptied.path("Resources")).isEmpty();
        assertThat(emptied.path("nextCursor").asText()).isNotEmpty();
        JsonNode again = page(workspace, query, emptied.path("nextCursor").asText());
        assertThat(userNamesOf(again)).isEqualTo(userNamesOf(second)).doesNotContainAnyElementsOf(firstNames);
        assertThat(userNamesOf(page(workspace, query, again.path("nextCursor").asText()))).hasSize(1);
    }

    private static JsonNode page(TestWorkspace workspace, String query, String cursor) {
        HttpResponse<String> response = send(workspace, "GET",
                query + URLEncoder.encode(cursor, StandardCharsets.UTF_8), null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    private static HttpResponse<String> send(TestWorkspace workspace, String method, String path, String body) {
        return server.send(method, path, body, Map.of("Authorization", workspace.apiTokenAuthorization()));
    }
}
