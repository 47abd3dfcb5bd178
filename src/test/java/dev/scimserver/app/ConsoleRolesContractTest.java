package dev.scimserver.app;

import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's role settings over real HTTP: the role source and the groups mapped to roles are
 * shown and changed through the same rules as the admin API's, and what those rules refuse (an
 * unknown role, a role's own name as a group, the last admin's demotion) is shown at the form,
 * with nothing changed.
 */
class ConsoleRolesContractTest {
    @Test
    void theSourceAndTheMappingsAreShownAndChanged() {
        RoleWorkspace workspace = new RoleWorkspace();
        String adminId = workspace.user("ada", "admin");
        workspace.group("Engineering", adminId);
        ConsoleClient browser = signedIn(workspace);
        String settings = settings(browser, workspace);
        assertThat(settings).contains("<option value=\"attribute\" selected>attribute</option>")
                .contains("No group is mapped to a role.");

        assertThat(post(browser, workspace, "/role-mappings", Map.of("group", "Engineering", "role", "admin"))
                .statusCode()).isEqualTo(303);
        assertThat(post(browser, workspace, "/role-source", Map.of("roleSource", "groups")).statusCode())
                .isEqualTo(303);
        settings = settings(browser, workspace);
        assertThat(settings).contains("<option value=\"groups\" selected>groups</option>")
                .contains("<td>Engineering</td>").contains("<td class=\"nowrap\">admin</td>");
        assertThat(workspace.admin.send("GET", "/workspaces/" + workspace.slug + "/role-mappings", null).body())
                .contains("\"group\":\"Engineering\"").contains("\"role\":\"admin\"");

        assertThat(post(browser, workspace, "/role-source", Map.of("roleSource", "attribute")).statusCode())
                .isEqualTo(303);
        assertThat(post(browser, workspace, "/role-mappings/remove", Map.of("group", "Engineering")).statusCode())
                .isEqualTo(303);
        assertThat(settings(browser, workspace)).contains("No group is mapped to a role.");
    }

    @Test
    void whatTheRulesRefuseIsShownAtTheFormAndNothingChanges() {
        RoleWorkspace workspace = new RoleWorkspace();
        workspace.user("ada", "admin");
        ConsoleClient browser = signedIn(workspace);

        refused(browser, workspace, "/role-mappings", Map.of("group", "Engineering", "role", "superuser"),
                "superuser");
        refused(browser, workspace, "/role-mappings", Map.of("group", "admin", "role", "admin"),
                "is the name of a role");
        refused(browser, workspace, "/role-source", Map.of("roleSource", "everything"), "roleSource must be one of");
        // Groups as the source with no mapping would make the only admin an end-user.
        refused(browser, workspace, "/role-source", Map.of("roleSource", "groups"), "at least one active admin");
        assertThat(settings(browser, workspace)).contains("<option value=\"attribute\" selected>attribute</option>")
                .contains("No group is mapped to a role.");

        String hostile = "<b>bold</b>";
        assertThat(post(browser, workspace, "/role-mappings", Map.of("group", hostile, "role", "builder"))
                .statusCode()).isEqualTo(303);
        assertThat(settings(browser, workspace)).doesNotContain(hostile).contains("&lt;b&gt;bold&lt;/b&gt;");
    }

    @Test
    void editsMadeAtOnceFromOnePageStateAreAllKept() throws Exception {
        RoleWorkspace workspace = new RoleWorkspace();
        workspace.mappings("[{\"group\":\"Old\",\"role\":\"builder\"}]");
        int editors = 16;
        List<ConsoleClient> browsers = new ArrayList<>();
        for (int i = 0; i < editors; i++) {
            ConsoleClient browser = signedIn(workspace);
            assertThat(settings(browser, workspace)).contains("<td>Old</td>");
            browsers.add(browser);
        }
        // Every editor saw the same page; each adds a group of their own, and the last removes Old.
        List<Callable<HttpResponse<String>>> edits = new ArrayList<>();
        for (int i = 0; i < editors; i++) {
            ConsoleClient browser = browsers.get(i);
            Map<String, String> form = new HashMap<>(i == editors - 1 ? Map.of("group", "Old")
                    : Map.of("group", "Team " + i, "role", "builder"));
            form.put("csrf", browser.csrf());
            String path = "/admin/workspaces/" + workspace.slug + (i == editors - 1 ? "/role-mappings/remove"
                    : "/role-mappings");
            edits.add(() -> browser.post(path, form));
        }
        ExecutorService pool = Executors.newFixedThreadPool(editors);
        try {
            for (Future<HttpResponse<String>> edit : pool.invokeAll(edits)) {
                assertThat(edit.get().statusCode()).as(edit.get().body()).isEqualTo(303);
            }
        } finally {
            pool.shutdownNow();
        }
        String mappings = workspace.admin.send("GET", "/workspaces/" + workspace.slug + "/role-mappings", null)
                .body();
        for (int i = 0; i < editors - 1; i++) {
            assertThat(mappings).as("Team " + i).contains("\"group\":\"Team " + i + "\"");
        }
        assertThat(mappings).doesNotContain("\"Old\"");
    }

    @Test
    void aGroupAlreadyMappedIsRefusedAtTheFormNotMappedTwice() {
        RoleWorkspace workspace = new RoleWorkspace();
        ConsoleClient browser = signedIn(workspace);
        assertThat(post(browser, workspace, "/role-mappings", Map.of("group", "Engineering", "role", "builder"))
                .statusCode()).isEqualTo(303);
        refused(browser, workspace, "/role-mappings", Map.of("group", "engineering", "role", "admin"),
                "is mapped more than once");
        assertThat(workspace.admin.send("GET", "/workspaces/" + workspace.slug + "/role-mappings", null).body())
                .contains("\"role\":\"builder\"").doesNotContain("\"role\":\"admin\"");
    }

    @Test
    void removingAMappingFindsItsGroupInAnyCaseAndSaysWhenNoneIsLeftToRemove() {
        RoleWorkspace workspace = new RoleWorkspace();
        ConsoleClient browser = signedIn(workspace);
        assertThat(post(browser, workspace, "/role-mappings", Map.of("group", "Engineering", "role", "builder"))
                .statusCode()).isEqualTo(303);
        // A page read before the CLI respelled the mapping still removes it, as the group's name is one in any case.
        assertThat(post(browser, workspace, "/role-mappings/remove", Map.of("group", " ENGINEERING "))
                .statusCode()).isEqualTo(303);
        assertThat(settings(browser, workspace)).contains("No group is mapped to a role.");
        refused(browser, workspace, "/role-mappings/remove", Map.of("group", "Engineering"),
                "no mapping of the group 'Engineering'");
        refused(browser, workspace, "/role-mappings/remove", Map.of(), "no mapping of the group ''");
    }

    private static void refused(ConsoleClient browser, RoleWorkspace workspace, String form, Map<String, String> fields,
                                String reason) {
        HttpResponse<String> answer = post(browser, workspace, form, fields);
        assertThat(answer.statusCode()).as(form + " " + fields).isEqualTo(400);
        assertThat(answer.body()).as(form + " " + fields)
                .contains("class=\"problem\" role=\"alert\">Nothing was changed: ").contains(reason)
                .contains("<h2 id=\"roles-title\">Roles</h2>");
    }

    private static ConsoleClient signedIn(RoleWorkspace workspace) {
        ConsoleClient browser = new ConsoleClient(workspace.admin.url());
        assertThat(browser.signIn(AdminServer.ADMIN_TOKEN).statusCode()).isEqualTo(303);
        return browser;
    }

    private static String settings(ConsoleClient browser, RoleWorkspace workspace) {
        HttpResponse<String> page = browser.get("/admin/workspaces/" + workspace.slug + "/settings");
        assertThat(page.statusCode()).isEqualTo(200);
        return page.body();
    }

    private static HttpResponse<String> post(ConsoleClient browser, RoleWorkspace workspace, String form,
                                             Map<String, String> fields) {
        browser.get("/admin/workspaces/" + workspace.slug + "/settings");
        Map<String, String> withCsrf = new java.util.HashMap<>(fields);
        withCsrf.put("csrf", browser.csrf());
        return browser.post("/admin/workspaces/" + workspace.slug + form, withCsrf);
    }
}
