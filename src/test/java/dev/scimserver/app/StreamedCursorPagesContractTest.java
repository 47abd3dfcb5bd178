package dev.scimserver.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimserver.app.WorkspaceFixtures.TestWorkspace;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static dev.scimserver.app.ScimAssertions.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A cursor page of users is written while its rows are still being read: a hundred rows per round
 * trip, the resources written on a second thread. Pages of 300 span several of those reads and more
 * resources than the writing thread queues, so each test here crosses every boundary of that
 * hand-over. What a client sees must be what a page read whole showed (RFC 9865 §2, RFC 7644
 * §3.4.2): every user once, in order, the message's fields where they were.
 */
class StreamedCursorPagesContractTest {
    private static final RunningServer server = RunningServer.shared();
    private static final int USERS = 620;
    private static final int PAGE = 300;
    private static TestWorkspace workspace;
    /** userNames in the order sortBy=userName gives: zero-padded, so as their numbers. */
    private static final List<String> userNames = IntStream.range(0, USERS)
            .mapToObj(i -> String.format("streamed-%04d@example.com", i)).toList();

    @BeforeAll
    static void users() {
        workspace = WorkspaceFixtures.workspaceWithCredentials("Streamed pages");
        StringBuilder bulk = new StringBuilder(
                "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:BulkRequest\"],\"Operations\":[");
        // Created in reverse, so the order of creation is not the order of userName.
        for (int i = USERS - 1; i >= 0; i--) {
            bulk.append(i == USERS - 1 ? "" : ",").append("{\"method\":\"POST\",\"path\":\"/Users\",\"bulkId\":\"u")
                    .append(i).append("\",\"data\":{\"userName\":\"").append(userNames.get(i))
                    .append("\",\"displayName\":\"Streamed ").append(i).append("\",\"emails\":[{\"value\":\"")
                    .append(userNames.get(i)).append("\",\"type\":\"work\",\"primary\":true}]}}");
        }
        HttpResponse<String> created = send("POST", "/Bulk", bulk.append("]}").toString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        json(created).path("Operations").forEach(op -> assertThat(op.path("status").asText()).isEqualTo("201"));
        HttpResponse<String> group = send("POST", "/Groups", "{\"displayName\":\"Streamed readers\",\"members\":["
                + "{\"value\":\"" + idOf(userNames.get(7)) + "\"},{\"value\":\"" + idOf(userNames.get(450)) + "\"}]}");
        assertThat(group.statusCode()).as(group.body()).isEqualTo(201);
    }

    @Test
    void aWalkInPagesOfSeveralReadsGivesEveryUserOnceInOrder() {
        List<JsonNode> pages = walk("sortBy=userName");

        assertThat(pages).hasSize(3);
        List<String> walked = new ArrayList<>();
        pages.forEach(page -> page.path("Resources").forEach(user -> walked.add(user.path("userName").asText())));
        assertThat(walked).containsExactlyElementsOf(userNames);
        assertThat(pages).extracting(page -> page.path("itemsPerPage").asInt()).containsExactly(PAGE, PAGE, 20);
        assertThat(pages).allSatisfy(page -> assertThat(page.path("totalResults").asInt()).isEqualTo(USERS));
        assertThat(pages.get(2).has("nextCursor")).isFalse();
    }

    @Test
    void aWalkInTheDefaultOrderGivesEveryUserOnce() {
        List<String> walked = new ArrayList<>();
        walk("").forEach(page -> page.path("Resources").forEach(user -> walked.add(user.path("userName").asText())));

        assertThat(walked).hasSize(USERS).containsExactlyInAnyOrderElementsOf(userNames);
    }

    @Test
    void theListResponseKeepsItsFieldsBeforeItsResources() {
        HttpResponse<String> first = send("GET", "/Users?sortBy=userName&count=" + PAGE + "&cursor=", null);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).startsWith("{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:ListResponse\"],"
                + "\"totalResults\":" + USERS + ",\"itemsPerPage\":" + PAGE + ",\"nextCursor\":\"");
        assertThat(first.body()).contains("\"Resources\":[{\"schemas\":").endsWith("}]}");
    }

    @Test
    void aBackwardPageHoldsThePageBeforeInTheSameOrder() {
        List<JsonNode> pages = walk("sortBy=userName");

        JsonNode back = page("sortBy=userName", pages.get(2).path("previousCursor").asText());

        assertThat(userNamesOf(back)).containsExactlyElementsOf(userNamesOf(pages.get(1)));
        assertThat(back.path("itemsPerPage").asInt()).isEqualTo(PAGE);
        assertThat(back.path("nextCursor").asText()).isNotEmpty();
    }

    @Test
    void aProjectedPageShowsWhatItAsksOfEveryUser() {
        JsonNode first = page("sortBy=userName&attributes=userName", "");

        assertThat(userNamesOf(first)).containsExactlyElementsOf(userNames.subList(0, PAGE));
        first.path("Resources").forEach(user -> assertThat(user.has("emails")).isFalse());
    }

    @Test
    void eachUserOfAStreamedPageCarriesItsGroups() {
        JsonNode second = walk("sortBy=userName").get(1);

        JsonNode reader = second.path("Resources").get(450 - PAGE);
        assertThat(reader.path("userName").asText()).isEqualTo(userNames.get(450));
        assertThat(reader.path("groups").get(0).path("display").asText()).isEqualTo("Streamed readers");
        assertThat(second.path("Resources").get(0).path("groups")).isEmpty();
    }

    private static List<JsonNode> walk(String query) {
        List<JsonNode> pages = new ArrayList<>();
        String cursor = "";
        do {
            JsonNode page = page(query, cursor);
            assertThat(page.path("itemsPerPage").asInt()).isEqualTo(page.path("Resources").size());
            pages.add(page);
            cursor = page.path("nextCursor").asText(null);
        } while (cursor != null);
        return pages;
    }

    private static JsonNode page(String query, String cursor) {
        HttpResponse<String> response = send("GET", "/Users?" + query + (query.isEmpty() ? "" : "&") + "count=" + PAGE
                + "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8), null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    /** The userNames of a list response's resources, in its order. */
    static List<String> userNamesOf(JsonNode page) {
        List<String> names = new ArrayList<>();
        page.path("Resources").forEach(user -> names.add(user.path("userName").asText()));
        return names;
    }

    private static String idOf(String userName) {
        HttpResponse<String> found = send("GET", "/Users?filter=" + URLEncoder.encode("userName eq \"" + userName
                + "\"", StandardCharsets.UTF_8), null);
        return json(found).path("Resources").get(0).path("id").asText();
    }

    private static HttpResponse<String> send(String method, String path, String body) {
        return server.send(method, path, body, Map.of("Authorization", workspace.apiTokenAuthorization()));
    }
}
