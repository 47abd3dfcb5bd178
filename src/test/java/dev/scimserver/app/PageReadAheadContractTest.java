package dev.scimserver.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimserver.app.WorkspaceFixtures.TestWorkspace;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static dev.scimserver.app.ScimAssertions.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Once a walk asks for its second page, by cursor or by startIndex, the server reads the page after
 * each one it answers before the client asks for it. A page read ahead may be answered only while it
 * is what a fresh read would give: a change committed before the request shows in the answer (RFC
 * 7644 §3.4.2 asks for the resources as they are), and a request that differs in anything but the
 * cursor or startIndex never gets another request's page. {@code scim_cursor_read_ahead_total} (named
 * when only cursor walks were read ahead) says which pages were answered from what was read ahead, so
 * each test knows which path its answer took.
 */
class PageReadAheadContractTest {
    private static final RunningServer server = RunningServer.shared();
    private static final Pattern OUTCOME = Pattern.compile(
            "^scim_cursor_read_ahead_total\\{outcome=\"([a-z]+)\"} (\\S+)$", Pattern.MULTILINE);
    private static final int USERS = 250;
    /** Small pages, so that a walk has many: which of them a busy machine lets be read ahead in time varies. */
    private static final int PAGE = 10;
    private static final List<String> userNames = IntStream.range(0, USERS)
            .mapToObj(i -> String.format("ahead-%04d@example.com", i)).toList();
    /** The walk of this class's users; the deletion test walks users of its own. */
    private static final String WALK = "sortBy=userName&filter=" + encode("userName sw \"ahead-\"");
    private static TestWorkspace workspace;

    @BeforeAll
    static void users() {
        workspace = WorkspaceFixtures.workspaceWithCredentials("Read ahead");
        create(userNames);
    }

    private static void create(List<String> names) {
        StringBuilder bulk = new StringBuilder(
                "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:BulkRequest\"],\"Operations\":[");
        for (int i = 0; i < names.size(); i++) {
            bulk.append(i == 0 ? "" : ",").append("{\"method\":\"POST\",\"path\":\"/Users\",\"bulkId\":\"u")
                    .append(i).append("\",\"data\":{\"userName\":\"").append(names.get(i))
                    .append("\",\"displayName\":\"Walked ").append(i).append("\",\"emails\":[{\"value\":\"")
                    .append(names.get(i)).append("\",\"type\":\"work\",\"primary\":true}]}}");
        }
        HttpResponse<String> created = send("POST", "/Bulk", bulk.append("]}").toString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        json(created).path("Operations").forEach(op -> assertThat(op.path("status").asText()).isEqualTo("201"));
    }

    @Test
    void aWalkIsAnsweredFromPagesReadAheadAndGivesEveryUserOnceInOrder() {
        Map<String, Double> before = outcomes();

        List<JsonNode> pages = new ArrayList<>();
        for (String cursor = ""; cursor != null; cursor = pages.get(pages.size() - 1).path("nextCursor").asText(null)) {
            pages.add(page(WALK, cursor));
        }

        List<String> walked = new ArrayList<>();
        pages.forEach(page -> page.path("Resources").forEach(user -> walked.add(user.path("userName").asText())));
        assertThat(walked).containsExactlyElementsOf(userNames);
        assertThat(pages).hasSize(USERS / PAGE).allSatisfy(page -> assertThat(page.path("totalResults").asInt()).isEqualTo(USERS));
        // The first two pages are read as asked: the walk shows itself a walk on the second. Every page
        // after them was read ahead; a request that came before its read began reads the page itself
        // (unread), which a busy machine decides, so only the two together are exact.
        assertThat(grown(before, "answered") + grown(before, "unread")).isEqualTo(pages.size() - 2);
        assertThat(grown(before, "answered")).isPositive();
        assertThat(grown(before, "changed")).isZero();
    }

    @Test
    void aChangeCommittedBetweenTwoPagesShowsInTheNextOne() {
        JsonNode first = page(WALK, "");
        JsonNode second = page(WALK, first.path("nextCursor").asText());
        JsonNode onThird = userAt(userNames.get(2 * PAGE + 3));
        Map<String, Double> before = outcomes();

        HttpResponse<String> renamed = send("PATCH", "/Users/" + onThird.path("id").asText(),
                "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":["
                        + "{\"op\":\"replace\",\"path\":\"displayName\",\"value\":\"Renamed while walked\"}]}");
        assertThat(renamed.statusCode()).as(renamed.body()).isEqualTo(200);
        JsonNode third = page(WALK, second.path("nextCursor").asText());

        assertThat(third.path("Resources").get(3).path("userName").asText()).isEqualTo(userNames.get(2 * PAGE + 3));
        assertThat(third.path("Resources").get(3).path("displayName").asText()).isEqualTo("Renamed while walked");
        assertThat(grown(before, "changed") + grown(before, "unread")).isEqualTo(1);
        assertThat(grown(before, "answered")).isZero();
    }

    @Test
    void aUserDeletedBetweenTwoPagesIsGoneFromTheNextOne() {
        List<String> own = IntStream.range(0, 3 * PAGE).mapToObj(i -> String.format("gone-%04d@example.com", i))
                .toList();
        create(own);
        String walk = "sortBy=userName&filter=" + encode("userName sw \"gone-\"");
        JsonNode first = page(walk, "");
        JsonNode second = page(walk, first.path("nextCursor").asText());
        String doomed = userAt(own.get(2 * PAGE + 5)).path("id").asText();

        HttpResponse<String> deleted = send("DELETE", "/Users/" + doomed, null);
        assertThat(deleted.statusCode()).isEqualTo(204);
        JsonNode third = page(walk, second.path("nextCursor").asText());

        List<String> walked = new ArrayList<>();
        third.path("Resources").forEach(user -> walked.add(user.path("userName").asText()));
        List<String> left = new ArrayList<>(own.subList(2 * PAGE, 3 * PAGE));
        left.remove(own.get(2 * PAGE + 5));
        assertThat(walked).containsExactlyElementsOf(left);
        assertThat(third.path("totalResults").asInt()).as("the total the walk began with").isEqualTo(3 * PAGE);
    }

    @Test
    void aWalkByStartIndexIsAnsweredFromPagesReadAheadAndGivesEveryUserOnceInOrder() {
        Map<String, Double> before = outcomes();

        List<JsonNode> pages = new ArrayList<>();
        for (int startIndex = 1; startIndex <= USERS; startIndex += PAGE) {
            pages.add(indexPage(WALK, startIndex));
        }

        List<String> walked = new ArrayList<>();
        pages.forEach(page -> page.path("Resources").forEach(user -> walked.add(user.path("userName").asText())));
        assertThat(walked).containsExactlyElementsOf(userNames);
        assertThat(pages).allSatisfy(page -> assertThat(page.path("totalResults").asInt()).isEqualTo(USERS));
        // The first page is read as asked, the second as the one that follows it: the walk shows
        // itself there, and every page after it was read ahead (or, on a busy machine, asked for
        // before its read began).
        assertThat(grown(before, "answered") + grown(before, "unread")).isEqualTo(pages.size() - 2);
        assertThat(grown(before, "answered")).isPositive();
        assertThat(grown(before, "changed")).isZero();
    }

    @Test
    void aUserCreatedBetweenTwoIndexPagesCountsOnTheNextOne() {
        // A walk of its own (another projection): the page it leaves read ahead is no other test's.
        String walk = WALK + "&excludedAttributes=groups";
        JsonNode first = indexPage(walk, 1);
        indexPage(walk, 1 + PAGE);
        Map<String, Double> before = outcomes();

        String added = "ahead-0000a@example.com";
        HttpResponse<String> created = send("POST", "/Users", "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],"
                + "\"userName\":\"" + added + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode third;
        try {
            third = indexPage(walk, 1 + 2 * PAGE);
        } finally {
            send("DELETE", "/Users/" + json(created).path("id").asText(), null);
        }

        assertThat(first.path("totalResults").asInt()).isEqualTo(USERS);
        assertThat(third.path("totalResults").asInt()).isEqualTo(USERS + 1);
        // The new user sorts on the first page (first or second, as the database's collation has it),
        // so every user after it moved one place along.
        assertThat(third.path("Resources").get(0).path("userName").asText()).isEqualTo(userNames.get(2 * PAGE - 1));
        assertThat(grown(before, "changed") + grown(before, "unread")).isEqualTo(1);
        assertThat(grown(before, "answered")).isZero();
    }

    @Test
    void anIndexPageAskedForOutOfAnyWalkHasNothingReadAfterIt() {
        String walk = WALK + "&attributes=userName";
        indexPage(walk, 1 + 10 * PAGE);
        Map<String, Double> before = outcomes();

        // The page after it is expected, so it is a walk's: only the page after that is read ahead.
        JsonNode next = indexPage(walk, 1 + 11 * PAGE);

        assertThat(next.path("Resources").get(0).path("userName").asText()).isEqualTo(userNames.get(11 * PAGE));
        assertThat(grown(before, "answered") + grown(before, "unread") + grown(before, "changed"))
                .as("pages answered from a read ahead").isZero();
    }

    @Test
    void aPageReadAheadForOneProjectionIsNotAnsweredToAnother() {
        JsonNode first = page(WALK + "&attributes=userName", "");
        JsonNode second = page(WALK + "&attributes=userName", first.path("nextCursor").asText());
        Map<String, Double> before = outcomes();

        JsonNode third = page(WALK, second.path("nextCursor").asText());

        assertThat(second.path("Resources").get(0).has("emails")).isFalse();
        assertThat(third.path("Resources").get(0).path("userName").asText()).isEqualTo(userNames.get(2 * PAGE));
        assertThat(third.path("Resources").get(0).path("emails").get(0).path("value").asText())
                .isEqualTo(userNames.get(2 * PAGE));
        assertThat(grown(before, "answered")).isZero();
    }

    @Test
    void aServerToldNotToReadAheadAnswersTheSameWalkReadingEachPageAsAsked() throws Exception {
        URI database = URI.create(server.jdbcUrl().substring("jdbc:".length()));
        try (ScimServer unbalanced = ScimServer.start(Config.from(Map.of("SCIM_ENABLED", "true",
                "SCIM_HEADER_AUTH_TOKEN", RunningServer.TOKEN, "PORT", "0", "SCIM_CURSOR_READ_AHEAD", "false",
                "DATABASE_URL", "postgres://postgres:" + server.databasePassword() + "@" + database.getHost() + ":"
                        + database.getPort() + database.getPath())))) {
            HttpClient http = HttpClient.newHttpClient();
            List<String> walked = new ArrayList<>();
            String cursor = "";
            while (cursor != null) {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                                + unbalanced.port() + "/api/scim/v2/Users?" + WALK + "&count=" + PAGE + "&cursor="
                                + encode(cursor))).header("Authorization", workspace.apiTokenAuthorization()).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                JsonNode page = json(response);
                page.path("Resources").forEach(user -> walked.add(user.path("userName").asText()));
                cursor = page.path("nextCursor").asText(null);
            }
            HttpResponse<String> scrape = http.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                    + unbalanced.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(walked).containsExactlyElementsOf(userNames);
            assertThat(scrape.body()).doesNotContain("scim_cursor_read_ahead_total{");
        }
    }

    private static JsonNode indexPage(String query, int startIndex) {
        HttpResponse<String> response = send("GET", "/Users?" + query + "&count=" + PAGE + "&startIndex=" + startIndex,
                null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    private static JsonNode userAt(String userName) {
        HttpResponse<String> found = send("GET", "/Users?filter=" + encode("userName eq \"" + userName + "\""), null);
        return json(found).path("Resources").get(0);
    }

    private static JsonNode page(String query, String cursor) {
        HttpResponse<String> response = send("GET", "/Users?" + query + "&count=" + PAGE + "&cursor="
                + encode(cursor), null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    private static Map<String, Double> outcomes() {
        HttpResponse<String> scrape = server.send("GET", "http://localhost:" + server.port() + "/metrics", null,
                Map.of());
        assertThat(scrape.statusCode()).isEqualTo(200);
        Map<String, Double> counts = new HashMap<>();
        Matcher line = OUTCOME.matcher(scrape.body());
        while (line.find()) {
            counts.put(line.group(1), Double.parseDouble(line.group(2)));
        }
        return counts;
    }

    private static long grown(Map<String, Double> before, String outcome) {
        return Math.round(outcomes().getOrDefault(outcome, 0.0) - before.getOrDefault(outcome, 0.0));
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> send(String method, String path, String body) {
        return server.send(method, path, body, Map.of("Authorization", workspace.apiTokenAuthorization()));
    }
}
