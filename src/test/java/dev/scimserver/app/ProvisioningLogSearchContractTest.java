package dev.scimserver.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimserver.activity.TimeOrderedIds;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import static dev.scimserver.app.AdminServer.assertProblem;
import static dev.scimserver.app.AdminServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /workspaces/{slug}/requests}: its filters, its newest-first cursor paging, its refusals. */
class ProvisioningLogSearchContractTest {
    private static final String USER = "urn:ietf:params:scim:schemas:core:2.0:User";

    @Test
    void filtersKeepWhatTheyNameAndPagesWalkNewestFirstWithoutRepeats() {
        LogWorkspace workspace = new LogWorkspace("log-search");
        Instant start = Instant.now().minusSeconds(1);
        String userId = json(workspace.scim("POST", "/Users", "{\"schemas\":[\"" + USER + "\"],\"userName\":\"s-"
                + UUID.randomUUID() + "@example.com\"}", "search-1")).path("id").asText();
        // An id in upper case names the same user: found by the same filter, in either case.
        workspace.scim("GET", "/Users/" + userId.toUpperCase(Locale.ROOT), null, "search-2");
        workspace.scim("GET", "/Users/" + UUID.randomUUID(), null, "search-3");
        workspace.scim("GET", "/Groups/" + UUID.randomUUID(), null, "search-4");
        workspace.scim("PATCH", "/Users/" + userId, "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                + "\"Operations\":[{\"op\":\"replace\",\"path\":\"active\",\"value\":false}]}", "search-5");
        JsonNode all = workspace.awaitItems("", 5);
        assertThat(all).hasSize(5);
        List<String> newestFirst = new ArrayList<>();
        all.forEach(item -> newestFirst.add(item.path("requestId").asText()));
        assertThat(newestFirst).containsExactly("search-5", "search-4", "search-3", "search-2", "search-1");

        assertThat(requestIds(workspace, "status=4xx")).containsExactly("search-4", "search-3");
        assertThat(requestIds(workspace, "status=404")).containsExactly("search-4", "search-3");
        assertThat(requestIds(workspace, "status=2XX")).containsExactly("search-5", "search-2", "search-1");
        assertThat(requestIds(workspace, "status=201")).containsExactly("search-1");
        assertThat(requestIds(workspace, "status=5xx")).isEmpty();
        assertThat(requestIds(workspace, "method=patch")).containsExactly("search-5");
        // The POST that made the user names it in its answer's Location, not in its path: found all the same.
        assertThat(requestIds(workspace, "resource=" + userId)).containsExactly("search-5", "search-2", "search-1");
        assertThat(requestIds(workspace, "resource=" + userId.toUpperCase(Locale.ROOT)))
                .containsExactly("search-5", "search-2", "search-1");
        assertThat(requestIds(workspace, "credential=api-token:" + workspace.tokenName)).hasSize(5);
        assertThat(requestIds(workspace, "credential=basic")).isEmpty();
        assertThat(requestIds(workspace, "requestId=search-3")).containsExactly("search-3");
        assertThat(requestIds(workspace, "from=" + encoded(start) + "&to=" + encoded(Instant.now().plusSeconds(5))))
                .hasSize(5);
        assertThat(requestIds(workspace, "to=" + encoded(start))).isEmpty();
        // The log keeps microseconds: a bound finer than that still has the entry at its time on its side.
        Instant at = Instant.parse(json(workspace.search("requestId=search-3")).path("items").get(0)
                .path("receivedAt").asText());
        for (long nanos : new long[] {100, 400, 600, 999}) {
            String justAfter = encoded(at.plusNanos(nanos));
            assertThat(requestIds(workspace, "requestId=search-3&from=" + justAfter)).as("from " + nanos).isEmpty();
            assertThat(requestIds(workspace, "requestId=search-3&to=" + justAfter)).as("to " + nanos)
                    .containsExactly("search-3");
        }
        assertThat(requestIds(workspace, "method=GET&status=404&resource=" + userId)).isEmpty();

        List<String> walked = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = json(workspace.search("limit=2" + (cursor == null ? "" : "&cursor=" + cursor)));
            assertThat(page.path("items").size()).isLessThanOrEqualTo(2);
            page.path("items").forEach(item -> walked.add(item.path("requestId").asText()));
            cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText();
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        assertThat(walked).containsExactlyElementsOf(newestFirst);
        assertThat(new HashSet<>(walked)).hasSize(5);
    }

    @Test
    void aCreatedGroupIsFoundByTheIdItsAnswerGaveAndARefusedCreateByNone() {
        LogWorkspace workspace = new LogWorkspace("log-created");
        String groupId = json(workspace.scim("POST", "/Groups", "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:"
                + "Group\"],\"displayName\":\"created-" + UUID.randomUUID() + "\"}", "made-1")).path("id").asText();
        String user = "{\"schemas\":[\"" + USER + "\"],\"userName\":\"dup-" + UUID.randomUUID() + "@example.com\"}";
        String userId = json(workspace.scim("POST", "/Users", user, "made-2")).path("id").asText();
        workspace.scim("POST", "/Users", user, "refused-3");
        workspace.awaitItems("", 3);
        assertThat(requestIds(workspace, "resource=" + groupId)).containsExactly("made-1");
        assertThat(requestIds(workspace, "resource=" + userId)).containsExactly("made-2");
        assertThat(json(workspace.search("requestId=refused-3")).path("items").get(0).path("resourceId").isNull()).isTrue();
    }

    @Test
    void badFiltersAreRefusedNamingTheParameter() {
        LogWorkspace workspace = new LogWorkspace("log-refusals");
        String[][] refused = {
            {"status=4x", "status"}, {"status=600", "status"}, {"status=abc", "status"},
            {"from=yesterday", "from"}, {"from=2026-01-31T08:00:00", "from"}, {"to=2026-13-01T00:00:00Z", "to"},
            {"from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "to"}, {"method=GE%20T", "method"}, {"method=%3Cb%3E", "method"},
            {"limit=0", "limit"}, {"limit=501", "limit"}, {"limit=ten", "limit"}, {"limit=%EF%BC%95", "limit"}, {"cursor=not-a-cursor", "cursor"},
            {"resource=" + "x".repeat(201), "resource"}, {"colour=blue", "colour"}, {"status=2xx&status=4xx", "status"},
            // Beyond what PostgreSQL's timestamps hold, and beyond RFC 3339's four-digit years.
            {"from=%2B300000-01-01T00:00:00Z", "from"}, {"to=-4800-01-01T00:00:00Z", "to"},
            // A cursor shaped like the server's, made up by hand to hold such a time.
            {"cursor=" + cursorAt("-1000000000000000000"), "cursor"},
            {"cursor=" + cursorAt("253402300800000000"), "cursor"},
            // U+0000 cannot be stored, nor compared with what is: refused, not sent to the database.
            {"credential=%00", "credential"}, {"resource=a%00b", "resource"}, {"requestId=a%00b", "requestId"},
            // At the edge, where trimming would have taken it away and left no filter at all.
            {"resource=%00", "resource"}, {"requestId=%00x", "requestId"}};
        for (String[] query : refused) {
            JsonNode problem = assertProblem(workspace.search(query[0]), 400);
            assertThat(problem.path("field").asText()).as(query[0]).isEqualTo(query[1]);
        }
        // The framework drops a parameter with a malformed escape: the search would run without that filter.
        for (String query : new String[] {"to=2026-12-04T22:35:00Z%", "requestId=abc%zz", "%zz=1"}) {
            String answer = RawHttp.get(workspace.admin.port(), "/api/admin/v1/workspaces/" + workspace.slug
                    + "/requests?" + query, "Authorization: Bearer " + AdminServer.ADMIN_TOKEN);
            assertThat(answer).as(query).startsWith("HTTP/1.1 400").contains("application/problem+json")
                    .contains("malformed percent-escape");
        }
        assertThat(workspace.search("limit=500").statusCode()).isEqualTo(200);
        assertThat(workspace.search("method=head").statusCode()).as("HEAD requests are logged too").isEqualTo(200);
        // So is any other method a client sends: a scanner's OPTIONS or PROPFIND is found as it was sent.
        workspace.scim("OPTIONS", "/Users", null, "odd-method-1");
        workspace.awaitItems("requestId=odd-method-1", 1);
        assertThat(requestIds(workspace, "method=OPTIONS")).contains("odd-method-1");
        // One of the usual six in another case is a method of its own (RFC 9110 §9.1), kept as sent and
        // refused: the method filter names the usual six in any case, so the status finds it.
        workspace.scim("get", "/Users", null, "odd-method-2");
        workspace.awaitItems("requestId=odd-method-2", 1);
        assertThat(json(workspace.search("requestId=odd-method-2")).at("/items/0/method").asText()).isEqualTo("get");
        assertThat(requestIds(workspace, "status=405")).contains("odd-method-2");
        assertProblem(workspace.admin.send("GET", "/workspaces/no-such-" + UUID.randomUUID().toString().substring(0, 8)
                + "/requests", null), 404);
    }

    @Test
    void anEntryIsReadOnlyThroughItsOwnWorkspace() {
        LogWorkspace one = new LogWorkspace("log-one");
        LogWorkspace other = new LogWorkspace("log-other");
        String requestId = "own-" + UUID.randomUUID();
        one.scim("GET", "/Users?count=1", null, requestId);
        String id = one.awaitItems("requestId=" + requestId, 1).get(0).path("id").asText();
        assertThat(one.admin.send("GET", "/workspaces/" + one.slug + "/requests/" + id, null).statusCode())
                .isEqualTo(200);
        assertProblem(other.admin.send("GET", "/workspaces/" + other.slug + "/requests/" + id, null), 404);
        assertProblem(one.admin.send("GET", "/unattributed-requests/" + id, null), 404);
        assertProblem(one.admin.send("GET", "/workspaces/" + one.slug + "/requests/" + UUID.randomUUID(), null), 404);
        assertProblem(one.admin.send("GET", "/workspaces/" + one.slug + "/requests/not-an-id", null), 404);
        assertThat(other.search("requestId=" + requestId).body()).doesNotContain(requestId);
        HttpResponse<String> unauthenticated = one.admin.send("GET", "/workspaces/" + one.slug + "/requests", null,
                java.util.Map.of());
        assertProblem(unauthenticated, 401);
    }

    /**
     * A cursor belongs to its search: sent with other filters or to another workspace it would start a
     * page of that search at a place it never reached (most often an empty page, read as the end).
     */
    @Test
    void aCursorOfAnotherSearchIsRefused() {
        LogWorkspace one = new LogWorkspace("log-cursor-one");
        LogWorkspace other = new LogWorkspace("log-cursor-other");
        for (int i = 0; i < 3; i++) {
            one.scim("GET", "/Users/" + UUID.randomUUID(), null, "cursor-" + i);
            other.scim("GET", "/Users?count=1", null, "cursor-other-" + i);
        }
        one.awaitItems("", 3);
        other.awaitItems("", 3);
        String cursor = json(one.search("limit=1&method=get")).path("nextCursor").asText();
        assertThat(json(one.search("limit=1&method=GET&cursor=" + cursor)).path("items")).hasSize(1);
        for (String query : new String[] {"limit=1&cursor=" + cursor, "limit=1&method=get&status=4xx&cursor=" + cursor,
            "limit=1&method=get&status=404&cursor=" + cursor}) {
            JsonNode problem = assertProblem(one.search(query), 400);
            assertThat(problem.path("field").asText()).as(query).isEqualTo("cursor");
            assertThat(problem.path("detail").asText()).contains("another search");
        }
        assertThat(assertProblem(other.search("limit=1&method=get&cursor=" + cursor), 400).path("field").asText())
                .isEqualTo("cursor");
        // One an earlier version made names no search: the walk starts again, and the answer says why.
        assertThat(assertProblem(one.search("limit=1&cursor=" + cursorAt("1780000000000000")), 400).path("detail")
                .asText()).contains("earlier version");
    }

    /** The server's own request ids are not indexed (V25): each is found in the millisecond it names. */
    @Test
    void aRequestIdTheServerMadeFindsItsEntryInTheMillisecondItNames() {
        LogWorkspace workspace = new LogWorkspace("log-named");
        String made = workspace.scim("GET", "/Users?count=1", null, null).headers().firstValue("X-Request-Id")
                .orElseThrow();

        JsonNode entry = workspace.awaitItems("requestId=" + made, 1).get(0);
        assertThat(entry.path("requestId").asText()).isEqualTo(made);
        assertThat(Instant.parse(entry.path("receivedAt").asText()).truncatedTo(ChronoUnit.MILLIS))
                .isEqualTo(TimeOrderedIds.madeAt(made).orElseThrow());
    }

    private static List<String> requestIds(LogWorkspace workspace, String query) {
        HttpResponse<String> answer = workspace.search(query);
        assertThat(answer.statusCode()).as(query + ": " + answer.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        json(answer).path("items").forEach(item -> ids.add(item.path("requestId").asText()));
        return ids;
    }

    /** A cursor as the server writes one (microseconds since the epoch, a dot, an entry's id), for {@code micros}. */
    private static String cursorAt(String micros) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((micros + "." + new UUID(0, 0))
                .getBytes(StandardCharsets.UTF_8));
    }

    private static String encoded(Instant time) {
        return URLEncoder.encode(time.toString(), StandardCharsets.UTF_8);
    }
}
