package dev.scimserver.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's directory pages over real HTTP: the users list pages by cursor, its filters by role,
 * status and group narrow it as the directory's search does, and a group's members page the same way.
 */
class ConsoleDirectoryPagesContractTest {
    private static final AdminServer ADMIN = AdminServer.shared();
    private static final Pattern USER_LINK = Pattern.compile("href=\"/admin/workspaces/[a-z0-9-]+/users/([0-9a-f-]{36})\"");
    private static final Pattern NEXT = Pattern.compile("href=\"([^\"]+)\" rel=\"next\"");
    private static final Pattern PREVIOUS = Pattern.compile("href=\"([^\"]+)\" rel=\"prev\"");
    private static String base;
    private static String token;
    private static String groupId;
    private static ConsoleClient browser;

    @BeforeAll
    static void sixtyUsersThreeAdminsTwoArchivedAndAGroupOfFiftyFive() {
        String slug = "console-pages-" + UUID.randomUUID().toString().substring(0, 8);
        base = "/admin/workspaces/" + slug;
        assertThat(ADMIN.send("POST", "/workspaces", "{\"slug\":\"" + slug + "\",\"name\":\"Pages\"}").statusCode())
                .isEqualTo(201);
        token = AdminServer.json(ADMIN.send("POST", "/workspaces/" + slug + "/credentials", "{\"name\":\"idp\"}"))
                .path("token").asText();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String role = i < 3 ? "admin" : "end-user";
            HttpResponse<String> created = scim("POST", "/Users", "{\"userName\":\"user" + (100 + i)
                    + "@example.com\",\"active\":" + (i < 58) + ",\"urn:ietf:params:scim:schemas:extension:tooljet:"
                    + "User:2.0\":{\"role\":\"" + role + "\"}}");
            assertThat(created.statusCode()).isEqualTo(201);
            ids.add(AdminServer.json(created).path("id").asText());
        }
        StringBuilder members = new StringBuilder();
        for (String id : ids.subList(0, 55)) {
            members.append(members.length() == 0 ? "" : ",").append("{\"value\":\"").append(id).append("\"}");
        }
        JsonNode group = AdminServer.json(scim("POST", "/Groups", "{\"displayName\":\"Most\",\"members\":[" + members
                + "]}"));
        groupId = group.path("id").asText();
        browser = new ConsoleClient(ADMIN.url());
        browser.signIn(AdminServer.ADMIN_TOKEN);
    }

    private static HttpResponse<String> scim(String method, String path, String body) {
        return RunningServer.shared().send(method, ADMIN.url() + "/api/scim/v2" + path, body,
                Map.of("Authorization", "Bearer " + token));
    }

    @Test
    void theUsersPageByCursorWithoutLosingOrRepeatingAnyone() {
        String first = page(base + "/users");
        assertThat(first).contains("<strong>60</strong> users match");
        Set<String> seen = new LinkedHashSet<>(users(first));
        assertThat(seen).hasSize(50);
        assertThat(PREVIOUS.matcher(first).find()).isFalse();
        String second = page(link(NEXT, first));
        assertThat(users(second)).hasSize(10).doesNotContainAnyElementsOf(seen);
        assertThat(NEXT.matcher(second).find()).isFalse();
        assertThat(users(page(link(PREVIOUS, second)))).containsExactlyElementsOf(seen);
    }

    @Test
    void theFiltersNarrowTheList() {
        assertThat(page(base + "/users?role=admin")).contains("<strong>3</strong> users match");
        // Sent in another case, the choice is still shown as the one the list is filtered by: the form's
        // next change sends it again rather than dropping it.
        assertThat(page(base + "/users?role=ADMIN")).contains("<strong>3</strong> users match",
                "<option value=\"admin\" selected>admin</option>");
        assertThat(page(base + "/users?status=archived")).contains("<strong>2</strong> users match");
        assertThat(page(base + "/users?group=" + groupId)).contains("<strong>55</strong> users match");
        assertThat(page(base + "/users?q=user101")).contains("<strong>1</strong> user matches");
        assertThat(users(page(base + "/users?sort=userName&order=desc")).get(0))
                .isEqualTo(users(page(base + "/users?q=user159")).get(0));
    }

    @Test
    void aGroupShowsItsMemberCountAndPagesItsMembers() {
        assertThat(page(base + "/groups")).contains("<td class=\"num\">55</td>");
        assertThat(page(base + "/groups?q=Most")).contains("<strong>1</strong> group matches");
        assertThat(page(base + "/groups?q=no-such-group")).contains("<strong>0</strong> groups match");
        String first = page(base + "/groups/" + groupId);
        assertThat(users(first)).hasSize(50);
        assertThat(users(page(link(NEXT, first)))).hasSize(5).doesNotContainAnyElementsOf(users(first));
    }

    @Test
    void theListAndTheUserShowTheEmailThePersonSignsInWith() {
        String primary = created("{\"userName\":\"signs-in\",\"emails\":[{\"value\":\"other@mail.example.com\"},"
                + "{\"value\":\"Signs.In@Mail.Example.com\",\"primary\":true}]}");
        // With no emails the person signs in with the userName, which the member's emails do not hold.
        String byUserName = created("{\"userName\":\"signs-in-by-name@mail.example.com\"}");
        String none = created("{\"userName\":\"signs-in-nowhere\"}");
        try {
            String rows = page(base + "/users?q=signs-in");
            assertThat(users(rows)).containsExactlyInAnyOrder(primary, byUserName, none);
            assertThat(rows).contains("<td>Signs.In@Mail.Example.com</td>")
                    .contains("<td>signs-in-by-name@mail.example.com</td>").doesNotContain("other@mail.example.com");
            assertThat(page(base + "/users/" + primary)).contains("<dt>Email</dt><dd>Signs.In@Mail.Example.com</dd>");
            assertThat(page(base + "/users/" + none)).contains("<dt>Email</dt><dd></dd>");
        } finally {
            for (String id : List.of(primary, byUserName, none)) {
                scim("DELETE", "/Users/" + id, null);
            }
        }
    }

    /**
     * ToolJet's users carry {@code name.givenName} and {@code name.familyName} and often no
     * displayName (Entra sends {@code name} alone by default): the console names them all the same,
     * from the formatted name first, in the list, on the user's page and among a group's members.
     */
    @Test
    void aUserWithoutADisplayNameIsNamedFromItsName() {
        String parts = created("{\"userName\":\"named-by-parts\",\"name\":{\"givenName\":\"Jane\","
                + "\"familyName\":\"Young\"}}");
        String formatted = created("{\"userName\":\"named-formatted\",\"name\":{\"formatted\":\"Dr. Jo Lee\","
                + "\"givenName\":\"Jo\",\"familyName\":\"Lee\"}}");
        String family = created("{\"userName\":\"named-by-family\",\"name\":{\"familyName\":\"Okafor\"}}");
        String shown = created("{\"userName\":\"named-shown\",\"displayName\":\"Shown Name\","
                + "\"name\":{\"givenName\":\"Not\",\"familyName\":\"This\"}}");
        // A displayName of spaces names no one: the name's parts do.
        String blank = created("{\"userName\":\"named-blank\",\"displayName\":\"   \","
                + "\"name\":{\"givenName\":\"Real\",\"familyName\":\"Person\"}}");
        String group = AdminServer.json(scim("POST", "/Groups", "{\"displayName\":\"Named by parts\","
                + "\"members\":[{\"value\":\"" + parts + "\"}]}")).path("id").asText();
        try {
            String rows = page(base + "/users?q=named-");
            assertThat(rows).contains("<td>Jane Young</td>", "<td>Dr. Jo Lee</td>", "<td>Okafor</td>",
                    "<td>Shown Name</td>", "<td>Real Person</td>").doesNotContain("Not This");
            assertThat(page(base + "/users/" + parts)).contains("<dt>Name</dt><dd>Jane Young</dd>");
            assertThat(page(base + "/groups/" + group)).contains("<td>Jane Young</td>");
        } finally {
            scim("DELETE", "/Groups/" + group, null);
            for (String id : List.of(parts, formatted, family, shown, blank)) {
                scim("DELETE", "/Users/" + id, null);
            }
        }
    }

    /**
     * A person is found by any part of its name, in any case, as by its displayName: ToolJet's users
     * often have no displayName, and an operator looks for "Okafor", not for a userName.
     */
    @Test
    void aUserIsFoundByAnyPartOfItsName() {
        String given = created("{\"userName\":\"found-given\",\"name\":{\"givenName\":\"Marisol\","
                + "\"familyName\":\"Quent\"}}");
        String middle = created("{\"userName\":\"found-middle\",\"name\":{\"givenName\":\"Ann\","
                + "\"middleName\":\"Wren\",\"familyName\":\"Pike\"}}");
        String formatted = created("{\"userName\":\"found-formatted\",\"name\":{\"formatted\":\"Dr. Ilse Varga\"}}");
        try {
            assertThat(page(base + "/users?q=marisol")).contains("found-given").doesNotContain("found-middle");
            assertThat(page(base + "/users?q=QUEN")).contains("found-given").doesNotContain("found-formatted");
            assertThat(page(base + "/users?q=wren")).contains("found-middle").doesNotContain("found-given");
            assertThat(page(base + "/users?q=dr.%20ilse")).contains("found-formatted");
            assertThat(page(base + "/users?q=%E2%80%AFmarisol%C2%A0quent%C2%A0")).contains("found-given");
            assertThat(page(base + "/users?q=solquent")).doesNotContain("found-given");
            // The names share an index, not a meaning: a filter on one part finds that part only.
            assertThat(filtered("displayName co \"marisol\"")).contains("\"totalResults\":0");
            assertThat(filtered("name.familyName sw \"wren\"")).contains("\"totalResults\":0");
            assertThat(filtered("name.givenName co \"RISO\"")).contains("\"totalResults\":1", "found-given");
        } finally {
            for (String id : List.of(given, middle, formatted)) {
                scim("DELETE", "/Users/" + id, null);
            }
        }
    }

    /** A search for text no name can hold is refused, not trimmed into no search at all. */
    @Test
    void aSearchForANulIsRefusedRatherThanListingEveryone() {
        HttpResponse<String> refused = browser.get(base + "/users?q=%00");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).doesNotContain("user100@example.com");
        // Bytes that are no UTF-8 (a surrogate's encoding, an overlong NUL) were read as U+FFFD and searched for.
        for (String notUtf8 : new String[] {"%ED%A0%80", "%C0%80"}) {
            HttpResponse<String> unreadable = browser.get(base + "/users?q=" + notUtf8);
            assertThat(unreadable.statusCode()).as(notUtf8).isEqualTo(400);
            assertThat(unreadable.body()).contains("not UTF-8");
        }
        assertThat(browser.get(base + "/users?q=%C3%A9").statusCode()).isEqualTo(200);
    }

    /**
     * A search longer than its field takes (typed into the address) is refused in the operator's own
     * words: the filter the console builds from it is no business of theirs.
     */
    @Test
    void aSearchLongerThanItsFieldIsRefusedAsSuch() {
        int maxLength = 256;
        assertThat(page(base + "/users")).contains("maxlength=\"" + maxLength + "\"");
        String longest = "x".repeat(maxLength);
        assertThat(browser.get(base + "/users?q=" + longest).statusCode()).isEqualTo(200);
        assertThat(browser.get(base + "/groups?q=" + longest).statusCode()).isEqualTo(200);
        for (String list : List.of("/users", "/groups")) {
            HttpResponse<String> refused = browser.get(base + list + "?q=" + longest + "x");
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.body()).contains("A search is at most " + maxLength + " characters.")
                    .doesNotContain("filter");
        }
    }

    /** The console reads a list's query as the administration API does: characters counted, choices checked. */
    @Test
    void aListsQueryIsReadAsTheApiReadsIt() {
        String emoji = java.net.URLEncoder.encode("\uD83D\uDE00".repeat(200), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(browser.get(base + "/users?q=" + emoji).statusCode()).isEqualTo(200);
        assertThat(browser.get(base + "/groups?q=" + emoji).statusCode()).isEqualTo(200);
        for (String query : List.of("order=DESC", "order=bogus", "sort=bogus", "sort=name.familyName")) {
            HttpResponse<String> refused = browser.get(base + "/users?" + query);
            assertThat(refused.statusCode()).as(query).isEqualTo(400);
            assertThat(refused.body()).as(query).containsAnyOf("order must be asc or desc", "sort must be one of");
        }
        assertThat(browser.get(base + "/users?order=asc&sort=meta.created").statusCode()).isEqualTo(200);
    }

    /**
     * The group filter offers the first groups by name; one past them that the list is filtered by
     * is offered too and shown as chosen, never as "any" over a filtered list.
     */
    @Test
    void theGroupTheListIsFilteredByIsShownAsChosenWhereverItSorts() {
        String slug = "console-choices-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(ADMIN.send("POST", "/workspaces", "{\"slug\":\"" + slug + "\",\"name\":\"Choices\"}").statusCode())
                .isEqualTo(201);
        Map<String, String> bearer = Map.of("Authorization", "Bearer " + AdminServer.json(ADMIN.send("POST",
                "/workspaces/" + slug + "/credentials", "{\"name\":\"idp\"}")).path("token").asText());
        String scim = ADMIN.url() + "/api/scim/v2";
        for (int i = 0; i < 200; i++) {
            assertThat(RunningServer.shared().send("POST", scim + "/Groups", "{\"displayName\":\"A filler " + (1000 + i)
                    + "\"}", bearer).statusCode()).isEqualTo(201);
        }
        String user = AdminServer.json(RunningServer.shared().send("POST", scim + "/Users",
                "{\"userName\":\"zed@example.com\"}", bearer)).path("id").asText();
        String zed = AdminServer.json(RunningServer.shared().send("POST", scim + "/Groups",
                "{\"displayName\":\"Zed\",\"members\":[{\"value\":\"" + user + "\"}]}", bearer)).path("id").asText();
        String users = "/admin/workspaces/" + slug + "/users";
        assertThat(page(users + "?group=" + zed)).contains("<strong>1</strong> user matches")
                .contains("<option value=\"" + zed + "\" selected>Zed</option>");
        assertThat(page(users + "?group=" + zed.toUpperCase(Locale.ROOT)))
                .containsOnlyOnce("<option value=\"" + zed + "\" selected>Zed</option>");
        assertThat(page(users)).doesNotContain("<option value=\"" + zed + "\"");
    }

    /** The user's page shows the newest changes, and says so when the journal holds older ones. */
    @Test
    void aLongHistoryIsCutAtItsNewestChangesWithANote() {
        String id = created("{\"userName\":\"often-changed\"}");
        try {
            assertThat(page(base + "/users/" + id)).doesNotContain("the change journal keeps older ones");
            for (int i = 0; i < 100; i++) {
                assertThat(scim("PATCH", "/Users/" + id, "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                        + "\"Operations\":[{\"op\":\"replace\",\"path\":\"title\",\"value\":\"t" + i + "\"}]}")
                        .statusCode()).isEqualTo(200);
            }
            assertThat(page(base + "/users/" + id)).contains("The newest 100 changes are shown; the change journal "
                    + "keeps older ones.");
        } finally {
            scim("DELETE", "/Users/" + id, null);
        }
    }

    /** The SCIM list of the users {@code filter} finds. */
    private static String filtered(String filter) {
        return scim("GET", "/Users?filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8), null).body();
    }

    private static String created(String body) {
        HttpResponse<String> created = scim("POST", "/Users", body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return AdminServer.json(created).path("id").asText();
    }

    @Test
    void aCursorOfAnotherListIsRefusedAsThePagesOwnMistake() {
        String next = link(NEXT, page(base + "/users"));
        String cursor = next.substring(next.indexOf("cursor="));
        assertThat(browser.get(base + "/users?role=admin&" + cursor).statusCode()).isEqualTo(400);
        assertThat(browser.get(base + "/users?role=superuser").statusCode()).isEqualTo(400);
        assertThat(browser.get(base + "/users/not-an-id").statusCode()).isEqualTo(404);
    }

    private static String page(String path) {
        HttpResponse<String> response = browser.get(path);
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }

    private static List<String> users(String page) {
        List<String> ids = new ArrayList<>();
        Matcher matcher = USER_LINK.matcher(page);
        while (matcher.find()) {
            ids.add(matcher.group(1));
        }
        return ids;
    }

    private static String link(Pattern which, String page) {
        Matcher matcher = which.matcher(page);
        assertThat(matcher.find()).as("a link " + which).isTrue();
        return matcher.group(1).replace("&amp;", "&");
    }
}
