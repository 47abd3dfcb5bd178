package dev.scimserver.app;

import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

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
                .contains("<td>Engineering</td>").contains("<td>admin</td>");
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
