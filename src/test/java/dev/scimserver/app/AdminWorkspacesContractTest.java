package dev.scimserver.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.UUID;

import static dev.scimserver.app.AdminServer.assertNoContent;
import static dev.scimserver.app.AdminServer.assertProblem;
import static dev.scimserver.app.AdminServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code /api/admin/v1/workspaces}: the life of a workspace over real HTTP, and every input it refuses. */
class AdminWorkspacesContractTest {
    private final AdminServer admin = AdminServer.shared();

    static String uniqueSlug(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static JsonNode createWorkspace(AdminServer admin, String slug) {
        HttpResponse<String> created = admin.send("POST", "/workspaces",
                "{\"name\":\"Workspace " + slug + "\",\"slug\":\"" + slug + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json(created);
    }

    /** RFC 8259 §8.1, as at the SCIM endpoints: an overlong form is no UTF-8, and is not read as another character. */
    @Test
    void aBodyThatIsNotUtf8Is400() {
        String slug = uniqueSlug("bad-utf8");
        String body = "{\"name\":\"A\u00c0\u00afB\",\"slug\":\"" + slug + "\"}";
        String answer = RawHttp.exchange(admin.port(), "POST /api/admin/v1/workspaces HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + AdminServer.ADMIN_TOKEN + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body);
        assertThat(answer).startsWith("HTTP/1.1 400").contains("not UTF-8");
        assertProblem(admin.send("GET", "/workspaces/" + slug, null), 404);
    }

    @Test
    void aWorkspaceIsCreatedReadRenamedAndDeleted() {
        String slug = uniqueSlug("acme");
        HttpResponse<String> created = admin.send("POST", "/workspaces", "{\"name\":\"Acme\",\"slug\":\"" + slug + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/json"));
        assertThat(created.headers().firstValue("Location")).hasValue("/api/admin/v1/workspaces/" + slug);
        assertThat(created.headers().firstValue("X-Request-Id")).isPresent();
        JsonNode workspace = json(created);
        assertThat(workspace.path("id").asText()).matches("[0-9a-f-]{36}");
        assertThat(workspace.path("name").asText()).isEqualTo("Acme");
        assertThat(workspace.path("slug").asText()).isEqualTo(slug);
        assertThat(workspace.path("default").asBoolean()).isFalse();

        HttpResponse<String> read = admin.send("GET", "/workspaces/" + slug, null);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(json(read).path("id").asText()).isEqualTo(workspace.path("id").asText());
        assertThat(json(read).path("createdAt")).as("the answer shows what is stored").isEqualTo(workspace.path("createdAt"));
        JsonNode list = json(admin.send("GET", "/workspaces", null)).path("items");
        assertThat(list.get(0).path("slug").asText()).as("the Default Workspace first").isEqualTo("default");
        assertThat(list.get(0).path("default").asBoolean()).isTrue();
        assertThat(list.findValuesAsText("slug")).contains(slug);

        String renamed = uniqueSlug("acme-corp");
        HttpResponse<String> patched = admin.send("PATCH", "/workspaces/" + slug,
                "{\"name\":\"Acme Corporation\",\"slug\":\"" + renamed + "\"}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(json(patched).path("name").asText()).isEqualTo("Acme Corporation");
        assertThat(json(patched).path("slug").asText()).isEqualTo(renamed);
        assertProblem(admin.send("GET", "/workspaces/" + slug, null), 404);
        assertThat(json(admin.send("GET", "/workspaces/" + renamed, null)).path("id").asText())
                .isEqualTo(workspace.path("id").asText());

        assertNoContent(admin.send("DELETE", "/workspaces/" + renamed, null));
        assertProblem(admin.send("GET", "/workspaces/" + renamed, null), 404);
        assertProblem(admin.send("DELETE", "/workspaces/" + renamed, null), 404);
    }

    @Test
    void theDefaultWorkspaceKeepsItsSlugAndCannotBeDeleted() {
        JsonNode workspace = json(admin.send("GET", "/workspaces/default", null));
        assertThat(workspace.path("default").asBoolean()).isTrue();
        assertThat(assertProblem(admin.send("DELETE", "/workspaces/default", null), 409).path("detail").asText())
                .contains("Default Workspace cannot be deleted");
        assertThat(assertProblem(admin.send("PATCH", "/workspaces/default", "{\"slug\":\"main\"}"), 409)
                .path("detail").asText()).contains("keeps the slug 'default'");
        String name = workspace.path("name").asText();
        HttpResponse<String> renamed = admin.send("PATCH", "/workspaces/default", "{\"name\":\"Main Workspace\"}");
        assertThat(json(renamed).path("name").asText()).isEqualTo("Main Workspace");
        admin.send("PATCH", "/workspaces/default", "{\"name\":\"" + name + "\"}");
        assertThat(json(admin.send("GET", "/workspaces/default", null)).path("slug").asText()).isEqualTo("default");
    }

    @Test
    void slugsAreCheckedAndUnique() {
        String slug = uniqueSlug("taken");
        createWorkspace(admin, slug);
        JsonNode taken = assertProblem(admin.send("POST", "/workspaces", "{\"name\":\"Other\",\"slug\":\"" + slug + "\"}"),
                409);
        assertThat(taken.path("detail").asText()).contains("'" + slug + "'");
        for (String invalid : new String[] {"Acme", "acme corp", "", "a".repeat(64), "acme_corp", "ünïcode"}) {
            JsonNode problem = assertProblem(admin.send("POST", "/workspaces",
                    "{\"name\":\"Acme\",\"slug\":\"" + invalid + "\"}"), 400);
            assertThat(problem.path("field").asText()).isEqualTo("slug");
            assertThat(problem.path("detail").asText()).contains("1 to 63 characters of a-z, 0-9 and '-'");
        }
        assertThat(assertProblem(admin.send("GET", "/workspaces/Not_A_Slug", null), 400).path("field").asText())
                .isEqualTo("slug");
        assertProblem(admin.send("GET", "/workspaces/" + uniqueSlug("nobody"), null), 404);
        // A path that is no UTF-8 once decoded reaches no route: Jetty refuses it, in the API's own form.
        assertThat(assertProblem(admin.send("GET", "/workspaces/%FF", null), 400).path("detail").asText())
                .isEqualTo("the HTTP request is malformed");
        HttpResponse<String> console = RunningServer.shared().send("GET", admin.url() + "/admin/%FF", null, Map.of());
        assertThat(console.statusCode()).isEqualTo(400);
        assertThat(console.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        String other = uniqueSlug("other");
        createWorkspace(admin, other);
        assertProblem(admin.send("PATCH", "/workspaces/" + other, "{\"slug\":\"" + slug + "\"}"), 409);
        assertProblem(admin.send("PATCH", "/workspaces/" + other, "{\"slug\":\"Bad Slug\"}"), 400);
        // A merge patch's null removes; a workspace's name and slug cannot be removed.
        assertThat(assertProblem(admin.send("PATCH", "/workspaces/" + other, "{\"name\":null,\"slug\":null}"), 400)
                .path("field").asText()).isIn("name", "slug");
        assertThat(assertProblem(admin.send("PATCH", "/workspaces/" + other, "{\"name\":null}"), 400)
                .path("field").asText()).isEqualTo("name");
    }

    /**
     * The metrics' shared workspace labels are no workspace's slug: a workspace slugged {@code none}
     * had its requests counted with the requests refused before any workspace was known.
     */
    @Test
    void theMetricsSharedLabelsAreNoWorkspacesSlug() {
        String renamed = uniqueSlug("labels");
        createWorkspace(admin, renamed);
        for (String reserved : new String[] {"none", "other", "unknown"}) {
            JsonNode created = assertProblem(admin.send("POST", "/workspaces",
                    "{\"name\":\"Reserved\",\"slug\":\"" + reserved + "\"}"), 400);
            assertThat(created.path("field").asText()).isEqualTo("slug");
            assertThat(created.path("detail").asText()).contains("'" + reserved + "'", "metrics");
            assertThat(assertProblem(admin.send("PATCH", "/workspaces/" + renamed,
                    "{\"slug\":\"" + reserved + "\"}"), 400).path("field").asText()).isEqualTo("slug");
        }
        assertThat(admin.send("GET", "/workspaces/" + renamed, null).statusCode()).isEqualTo(200);
        for (String fine : new String[] {"none-1", "others", "unknown-corp"}) {
            String slug = fine + "-" + UUID.randomUUID().toString().substring(0, 4);
            createWorkspace(admin, slug);
        }
    }

    @Test
    void namesAreRequiredBoundedAndWithoutControlCharacters() {
        String[] bodies = {"{\"slug\":\"%s\"}", "{\"name\":null,\"slug\":\"%s\"}", "{\"name\":\"\",\"slug\":\"%s\"}",
            "{\"name\":\"   \",\"slug\":\"%s\"}", "{\"name\":\"" + "n".repeat(101) + "\",\"slug\":\"%s\"}",
            "{\"name\":\"line\\nbreak\",\"slug\":\"%s\"}", "{\"name\":\"nul\\u0000\",\"slug\":\"%s\"}",
            "{\"name\":42,\"slug\":\"%s\"}",
            // Blank to the eye (a no-break space, a zero-width space), and a line separator.
            "{\"name\":\"\\u00a0\",\"slug\":\"%s\"}", "{\"name\":\"\\u200b\",\"slug\":\"%s\"}",
            "{\"name\":\"a\\u2028b\",\"slug\":\"%s\"}",
            // A right-to-left override and an isolate: the name would read in another order in lists.
            "{\"name\":\"acme\\u202egnp.exe\",\"slug\":\"%s\"}", "{\"name\":\"a\\u2067b\",\"slug\":\"%s\"}",
            // A lone surrogate: PostgreSQL would keep it as '?', a name other than the one sent.
            "{\"name\":\"Ac\\ud800me\",\"slug\":\"%s\"}"};
        for (String body : bodies) {
            String slug = uniqueSlug("named");
            JsonNode problem = assertProblem(admin.send("POST", "/workspaces", body.formatted(slug)), 400);
            assertThat(problem.path("field").asText()).as(body).isEqualTo("name");
            assertProblem(admin.send("GET", "/workspaces/" + slug, null), 404);
        }
        assertThat(admin.send("POST", "/workspaces", "{\"name\":\"" + "n".repeat(100) + "\",\"slug\":\""
                + uniqueSlug("long") + "\"}").statusCode()).isEqualTo(201);
        // A hundred characters as a reader counts them, each an emoji of two UTF-16 units.
        assertThat(admin.send("POST", "/workspaces", "{\"name\":\"" + "\uD83D\uDE80".repeat(100) + "\",\"slug\":\""
                + uniqueSlug("emoji") + "\"}").statusCode()).isEqualTo(201);
        // Right-to-left scripts need no control character.
        assertThat(admin.send("POST", "/workspaces", "{\"name\":\"\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627\",\"slug\":\""
                + uniqueSlug("rtl") + "\"}").statusCode()).isEqualTo(201);
    }

    @Test
    void bodiesThatAreNotTheExpectedJsonAreRefused() {
        String slug = uniqueSlug("body");
        JsonNode unknown = assertProblem(admin.send("POST", "/workspaces",
                "{\"name\":\"Acme\",\"slug\":\"" + slug + "\",\"owner\":\"me\"}"), 400);
        assertThat(unknown.path("field").asText()).isEqualTo("owner");
        assertThat(unknown.path("detail").asText()).contains("unknown field 'owner'");
        assertThat(assertProblem(admin.send("POST", "/workspaces", "name=Acme"), 400).path("detail").asText())
                .contains("not valid JSON");
        assertProblem(admin.send("POST", "/workspaces", "{\"name\":\"Acme\""), 400);
        assertProblem(admin.send("POST", "/workspaces", "[]"), 400);
        assertProblem(admin.send("POST", "/workspaces", "{\"name\":\"A\",\"name\":\"B\",\"slug\":\"" + slug + "\"}"),
                400);
        assertProblem(admin.send("POST", "/workspaces", "{\"name\":\"A\",\"slug\":\"" + slug + "\"} {}"), 400);
        assertProblem(admin.send("POST", "/workspaces", "{\"name\":\"A\",\"slug\":\"" + slug + "\"}",
                Map.of("Authorization", "Bearer " + AdminServer.ADMIN_TOKEN, "Content-Type", "text/plain")), 415);
        assertProblem(admin.send("POST", "/workspaces", "{\"name\":\"" + "x".repeat(70_000) + "\"}"), 413);
        assertProblem(admin.send("PATCH", "/workspaces/default", "{}"), 400);
        assertProblem(admin.send("GET", "/workspaces/" + slug, null), 404);
        // JSON is UTF-8 whatever the charset says (RFC 8259 section 11): one it does not know is no 500.
        HttpResponse<String> bogusCharset = admin.send("POST", "/workspaces", "{\"name\":\"A\",\"slug\":\"" + slug
                + "\"}", Map.of("Authorization", "Bearer " + AdminServer.ADMIN_TOKEN, "Content-Type",
                "application/json; charset=bogus"));
        assertThat(bogusCharset.statusCode()).as(bogusCharset.body()).isEqualTo(201);
    }

    @Test
    void unknownPathsAndMethodsAreProblemsToo() {
        assertThat(assertProblem(admin.send("GET", "/nothing-here", null), 404).path("detail").asText())
                .contains("no such administration endpoint");
        HttpResponse<String> wrongMethod = admin.send("PUT", "/workspaces", "{}");
        assertProblem(wrongMethod, 405);
        assertThat(wrongMethod.headers().firstValue("Allow")).contains("GET, HEAD, POST");
        assertThat(admin.send("POST", "/Workspaces/default/Role-Mappings/", "[]").headers().firstValue("Allow"))
                .as("matched as the router matches").contains("GET, HEAD, PUT");
        assertThat(admin.send("PUT", "/workspaces/default/oauth-clients/c1/secrets/s1", "{}").headers()
                .firstValue("Allow")).contains("GET, HEAD, DELETE");
        assertThat(admin.send("HEAD", "/workspaces", null).statusCode()).as("HEAD, as Allow says").isEqualTo(200);
        assertProblem(admin.send("GET", "/workspaces/default/credentials/x/y/z", null), 404);
    }

    @Test
    void deletingAWorkspaceTakesItsMembersGroupsAndCredentialsAndKeepsThePeople() throws SQLException {
        String slug = uniqueSlug("doomed");
        UUID workspace = UUID.fromString(createWorkspace(admin, slug).path("id").asText());
        assertThat(count("SELECT count(*) FROM groups WHERE workspace_id = ? AND type = 'default'", workspace))
                .as("its role groups, as the Default Workspace has them").isEqualTo(3);
        UUID person = UUID.randomUUID();
        UUID group = UUID.randomUUID();
        execute("INSERT INTO users (id, created_at, updated_at) VALUES (?, now(), now())", person);
        execute("INSERT INTO workspace_members (workspace_id, user_id, user_name, role, status, attributes, created_at, "
                + "last_modified) VALUES (?, ?, 'doomed@example.com', 'admin', 'active', "
                + "'{\"emails\":[{\"value\":\"doomed@example.com\"}]}', now(), now())", workspace, person);
        execute("INSERT INTO groups (id, workspace_id, name, type, created_at, last_modified) "
                + "VALUES (?, ?, 'Doomed', 'custom', now(), now())", group, workspace);
        execute("INSERT INTO group_members (group_id, workspace_id, user_id) VALUES (?, ?, ?)", group, workspace, person);
        assertThat(admin.send("POST", "/workspaces/" + slug + "/credentials", "{\"name\":\"okta\"}").statusCode())
                .isEqualTo(201);
        assertThat(admin.send("POST", "/workspaces/" + slug + "/oauth-clients", "{\"name\":\"entra\"}").statusCode())
                .isEqualTo(201);

        assertThat(admin.send("DELETE", "/workspaces/" + slug, null).statusCode()).isEqualTo(204);

        for (String table : new String[] {"workspace_members", "member_emails", "groups", "group_members", "api_tokens",
            "oauth_clients"}) {
            assertThat(count("SELECT count(*) FROM " + table + " WHERE workspace_id = ?", workspace)).as(table).isZero();
        }
        assertThat(count("SELECT count(*) FROM users WHERE id = ?", person)).as("the person stays").isEqualTo(1);
        assertThat(count("SELECT count(*) FROM change_journal WHERE workspace_id = ? AND resource_type = 'Workspace' "
                + "AND operation = 'delete' AND credential = 'admin'", workspace)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM change_journal WHERE workspace_id = ? AND resource_type IN ('User', "
                + "'Group') AND operation IN ('delete', 'member_remove')", workspace))
                .as("its members, groups and memberships go with it, in its one row").isZero();
    }

    @Test
    void theSummaryCountsTheDirectoryAndSaysWhenItLastChanged() throws SQLException {
        String slug = uniqueSlug("summed");
        UUID workspace = UUID.fromString(createWorkspace(admin, slug).path("id").asText());
        String[][] members = {{"admin", "active"}, {"builder", "active"}, {"builder", "active"}, {"end-user", "archived"}};
        for (String[] member : members) {
            UUID person = UUID.randomUUID();
            execute("INSERT INTO users (id, created_at, updated_at) VALUES (?, now(), now())", person);
            execute("INSERT INTO workspace_members (workspace_id, user_id, user_name, role, status, created_at, "
                    + "last_modified) VALUES (?, ?, ?, ?, ?, now(), now())", workspace, person, person + "@example.com",
                    member[0], member[1]);
        }
        execute("INSERT INTO groups (id, workspace_id, name, type, created_at, last_modified) "
                + "VALUES (?, ?, 'Engineering', 'custom', now(), now())", UUID.randomUUID(), workspace);
        JsonNode token = json(admin.send("POST", "/workspaces/" + slug + "/credentials", "{\"name\":\"okta\"}"));

        HttpResponse<String> response = admin.send("GET", "/workspaces/" + slug + "/summary", null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode summary = json(response);
        assertThat(summary.path("workspace").path("slug").asText()).isEqualTo(slug);
        assertThat(summary.path("members").path("active").asLong()).isEqualTo(3);
        assertThat(summary.path("members").path("archived").asLong()).isEqualTo(1);
        assertThat(summary.path("groups").path("custom").asLong()).as("role groups are not custom").isEqualTo(1);
        assertThat(summary.path("activeMembersPerRole").path("admin").asLong()).isEqualTo(1);
        assertThat(summary.path("activeMembersPerRole").path("builder").asLong()).isEqualTo(2);
        assertThat(summary.path("activeMembersPerRole").path("end-user").asLong()).isZero();
        assertThat(summary.path("lastChangeAt").asText()).as("the members' journal rows")
                .isEqualTo(lastJournalTime(workspace));
        JsonNode credential = summary.path("credentials").get(0);
        assertThat(credential.path("id").asText()).isEqualTo(token.path("id").asText());
        assertThat(credential.path("kind").asText()).isEqualTo("api-token");
        assertThat(credential.has("lastUsedAt")).isTrue();
        assertThat(credential.path("lastUsedAt").isNull()).isTrue();
        assertThat(response.body()).doesNotContain(token.path("token").asText());

        JsonNode defaults = json(admin.send("GET", "/workspaces/default/summary", null));
        assertThat(defaults.path("credentials").findValuesAsText("kind")).contains("environment");
    }

    /**
     * The environment's Basic pair and token are what most installations provision with: "is the
     * identity provider still syncing?" is answered for them as for the stored credentials, within the
     * minute their last use may lag.
     */
    @Test
    void theEnvironmentsCredentialsShowTheirLastRequest() throws InterruptedException {
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusMillis(1);
        RunningServer scim = RunningServer.shared();
        for (String authorization : new String[] {scim.basicAuthorization(), scim.bearerAuthorization()}) {
            HttpResponse<String> answer = scim.send("GET", admin.url() + "/api/scim/v2/Users?count=1", null,
                    Map.of("Authorization", authorization));
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        }
        Set<String> usedSince = Set.of();
        for (int attempt = 0; attempt < 300 && usedSince.size() < 2; attempt++) {
            Thread.sleep(100);
            usedSince = environmentCredentialsUsedSince(before,
                    json(admin.send("GET", "/workspaces/default/summary", null)).path("credentials"));
        }
        assertThat(usedSince).as("written within 30 seconds").containsOnly("environment-basic", "environment-token");
        assertThat(environmentCredentialsUsedSince(before,
                json(admin.send("GET", "/workspaces/default/credentials", null)).path("items")))
                .as("the credentials' list shows the same").containsOnly("environment-basic", "environment-token");

        ConsoleClient console = new ConsoleClient(admin.url());
        assertThat(console.signIn(AdminServer.ADMIN_TOKEN).statusCode()).isEqualTo(303);
        String overview = console.get("/admin/workspaces/default").body();
        for (String name : new String[] {"SCIM_BASIC_AUTH_USER/SCIM_BASIC_AUTH_PASS", "SCIM_HEADER_AUTH_TOKEN"}) {
            assertThat(overview).as("the console's overview").containsPattern("<tr><td>" + Pattern.quote(name)
                    + "</td><td>environment</td><td>\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC</td>");
        }
    }

    private static Set<String> environmentCredentialsUsedSince(Instant since, JsonNode credentials) {
        Set<String> used = new HashSet<>();
        for (JsonNode credential : credentials) {
            if (credential.path("kind").asText().equals("environment") && credential.path("lastUsedAt").isTextual()
                    && !Instant.parse(credential.path("lastUsedAt").asText()).isBefore(since)) {
                used.add(credential.path("id").asText());
            }
        }
        return used;
    }

    /** The member counts are kept between summaries: every committed change to a member still shows in the next. */
    @Test
    void theNextSummaryCountsEveryCommittedChangeToAMember() throws SQLException {
        String slug = uniqueSlug("recounted");
        UUID workspace = UUID.fromString(createWorkspace(admin, slug).path("id").asText());
        UUID[] people = {UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID()};
        for (UUID person : people) {
            execute("INSERT INTO users (id, created_at, updated_at) VALUES (?, now(), now())", person);
            execute("INSERT INTO workspace_members (workspace_id, user_id, user_name, role, status, created_at, "
                    + "last_modified) VALUES (?, ?, ?, 'builder', 'active', now(), now())", workspace, person,
                    person + "@example.com");
        }
        assertThat(summaryFigures(slug)).isEqualTo("active 3, archived 0, admin 0, builder 3, end-user 0");
        assertThat(summaryFigures(slug)).isEqualTo("active 3, archived 0, admin 0, builder 3, end-user 0");
        execute("UPDATE workspace_members SET role = 'admin' WHERE workspace_id = ? AND user_id = ?", workspace,
                people[0]);
        assertThat(summaryFigures(slug)).isEqualTo("active 3, archived 0, admin 1, builder 2, end-user 0");
        execute("UPDATE workspace_members SET status = 'archived' WHERE workspace_id = ? AND user_id = ?", workspace,
                people[1]);
        assertThat(summaryFigures(slug)).isEqualTo("active 2, archived 1, admin 1, builder 1, end-user 0");
        execute("DELETE FROM workspace_members WHERE workspace_id = ? AND user_id = ?", workspace, people[2]);
        assertThat(summaryFigures(slug)).isEqualTo("active 1, archived 1, admin 1, builder 0, end-user 0");
    }

    private String summaryFigures(String slug) {
        JsonNode summary = json(admin.send("GET", "/workspaces/" + slug + "/summary", null));
        JsonNode perRole = summary.path("activeMembersPerRole");
        return "active " + summary.path("members").path("active").asLong() + ", archived "
                + summary.path("members").path("archived").asLong() + ", admin " + perRole.path("admin").asLong()
                + ", builder " + perRole.path("builder").asLong() + ", end-user " + perRole.path("end-user").asLong();
    }

    private String lastJournalTime(UUID workspace) throws SQLException {
        try (Connection c = DriverManager.getConnection(RunningServer.shared().jdbcUrl());
             PreparedStatement s = c.prepareStatement("SELECT occurred_at FROM change_journal WHERE workspace_id = ? "
                     + "ORDER BY id DESC LIMIT 1")) {
            s.setObject(1, workspace);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getObject(1, java.time.OffsetDateTime.class).toInstant().toString();
            }
        }
    }

    static void execute(String sql, Object... arguments) throws SQLException {
        try (Connection c = DriverManager.getConnection(RunningServer.shared().jdbcUrl());
             PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < arguments.length; i++) {
                s.setObject(i + 1, arguments[i]);
            }
            s.executeUpdate();
        }
    }

    static long count(String sql, Object... arguments) throws SQLException {
        try (Connection c = DriverManager.getConnection(RunningServer.shared().jdbcUrl());
             PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < arguments.length; i++) {
                s.setObject(i + 1, arguments[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
