package dev.scimserver.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.scimserver.app.AdminServer.assertProblem;
import static dev.scimserver.app.AdminServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The workspace's users and groups through the administration API: what the console's users and
 * groups pages show, so that the console can do nothing the API cannot. Provisioned over SCIM with
 * the workspace's own token, read back with the administrator's.
 */
class AdminDirectoryContractTest {
    private static final String USER = "urn:ietf:params:scim:schemas:core:2.0:User";
    private static final String GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
    private static final String PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    private static final String TOOLJET = "urn:ietf:params:scim:schemas:extension:tooljet:User:2.0";

    private static String create(LogWorkspace workspace, String path, String body) {
        HttpResponse<String> created = workspace.scim("POST", path, body, null);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json(created).path("id").asText();
    }

    private static String user(LogWorkspace workspace, String userName, String role) {
        return create(workspace, "/Users", "{\"schemas\":[\"" + USER + "\",\"" + TOOLJET + "\"],\"userName\":\""
                + userName + "\",\"name\":{\"givenName\":\"Ada\",\"familyName\":\"" + userName + "\"},"
                + "\"emails\":[{\"value\":\"" + userName + "\",\"type\":\"work\",\"primary\":true}],"
                + "\"" + TOOLJET + "\":{\"role\":\"" + role + "\"}}");
    }

    private static JsonNode read(LogWorkspace workspace, String path) {
        HttpResponse<String> answer = workspace.admin.send("GET", "/workspaces/" + workspace.slug + path, null);
        assertThat(answer.statusCode()).as(path + ": " + answer.body()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Cache-Control")).hasValue("no-store");
        return json(answer);
    }

    private static List<String> userNames(JsonNode page) {
        List<String> names = new ArrayList<>();
        page.path("items").forEach(item -> names.add(item.path("userName").asText()));
        return names;
    }

    /**
     * A name pasted from a document holds no-break spaces where the stored one has spaces; an externalId
     * is another system's key, found as typed.
     */
    @Test
    void aPastedNameFindsItsUserAndGroupAndAnExternalIdIsFoundAsTyped() {
        LogWorkspace workspace = new LogWorkspace("directory-pasted");
        create(workspace, "/Users", "{\"schemas\":[\"" + USER + "\"],\"userName\":\"grace@example.com\","
                + "\"displayName\":\"Grace Hopper\",\"externalId\":\"00u1x\u00a0\"}");
        create(workspace, "/Groups", "{\"schemas\":[\"" + GROUP + "\"],\"displayName\":\"Night Shift\"}");
        // And a name an IdP sent with a no-break space inside is found as it is pasted.
        create(workspace, "/Users", "{\"schemas\":[\"" + USER + "\"],\"userName\":\"jean@example.com\","
                + "\"displayName\":\"Jean\u00a0Dupont\"}");
        create(workspace, "/Groups", "{\"schemas\":[\"" + GROUP + "\"],\"displayName\":\"Day\u00a0Shift\"}");
        assertThat(userNames(read(workspace, "/users?q=Jean%C2%A0Dupont"))).containsExactly("jean@example.com");
        assertThat(read(workspace, "/groups?q=Day%C2%A0Shift").path("items").size()).isEqualTo(1);
        assertThat(userNames(read(workspace, "/users?q=Grace%C2%A0Hopper%C2%A0"))).containsExactly("grace@example.com");
        assertThat(userNames(read(workspace, "/users?q=00u1x%C2%A0"))).containsExactly("grace@example.com");
        assertThat(read(workspace, "/groups?q=Night%C2%A0Shift").path("items").get(0).path("displayName").asText())
                .isEqualTo("Night Shift");
    }

    @Test
    void usersAreSearchedFilteredSortedAndPagedAsTheConsoleShowsThem() {
        LogWorkspace workspace = new LogWorkspace("directory-users");
        String ada = user(workspace, "ada@example.com", "builder");
        String bob = user(workspace, "bob@example.com", "end-user");
        user(workspace, "cy@example.com", "admin");
        String engineers = create(workspace, "/Groups", "{\"schemas\":[\"" + GROUP + "\"],\"displayName\":"
                + "\"Engineers\",\"members\":[{\"value\":\"" + ada + "\"},{\"value\":\"" + bob + "\"}]}");
        assertThat(workspace.scim("PATCH", "/Users/" + bob, "{\"schemas\":[\"" + PATCH + "\"],\"Operations\":"
                + "[{\"op\":\"replace\",\"path\":\"active\",\"value\":false}]}", null).statusCode()).isEqualTo(200);

        JsonNode all = read(workspace, "/users");
        assertThat(all.path("totalResults").asInt()).isEqualTo(3);
        assertThat(userNames(all)).containsExactly("ada@example.com", "bob@example.com", "cy@example.com");
        JsonNode first = all.path("items").get(0);
        assertThat(first.path("id").asText()).isEqualTo(ada);
        assertThat(first.path("email").asText()).isEqualTo("ada@example.com");
        assertThat(first.path("role").asText()).isEqualTo("builder");
        assertThat(first.path("status").asText()).isEqualTo("active");
        assertThat(first.path("groups").get(0).path("displayName").asText()).isEqualTo("Engineers");

        assertThat(userNames(read(workspace, "/users?q=BOB"))).containsExactly("bob@example.com");
        // The name as the console shows it without a displayName: given, then family.
        assertThat(userNames(read(workspace, "/users?q=ada%20BOB"))).containsExactly("bob@example.com");
        // One or two characters find what begins with them: "ob" lies inside bob's names, begins none.
        assertThat(userNames(read(workspace, "/users?q=Bo"))).containsExactly("bob@example.com");
        assertThat(userNames(read(workspace, "/users?q=ob"))).isEmpty();
        assertThat(userNames(read(workspace, "/users?q=ada%20B"))).containsExactly("bob@example.com");
        assertThat(userNames(read(workspace, "/users?q=ada%20ob"))).isEmpty();
        // A no-break space, as a name copied from a document holds, parts words and ends a search as a space does.
        assertThat(userNames(read(workspace, "/users?q=ada%C2%A0BOB%E2%80%AF"))).containsExactly("bob@example.com");
        assertThat(userNames(read(workspace, "/users?q=%C2%A0BOB"))).containsExactly("bob@example.com");
        assertThat(read(workspace, "/users?q=%C2%A0").path("totalResults").asInt()).isEqualTo(3);
        assertThat(userNames(read(workspace, "/users?status=archived"))).containsExactly("bob@example.com");
        assertThat(userNames(read(workspace, "/users?role=admin"))).containsExactly("cy@example.com");
        assertThat(userNames(read(workspace, "/users?group=" + engineers.toUpperCase(java.util.Locale.ROOT)
                + "&sort=userName&order=desc"))).containsExactly("bob@example.com", "ada@example.com");

        JsonNode page = read(workspace, "/users?limit=2");
        assertThat(userNames(page)).containsExactly("ada@example.com", "bob@example.com");
        assertThat(page.path("previousCursor").isNull()).isTrue();
        JsonNode next = read(workspace, "/users?limit=2&cursor=" + page.path("nextCursor").asText());
        assertThat(userNames(next)).containsExactly("cy@example.com");
        assertThat(next.path("nextCursor").isNull()).isTrue();
        assertThat(userNames(read(workspace, "/users?limit=2&cursor=" + next.path("previousCursor").asText())))
                .containsExactly("ada@example.com", "bob@example.com");
    }

    /**
     * A search's cursor page walks a few rows of the order for each it shows, and finds the page through
     * the search's indexes when those do not hold it: both give the same pages, forward and back, in
     * either direction. Here the first two matches begin the order (a walk finds them), and the others
     * stand after 45 members that do not match, more than a page of one walks.
     */
    @Test
    void aSearchPagesTheSameWhetherItsMatchesAreNearOrFarAlongTheOrder() {
        LogWorkspace workspace = new LogWorkspace("directory-far");
        for (String userName : List.of("aa-kwame@example.com", "aa-kwabena@example.com")) {
            create(workspace, "/Users", "{\"schemas\":[\"" + USER + "\"],\"userName\":\"" + userName + "\","
                    + "\"name\":{\"givenName\":\"" + userName.substring(3, 8) + "\",\"familyName\":\"Mensah\"}}");
        }
        for (int i = 0; i < 45; i++) {
            user(workspace, String.format("ab%02d@example.com", i), "end-user");
        }
        create(workspace, "/Users", "{\"schemas\":[\"" + USER + "\"],\"userName\":\"kw-userName@example.com\"}");
        create(workspace, "/Users", "{\"schemas\":[\"" + USER + "\"],\"userName\":\"zz-email@example.com\","
                + "\"emails\":[{\"value\":\"other@example.com\"},{\"value\":\"KW@mail.example\"}]}");
        List<String> matches = List.of("aa-kwabena@example.com", "aa-kwame@example.com", "kw-userName@example.com",
                "zz-email@example.com");

        for (String order : List.of("asc", "desc")) {
            List<String> expected = new ArrayList<>(matches);
            if (order.equals("desc")) {
                java.util.Collections.reverse(expected);
            }
            List<String> forward = new ArrayList<>();
            List<String> cursors = new ArrayList<>();
            String path = "/users?q=kw&sort=userName&order=" + order + "&limit=1";
            JsonNode page = read(workspace, path);
            assertThat(page.path("totalResults").asInt()).isEqualTo(4);
            while (true) {
                forward.addAll(userNames(page));
                if (page.path("nextCursor").isNull()) {
                    break;
                }
                cursors.add(page.path("nextCursor").asText());
                page = read(workspace, path + "&cursor=" + cursors.get(cursors.size() - 1));
            }
            assertThat(forward).as(order).isEqualTo(expected);
            List<String> backward = new ArrayList<>(userNames(page));
            while (!page.path("previousCursor").isNull()) {
                page = read(workspace, path + "&cursor=" + page.path("previousCursor").asText());
                backward.addAll(0, userNames(page));
            }
            assertThat(backward).as(order + ", back").isEqualTo(expected);
        }
    }

    @Test
    void aUserIsReadWithItsAttributesAndItsHistoryAndAGroupWithItsMembers() {
        LogWorkspace workspace = new LogWorkspace("directory-one");
        String ada = user(workspace, "ada@example.com", "builder");
        String requestId = "directory-" + UUID.randomUUID();
        assertThat(workspace.scim("PATCH", "/Users/" + ada, "{\"schemas\":[\"" + PATCH + "\"],\"Operations\":"
                + "[{\"op\":\"replace\",\"path\":\"title\",\"value\":\"Engineer\"}]}", requestId).statusCode())
                .isEqualTo(200);
        String group = create(workspace, "/Groups", "{\"schemas\":[\"" + GROUP + "\"],\"displayName\":\"Pilots\","
                + "\"externalId\":\"ext-pilots\",\"members\":[{\"value\":\"" + ada + "\"}]}");

        JsonNode user = read(workspace, "/users/" + ada);
        assertThat(user.path("userName").asText()).isEqualTo("ada@example.com");
        assertThat(user.path("attributes").path("title").asText()).isEqualTo("Engineer");
        assertThat(user.path("attributes").path("name").path("givenName").asText()).isEqualTo("Ada");
        assertThat(user.path("olderChanges").asBoolean()).isFalse();
        JsonNode newest = user.path("history").get(0);
        assertThat(newest.path("requestId").asText()).isEqualTo(requestId);
        assertThat(newest.path("credential").asText()).isEqualTo("api-token:" + workspace.tokenName);
        assertThat(newest.path("changedAttributes").toString()).contains("title");
        assertThat(user.path("history").size()).isGreaterThanOrEqualTo(2);

        JsonNode groups = read(workspace, "/groups?q=pil");
        assertThat(groups.path("totalResults").asInt()).isEqualTo(1);
        assertThat(groups.path("items").get(0).path("members").asInt()).isEqualTo(1);
        JsonNode one = read(workspace, "/groups/" + group);
        assertThat(one.path("displayName").asText()).isEqualTo("Pilots");
        assertThat(one.path("externalId").asText()).isEqualTo("ext-pilots");
        assertThat(one.path("members").asInt()).isEqualTo(1);
        assertThat(userNames(read(workspace, "/groups/" + group + "/members"))).containsExactly("ada@example.com");
    }

    @Test
    void whatNoSearchOffersIsRefusedNamingTheParameterAndWhatIsNotHereIs404() {
        LogWorkspace workspace = new LogWorkspace("directory-refusals");
        LogWorkspace other = new LogWorkspace("directory-other");
        String elsewhere = user(other, "elsewhere@example.com", "end-user");
        Map<String, String> refused = new java.util.HashMap<>(Map.of("/users?colour=blue", "colour",
                "/users?limit=0", "limit", "/users?limit=201", "limit", "/users?order=up", "order", "/users?q=a&q=b", "q",
                "/groups?role=admin", "role", "/groups/" + UUID.randomUUID() + "/members?q=x", "q"));
        refused.putAll(Map.of("/users?sort=title", "sort", "/users?status=invited", "status", "/users?role=owner", "role",
                "/users?group=not-an-id", "group", "/users?q=" + "x".repeat(257), "q", "/groups?q=" + "x".repeat(257), "q"));
        for (Map.Entry<String, String> query : refused.entrySet()) {
            JsonNode problem = assertProblem(workspace.admin.send("GET", "/workspaces/" + workspace.slug
                    + query.getKey(), null), 400);
            assertThat(problem.path("field").asText()).as(query.getKey()).isEqualTo(query.getValue());
        }
        for (String query : new String[] {"/users?cursor=not-a-cursor", "/groups?cursor=not-a-cursor"}) {
            JsonNode problem = assertProblem(workspace.admin.send("GET", "/workspaces/" + workspace.slug + query,
                    null), 400);
            assertThat(problem.path("detail").asText()).as(query).isNotBlank();
        }
        for (String path : new String[] {"/users/" + elsewhere, "/users/" + UUID.randomUUID(), "/users/x",
                "/groups/" + UUID.randomUUID(), "/groups/" + UUID.randomUUID() + "/members"}) {
            assertProblem(workspace.admin.send("GET", "/workspaces/" + workspace.slug + path, null), 404);
        }
        assertProblem(workspace.admin.send("GET", "/workspaces/no-such-workspace-here/users", null), 404);
        HttpResponse<String> anonymous = RunningServer.shared().send("GET", workspace.admin.url()
                + "/api/admin/v1/workspaces/" + workspace.slug + "/users", null, Map.of());
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }
}
