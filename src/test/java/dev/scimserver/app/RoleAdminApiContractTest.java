package dev.scimserver.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /workspaces/{slug}/settings} and {@code /workspaces/{slug}/role-mappings} over HTTP: defaults,
 * round trips, every refusal as a problem that changes nothing, the journal of an administrator's
 * change, and a whole workspace recomputed by one change.
 */
class RoleAdminApiContractTest {
    private final RoleWorkspace w = new RoleWorkspace();

    private HttpResponse<String> get(String what) {
        return w.admin.send("GET", "/workspaces/" + w.slug + "/" + what, null);
    }

    @Test
    void aWorkspaceStartsWithRolesFromTheAttributeAndNoMappings() {
        HttpResponse<String> settings = get("settings");
        assertThat(settings.statusCode()).isEqualTo(200);
        assertThat(settings.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(AdminServer.json(settings).toString()).isEqualTo("{\"roleSource\":\"attribute\"}");
        assertThat(get("role-mappings").body()).isEqualTo("[]");
    }

    @Test
    void settingsAndMappingsAreWhatWasPutAndTheJournalSaysTheAdminChangedThem() {
        HttpResponse<String> put = w.adminPut("role-mappings",
                "[{\"group\":\" tooljet-builders \",\"role\":\"builder\"},{\"group\":\"Ops\",\"role\":\"admin\"}]");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        String stored = "[{\"group\":\"tooljet-builders\",\"role\":\"builder\"},{\"group\":\"Ops\",\"role\":\"admin\"}]";
        assertThat(put.body()).isEqualTo(stored);
        assertThat(get("role-mappings").body()).isEqualTo(stored);
        w.source("highest");
        assertThat(AdminServer.json(get("settings")).path("roleSource").asText()).isEqualTo("highest");
        assertThat(w.query("SELECT array_to_string(changed_attributes, ',') || ' ' || credential || ' ' || request "
                        + "FROM change_journal WHERE resource_type = 'Workspace' AND resource_id = ? "
                        + "AND operation = 'update' ORDER BY id", w.id.toString()))
                .containsExactly("roleMappings admin PUT /api/admin/v1/workspaces/" + w.slug + "/role-mappings",
                        "roleSource admin PUT /api/admin/v1/workspaces/" + w.slug + "/settings");
    }

    @Test
    void aBadSettingOrMappingIs400AndChangesNothing() {
        w.mappings("[{\"group\":\"kept\",\"role\":\"builder\"}]");
        List<String> badMappings = List.of(
                "[{\"group\":\"g\",\"role\":\"owner\"}]",
                "[{\"group\":\"Admin\",\"role\":\"admin\"}]",
                "[{\"group\":\"END-USER\",\"role\":\"builder\"}]",
                "[{\"group\":\"g\",\"role\":\"admin\"},{\"group\":\"G\",\"role\":\"builder\"}]",
                "[{\"group\":\"\",\"role\":\"admin\"}]",
                "[{\"group\":\"a\\u0000b\",\"role\":\"admin\"}]",
                "[{\"group\":\"a\\nb\",\"role\":\"admin\"}]",
                "[{\"group\":\"g\"}]",
                "[{\"group\":\"g\",\"role\":\"admin\",\"extra\":1}]",
                "[{\"group\":1,\"role\":\"admin\"}]",
                "{\"group\":\"g\",\"role\":\"admin\"}",
                "[\"g\"]",
                "[{");
        for (String body : badMappings) {
            JsonNode problem = AdminServer.assertProblem(w.adminPut("role-mappings", body), 400);
            assertThat(problem.path("detail").asText()).as(body).isNotBlank();
        }
        // A refusal of one mapping's input names that input.
        for (String[] refused : new String[][] {{"[{\"group\":\"g\",\"role\":\"owner\"}]", "role"},
                {"[{\"group\":\"Admin\",\"role\":\"admin\"}]", "group"}, {"[{\"group\":\" \",\"role\":\"admin\"}]", "group"},
                {"[{\"group\":\"g\"}]", "role"},
                {"[{\"group\":\"g\",\"role\":\"admin\"},{\"group\":\"G\",\"role\":\"builder\"}]", "group"}}) {
            assertThat(AdminServer.assertProblem(w.adminPut("role-mappings", refused[0]), 400).path("field").asText())
                    .as(refused[0]).isEqualTo(refused[1]);
        }
        for (String body : List.of("{\"roleSource\":\"group\"}", "{\"roleSource\":null}", "{}",
                "{\"roleSource\":\"groups\",\"x\":1}", "[]")) {
            AdminServer.assertProblem(w.adminPut("settings", body), 400);
        }
        assertThat(AdminServer.assertProblem(w.adminPut("settings", "{\"roleSource\":\"group\"}"), 400)
                .path("field").asText()).isEqualTo("roleSource");
        assertThat(get("role-mappings").body()).isEqualTo("[{\"group\":\"kept\",\"role\":\"builder\"}]");
        assertThat(AdminServer.json(get("settings")).path("roleSource").asText()).isEqualTo("attribute");
    }

    /**
     * A client writes back the list it read: the server keeps no list that a GET would write larger than
     * a PUT takes. U+0958 has no composed form, so NFC stores each as two code points: 150 names sent in
     * 58 KB would be 113 KB as stored and read.
     */
    @Test
    void aListIsKeptOnlyIfItFitsInAPutAsAGetWritesIt() {
        w.mappings("[{\"group\":\"kept\",\"role\":\"builder\"}]");
        StringBuilder grown = new StringBuilder("[");
        for (int i = 0; i < 150; i++) {
            grown.append(i == 0 ? "" : ",").append("{\"group\":\"").append(String.format("%03d", i))
                    .append("\u0958".repeat(120)).append("\",\"role\":\"builder\"}");
        }
        String sent = grown.append("]").toString();
        assertThat(sent.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThan(64 * 1024);
        JsonNode problem = AdminServer.assertProblem(w.adminPut("role-mappings", sent), 400);
        assertThat(problem.path("detail").asText()).contains("65536");
        assertThat(get("role-mappings").body()).isEqualTo("[{\"group\":\"kept\",\"role\":\"builder\"}]");
    }

    @Test
    void aPutNamingTheMappingsItReadIsRefusedOnceTheyChangedAndChangesNothing() {
        HttpResponse<String> read = get("role-mappings");
        String empty = read.headers().firstValue("ETag").orElseThrow();
        assertThat(empty).matches("\"[0-9a-f]{32}\"");

        HttpResponse<String> first = putIfMatch("[{\"group\":\"Ops\",\"role\":\"admin\"}]", empty);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        String afterFirst = first.headers().firstValue("ETag").orElseThrow();
        assertThat(afterFirst).isNotEqualTo(empty);
        assertThat(get("role-mappings").headers().firstValue("ETag")).hasValue(afterFirst);

        // A second client that read the empty list too writes it back with its own change: refused.
        JsonNode stale = AdminServer.assertProblem(putIfMatch("[{\"group\":\"Eng\",\"role\":\"builder\"}]", empty),
                412);
        assertThat(stale.path("detail").asText()).contains("changed since they were read");
        // If-Match compares strongly (RFC 9110 section 13.1.1): the weak form of the current tag is no match.
        AdminServer.assertProblem(putIfMatch("[]", "W/" + afterFirst), 412);
        assertThat(get("role-mappings").body()).isEqualTo("[{\"group\":\"Ops\",\"role\":\"admin\"}]");

        // One of several tags, or *, matches; the same list has the same tag whoever wrote it.
        HttpResponse<String> listed = putIfMatch("[{\"group\":\"Eng\",\"role\":\"builder\"}]",
                empty + ", " + afterFirst);
        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
        assertThat(putIfMatch("[{\"group\":\"Ops\",\"role\":\"admin\"}]", "*").headers().firstValue("ETag"))
                .hasValue(afterFirst);
        for (String malformed : List.of("Ops", "\"unterminated", "\"a\", b", "W/", ",", " ")) {
            JsonNode problem = AdminServer.assertProblem(putIfMatch("[]", malformed), 400);
            assertThat(problem.path("field").asText()).as(malformed).isEqualTo("If-Match");
        }
        assertThat(get("role-mappings").body()).isEqualTo("[{\"group\":\"Ops\",\"role\":\"admin\"}]");
    }

    private HttpResponse<String> putIfMatch(String body, String ifMatch) {
        return w.admin.send("PUT", "/workspaces/" + w.slug + "/role-mappings", body,
                Map.of("Authorization", "Bearer " + AdminServer.ADMIN_TOKEN, "If-Match", ifMatch));
    }

    @Test
    void anUnknownWorkspaceIs404() {
        for (String what : List.of("settings", "role-mappings")) {
            AdminServer.assertProblem(w.admin.send("GET", "/workspaces/no-such-workspace/" + what, null), 404);
            AdminServer.assertProblem(w.admin.send("PUT", "/workspaces/no-such-workspace/" + what,
                    what.equals("settings") ? "{\"roleSource\":\"groups\"}" : "[]"), 404);
        }
    }

    @Test
    void oneChangeRecomputesTheWholeWorkspace() {
        String keeper = w.user("keeper", "admin");
        List<String> builders = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String id = w.user("m" + i, i % 3 == 0 ? "admin" : null);
            if (i % 2 == 0) {
                builders.add(id);
            }
        }
        w.group("admins", keeper);
        w.group("builders", builders.toArray(new String[0]));
        w.mappings("[{\"group\":\"admins\",\"role\":\"admin\"},{\"group\":\"builders\",\"role\":\"builder\"}]");
        String count = "SELECT role || ' ' || count(*) FROM workspace_members WHERE workspace_id = ? "
                + "GROUP BY role ORDER BY role";
        assertThat(w.query(count, w.id.toString())).containsExactly("admin 21", "end-user 40");
        w.source("groups");
        assertThat(w.query(count, w.id.toString())).containsExactly("admin 1", "builder 30", "end-user 30");
        w.source("highest");
        assertThat(w.query(count, w.id.toString())).containsExactly("admin 21", "builder 20", "end-user 20");
        w.source("attribute");
        assertThat(w.query(count, w.id.toString())).containsExactly("admin 21", "end-user 40");
    }
}
