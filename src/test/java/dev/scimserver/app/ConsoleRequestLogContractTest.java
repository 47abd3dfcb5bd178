package dev.scimserver.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.scimserver.app.AdminServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's provisioning log over real HTTP: its filters narrow the list as the admin API's do,
 * an entry shows its redacted bodies and a curl command without any secret, a hostile userName stays
 * text, the requests refused before any workspace was known have a list of their own, and the
 * overview counts the day's requests.
 */
class ConsoleRequestLogContractTest {
    private static final String USER = "urn:ietf:params:scim:schemas:core:2.0:User";
    private static final String PASSWORD = "Pa55-word-" + UUID.randomUUID();
    private static final String HOSTILE = "<script>alert(\"log\")</script>";
    private static final Pattern ENTRY_LINK = Pattern.compile("href=\"(/admin/[a-z0-9/-]+/([0-9a-f-]{36}))\"");
    private static final Pattern CURL = Pattern.compile("<pre class=\"json\" id=\"curl\" tabindex=\"0\">([^<]*)</pre>");
    private static LogWorkspace workspace;
    private static String base;
    private static String userId;
    private static ConsoleClient browser;

    @BeforeAll
    static void aUserWithAPasswordAHostileOneAndAMiss() {
        workspace = new LogWorkspace("console-log");
        base = "/admin/workspaces/" + workspace.slug;
        HttpResponse<String> created = workspace.scim("POST", "/Users", "{\"schemas\":[\"" + USER
                + "\"],\"userName\":\"ada@example.com\",\"password\":\"" + PASSWORD + "\"}", "clog-password");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        userId = json(created).path("id").asText();
        assertThat(workspace.scim("POST", "/Users", "{\"schemas\":[\"" + USER + "\"],\"userName\":"
                + TextNode.valueOf(HOSTILE) + "}", "clog-hostile").statusCode()).isEqualTo(201);
        assertThat(workspace.scim("GET", "/Users/" + UUID.randomUUID(), null, "clog-miss").statusCode()).isEqualTo(404);
        assertThat(workspace.scim("GET", "/Users/" + userId, null, "clog-read").statusCode()).isEqualTo(200);
        workspace.awaitItems("", 4);
        browser = new ConsoleClient(workspace.admin.url());
        browser.signIn(AdminServer.ADMIN_TOKEN);
    }

    @Test
    void theFiltersNarrowTheListNewestFirst() {
        assertThat(requestIds(page(base + "/requests")))
                .containsExactly("clog-read", "clog-miss", "clog-hostile", "clog-password");
        assertThat(requestIds(page(base + "/requests?status=4xx"))).containsExactly("clog-miss");
        assertThat(requestIds(page(base + "/requests?status=201"))).containsExactly("clog-hostile", "clog-password");
        assertThat(requestIds(page(base + "/requests?method=POST"))).containsExactly("clog-hostile", "clog-password");
        assertThat(requestIds(page(base + "/requests?resource=" + userId))).containsExactly("clog-read", "clog-password");
        assertThat(requestIds(page(base + "/requests?requestId=clog-miss"))).containsExactly("clog-miss");
        assertThat(requestIds(page(base + "/requests?credential=api-token:" + workspace.tokenName))).hasSize(4);
        assertThat(requestIds(page(base + "/requests?credential=basic"))).isEmpty();
        // A datetime-local field sends a time without an offset; the form says it is UTC.
        String inAnHour = LocalDateTime.now(ZoneOffset.UTC).plusHours(1).truncatedTo(ChronoUnit.MINUTES).toString();
        assertThat(requestIds(page(base + "/requests?from=" + inAnHour))).isEmpty();
        assertThat(requestIds(page(base + "/requests?to=" + inAnHour))).hasSize(4);
    }

    /** A credential's name may end in a space: the console's filter takes it as typed, as the API's does. */
    @Test
    void aCredentialWhoseNameEndsInASpaceIsFoundAsTheApiFindsIt() {
        LogWorkspace spaced = new LogWorkspace("console-log-spaced");
        HttpResponse<String> made = spaced.admin.send("POST", "/workspaces/" + spaced.slug + "/credentials",
                "{\"name\":\"trail \"}");
        assertThat(made.statusCode()).isEqualTo(201);
        assertThat(RunningServer.shared().send("GET", spaced.admin.url() + "/api/scim/v2/Users?count=1", null,
                Map.of("Authorization", "Bearer " + json(made).path("token").asText(), "X-Request-Id", "clog-trail"))
                .statusCode()).isEqualTo(200);
        spaced.awaitItems("credential=api-token:trail%20", 1);
        assertThat(requestIds(page("/admin/workspaces/" + spaced.slug + "/requests?credential=api-token:trail%20")))
                .containsExactly("clog-trail");
    }

    @Test
    void aFilterThatCannotBeOneIsRefusedAtTheForm() {
        HttpResponse<String> refused = browser.get(base + "/requests?status=teapot");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("class=\"problem\"").contains("status must be a class such as 4xx")
                .contains("value=\"teapot\"");
        assertThat(browser.get(base + "/requests?method=GE%20T").statusCode()).isEqualTo(400);
        // Any method the log may hold is a filter, and the form shows it as chosen.
        HttpResponse<String> options = browser.get(base + "/requests?method=OPTIONS");
        assertThat(options.statusCode()).isEqualTo(200);
        assertThat(options.body()).contains("<option value=\"OPTIONS\" selected>OPTIONS</option>");
        assertThat(browser.get(base + "/requests?cursor=not-a-cursor").statusCode()).isEqualTo(400);
        // A malformed escape would make the framework drop the filter and list every entry.
        String malformed = RawHttp.get(workspace.admin.port(), base + "/requests?requestId=abc%zz",
                "Cookie: " + browser.cookieHeader());
        assertThat(malformed).startsWith("HTTP/1.1 400").contains("malformed percent-escape");
    }

    @Test
    void theEntryShowsTheRedactedBodyAndNoSecretAnywhere() {
        String entry = page(entryPath("clog-password"));
        assertThat(entry).contains("[REDACTED]").doesNotContain(PASSWORD).doesNotContain(workspace.token);
        // The bodies are indented as JSON.
        assertThat(unescaped(entry)).contains("\"userName\" : \"ada@example.com\"");
        String curl = unescaped(curlOn(entry));
        assertThat(curl).startsWith("curl --globoff -X 'POST' '" + workspace.admin.url() + "/api/scim/v2/Users'")
                .contains("-H \"Authorization: Bearer $SCIM_TOKEN\"")
                .contains("-H 'Content-Type: application/scim+json'")
                .contains("--data-raw '{").contains("[REDACTED]")
                .doesNotContain(PASSWORD).doesNotContain(workspace.token);
        for (String page : List.of(base + "/requests", base + "/requests?method=POST", base)) {
            assertThat(page(page)).as(page).doesNotContain(PASSWORD).doesNotContain(workspace.token);
        }
    }

    /** A body kept only in part cannot be sent again as it was: the command says so beside it. */
    @Test
    void aCommandWhoseBodyWasCutSaysItCannotBeSentAsItWas() {
        StringBuilder operations = new StringBuilder();
        for (int i = 0; i < 900; i++) {
            operations.append(i == 0 ? "" : ",").append("{\"method\":\"DELETE\",\"path\":\"/Users/")
                    .append(UUID.randomUUID()).append("\"}");
        }
        String bulk = "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:BulkRequest\"],\"Operations\":["
                + operations + "]}";
        assertThat(bulk.length()).isGreaterThan(64 * 1024);
        assertThat(workspace.scim("POST", "/Bulk", bulk, "clog-cut").statusCode()).isEqualTo(200);
        workspace.awaitItems("requestId=clog-cut", 1);
        String cut = page(entryPath("clog-cut"));
        assertThat(unescaped(curlOn(cut))).contains("[cut at 64 KiB: the body had " + bulk.length() + " bytes]");
        assertThat(cut).contains("was cut at 64 KiB when it was logged");
        assertThat(page(entryPath("clog-password"))).doesNotContain("was cut at 64 KiB when it was logged");
    }

    @Test
    void aHostileUserNameInAnEntryStaysText() {
        String entry = page(entryPath("clog-hostile"));
        assertThat(entry).doesNotContain("<script>alert").contains("&lt;script&gt;alert");
        assertThat(unescaped(curlOn(entry))).contains("<script>alert(");
        assertThat(page(base + "/requests")).doesNotContain("<script>alert");
    }

    @Test
    void anEntryOfAnotherWorkspaceOrNoEntryIs404() {
        String path = entryPath("clog-miss");
        String id = path.substring(path.lastIndexOf('/') + 1);
        assertThat(browser.get("/admin/workspaces/default/requests/" + id).statusCode()).isEqualTo(404);
        assertThat(browser.get(base + "/requests/" + UUID.randomUUID()).statusCode()).isEqualTo(404);
        assertThat(browser.get(base + "/requests/not-an-id").statusCode()).isEqualTo(404);
        assertThat(browser.get("/admin/unattributed-requests/" + id).statusCode()).isEqualTo(404);
    }

    @Test
    void aRequestRefusedBeforeAnyWorkspaceIsInTheUnattributedList() {
        String requestId = "clog-refused-" + UUID.randomUUID();
        assertThat(RunningServer.shared().send("GET", workspace.admin.url() + "/api/scim/v2/Users", null,
                Map.of("Authorization", "Bearer not-a-token", "X-Request-Id", requestId)).statusCode()).isEqualTo(401);
        LogWorkspace.await(() -> workspace.admin.send("GET", "/unattributed-requests?requestId=" + requestId, null), 1);
        String list = page("/admin/unattributed-requests?status=401&requestId=" + requestId);
        assertThat(requestIds(list)).containsExactly(requestId);
        assertThat(requestIds(page(base + "/requests"))).doesNotContain(requestId);
        Matcher link = ENTRY_LINK.matcher(list);
        assertThat(link.find()).isTrue();
        assertThat(page(link.group(1))).contains("401").contains(requestId).doesNotContain("not-a-token");
    }

    @Test
    void theOverviewChartsTheDaysRequestsAndCountsThem() {
        JsonNode all = workspace.awaitItems("", 4);
        String overview = page(base);
        assertThat(overview).contains("<strong>" + all.size() + "</strong> requests")
                .contains("<strong>1</strong> client errors (4xx)").contains("<strong>0</strong> server errors (5xx)")
                .contains("<svg viewBox=\"0 0 720 200\" role=\"img\"").contains("<title id=\"rate-chart-title\">")
                .contains("class=\"bar-client-error\"");
    }

    private static String entryPath(String requestId) {
        Matcher link = ENTRY_LINK.matcher(page(base + "/requests?requestId=" + requestId));
        assertThat(link.find()).as("a link to the entry of " + requestId).isTrue();
        return link.group(1);
    }

    private static String curlOn(String page) {
        Matcher curl = CURL.matcher(page);
        assertThat(curl.find()).as("a curl command").isTrue();
        return curl.group(1);
    }

    /** The text a browser shows (and the copy button copies) for jte's escaped HTML. */
    private static String unescaped(String html) {
        return html.replace("&lt;", "<").replace("&gt;", ">").replace("&#34;", "\"").replace("&#39;", "'")
                .replace("&quot;", "\"").replace("&amp;", "&");
    }

    private static List<String> requestIds(String page) {
        List<String> ids = new ArrayList<>();
        Matcher matcher = Pattern.compile("<td><code>([^<]+)</code></td>\\s*</tr>").matcher(page);
        while (matcher.find()) {
            ids.add(matcher.group(1));
        }
        return ids;
    }

    private static String page(String path) {
        HttpResponse<String> response = browser.get(path);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return response.body();
    }
}
