package dev.scimserver.app;

import static dev.scimserver.app.ScimValues.*;
import static dev.scimserver.app.Exchange.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/**
 * ToolJet's workspace rules over SCIM ({@code tooljet-scim.md}, DESIGN.md): the role extension and
 * its default, reserved group names, unique group names, unknown and archived members, archive
 * and delete semantics, the last active admin, and the write-only password. Real HTTP against the
 * real server.
 */
class ToolJetRulesTest {
    private static final RunningServer SERVER = RunningServer.shared();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
    private static final String GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
    private static final String TOOLJET = "urn:ietf:params:scim:schemas:extension:tooljet:User:2.0";
    private static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    private static final String ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";

    // ---------------------------------------------------------------- roles

    @Test
    void roleDefaultsToEndUser() {
        JsonNode user = post("/Users", userBody("default." + suffix() + "@example.com", null)).expect(201);
        assertThat(role(user)).as("%s", user).isEqualTo("end-user");
        assertThat(user.path("schemas").toString()).contains(TOOLJET);
        assertThat(role(get("/Users/" + user.path("id").asText()).expect(200))).isEqualTo("end-user");
    }

    @Test
    void roleIsSetThroughTheExtensionAndChangedByItsUrnPath() {
        JsonNode user = post("/Users", userBody("builder." + suffix() + "@example.com", "builder")).expect(201);
        String id = user.path("id").asText();
        assertThat(role(user)).as("%s", user).isEqualTo("builder");
        assertThat(role(get("/Users/" + id).expect(200))).isEqualTo("builder");

        JsonNode changed = patch("/Users/" + id, ops("""
                {"op":"replace","path":"%s:role","value":"end-user"}
                """.formatted(TOOLJET))).expect(200);
        assertThat(role(changed)).as("%s", changed).isEqualTo("end-user");
        assertThat(role(get("/Users/" + id).expect(200))).isEqualTo("end-user");
    }

    @Test
    void anInvalidRoleIs400InvalidValue() {
        Exchange create = post("/Users", userBody("invalid." + suffix() + "@example.com", "superuser"));
        assertScimError(create, 400, "invalidValue");
        // A dotless i or a long s is no i or s in any case folding, though equalsIgnoreCase takes them for one.
        for (String lookalike : new String[] {"adm\u0131n", "end-u\u017Fer"}) {
            assertScimError(post("/Users", userBody("invalid." + suffix() + "@example.com", lookalike)), 400,
                    "invalidValue");
        }

        String id = post("/Users", userBody("valid." + suffix() + "@example.com", "builder")).expect(201)
                .path("id").asText();
        Exchange patch = patch("/Users/" + id, ops("""
                {"op":"replace","path":"%s:role","value":"owner"}
                """.formatted(TOOLJET)));
        assertScimError(patch, 400, "invalidValue");
        assertThat(role(get("/Users/" + id).expect(200))).isEqualTo("builder");
    }

    @Test
    void putWithoutTheToolJetExtensionKeepsTheRole() {
        String userName = "keep." + suffix() + "@example.com";
        String id = post("/Users", userBody(userName, "builder")).expect(201).path("id").asText();
        JsonNode replaced = put("/Users/" + id, """
                {"schemas":["%s"],"userName":"%s","name":{"givenName":"Kept","familyName":"Role"},
                 "emails":[{"value":"%s","primary":true,"type":"work"}],"active":true}
                """.formatted(CORE, userName, userName)).expect(200);
        assertThat(role(replaced)).as("%s", replaced).isEqualTo("builder");
        assertThat(replaced.path("name").path("givenName").asText()).isEqualTo("Kept");
        assertThat(role(get("/Users/" + id).expect(200))).isEqualTo("builder");
    }

    @Test
    void aPatchRemovingTheRoleOrTheExtensionGivesTheDefaultRole() {
        for (String path : List.of(TOOLJET + ":role", TOOLJET)) {
            String id = post("/Users", userBody("removed." + suffix() + "@example.com", "builder")).expect(201)
                    .path("id").asText();
            JsonNode removed = patch("/Users/" + id, ops("""
                    {"op":"remove","path":"%s"}
                    """.formatted(path))).expect(200);
            assertThat(role(removed)).as(path).isEqualTo("end-user");
            assertThat(removed.at("/meta/version").asText()).as("a change, a new version").isEqualTo("W/\"2\"");
            assertThat(role(get("/Users/" + id).expect(200))).isEqualTo("end-user");
        }
    }

    // ---------------------------------------------------------------- groups

    @Test
    void customGroupsCannotTakeARoleName() {
        for (String name : List.of("Admin", "END-USER", "builder", "\uFF21\uFF24\uFF2D\uFF29\uFF2E", "end\u2010user",
                "adm\u0131n")) {
            assertScimError(post("/Groups", groupBody(name)), 400, "invalidValue");
        }
        String gid = post("/Groups", groupBody("Not a role " + suffix())).expect(201).path("id").asText();
        assertScimError(patch("/Groups/" + gid, ops("""
                {"op":"replace","path":"displayName","value":"ADMIN"}
                """)), 400, "invalidValue");
        assertScimError(patch("/Groups/" + gid, ops("""
                {"op":"replace","path":"displayName","value":"B\uFF35ILDER"}
                """)), 400, "invalidValue");
        assertThat(get("/Groups?filter=" + enc("displayName eq \"admin\"")).expect(200).path("totalResults").asInt())
                .as("role groups are never listed").isZero();
    }

    @Test
    void aDuplicateGroupNameInAnotherCaseIs409() {
        String name = "Finance Team " + suffix();
        String gid = post("/Groups", groupBody(name)).expect(201).path("id").asText();
        assertScimError(post("/Groups", groupBody(name.toUpperCase(Locale.ROOT))), 409, "uniqueness");
        assertScimError(post("/Groups", groupBody(name)), 409, "uniqueness");

        String other = post("/Groups", groupBody("Other Team " + suffix())).expect(201).path("id").asText();
        assertScimError(patch("/Groups/" + other, ops("""
                {"op":"replace","path":"displayName","value":"%s"}
                """.formatted(name.toLowerCase(Locale.ROOT)))), 409, "uniqueness");
        assertThat(get("/Groups/" + gid).expect(200).path("displayName").asText()).isEqualTo(name);
    }

    @Test
    void unknownMembersAre400InvalidValueNamingThem() {
        String unknown = UUID.randomUUID().toString();
        Exchange create = post("/Groups", """
                {"schemas":["%s"],"displayName":"Unknown Members %s","members":[{"value":"%s"}]}
                """.formatted(GROUP, suffix(), unknown));
        assertThat(assertScimError(create, 400, "invalidValue").path("detail").asText()).contains(unknown);

        String known = createUser("known." + suffix() + "@example.com");
        String gid = post("/Groups", groupBody("Known Members " + suffix())).expect(201).path("id").asText();
        String alsoUnknown = UUID.randomUUID().toString();
        Exchange add = patch("/Groups/" + gid, ops("""
                {"op":"add","path":"members","value":[{"value":"%s"},{"value":"%s"}]}
                """.formatted(known, alsoUnknown)));
        JsonNode error = assertScimError(add, 400, "invalidValue");
        assertThat(error.path("detail").asText()).contains(alsoUnknown).doesNotContain(known);
        assertThat(memberIds(get("/Groups/" + gid).expect(200))).as("the PATCH is atomic").isEmpty();
    }

    /**
     * Entra keeps sending the memberships of disabled users: an archived member is a member of the
     * workspace, accepted by every way of setting members (POST, PUT, PATCH, Bulk), and keeps its
     * groups through archive and restore. Only ids that are no member at all are refused.
     */
    @Test
    void archivedMembersAreAcceptedInGroupsAndKeepThemWhenRestored() {
        String archived = createUser("archived." + suffix() + "@example.com");
        String other = createUser("other." + suffix() + "@example.com");
        setActive(archived, false);

        String created = post("/Groups", """
                {"schemas":["%s"],"displayName":"Archived Create %s","members":[{"value":"%s"},{"value":"%s"}]}
                """.formatted(GROUP, suffix(), archived, other)).expect(201).path("id").asText();
        assertThat(memberIds(get("/Groups/" + created).expect(200))).containsExactlyInAnyOrder(archived, other);

        String patched = post("/Groups", groupBody("Archived Patch " + suffix())).expect(201).path("id").asText();
        Exchange add = patch("/Groups/" + patched, ops("""
                {"op":"add","path":"members","value":[{"value":"%s"}]}
                """.formatted(archived)));
        assertThat(add.response().statusCode()).as(add.describe()).isEqualTo(204);
        assertThat(memberIds(get("/Groups/" + patched).expect(200))).containsExactly(archived);

        // Entra and Okta repeat the whole list in a PUT, members archived since the last one included.
        String fullList = """
                {"schemas":["%s"],"displayName":"Archived Put %s","members":[{"value":"%s"},{"value":"%s"}]}
                """.formatted(GROUP, suffix(), archived, other);
        String replaced = post("/Groups", fullList).expect(201).path("id").asText();
        setActive(other, false);
        assertThat(memberIds(put("/Groups/" + replaced, fullList).expect(200)))
                .containsExactlyInAnyOrder(archived, other);

        JsonNode bulk = post("/Bulk", """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":[
                 {"method":"POST","path":"/Groups","bulkId":"g","data":{"displayName":"Archived Bulk %s",
                  "members":[{"value":"%s"}]}},
                 {"method":"PATCH","path":"/Groups/%s","data":{"schemas":["%s"],
                  "Operations":[{"op":"add","path":"members","value":[{"value":"%s"}]}]}}]}
                """.formatted(suffix(), archived, patched, PATCH_OP, other)).expect(200);
        List<String> statuses = new ArrayList<>();
        bulk.path("Operations").forEach(result -> statuses.add(result.path("status").asText()));
        assertThat(statuses).as("%s", bulk).containsExactly("201", "200");
        assertThat(memberIds(get("/Groups/" + patched).expect(200))).containsExactlyInAnyOrder(archived, other);

        setActive(archived, true);
        JsonNode restored = get("/Users/" + archived).expect(200);
        assertThat(restored.path("active").booleanValue()).isTrue();
        assertThat(groupIds(restored)).hasSize(4).contains(created, patched, replaced);

        String unknown = UUID.randomUUID().toString();
        Exchange refused = patch("/Groups/" + patched, ops("""
                {"op":"add","path":"members","value":[{"value":"%s"},{"value":"%s"}]}
                """.formatted(other, unknown)));
        JsonNode error = assertScimError(refused, 400, "invalidValue");
        assertThat(error.path("detail").asText()).contains(unknown).doesNotContain(other)
                .doesNotContainIgnoringCase("archived");
    }

    // ---------------------------------------------------------------- archive and delete

    @Test
    void activeFalseArchivesAndActiveTrueRestores() {
        String userName = "archive." + suffix() + "@example.com";
        String id = createUser(userName);
        JsonNode archived = patch("/Users/" + id, ops("{\"op\":\"replace\",\"path\":\"active\",\"value\":false}"))
                .expect(200);
        assertThat(archived.path("active").booleanValue()).isFalse();
        JsonNode read = get("/Users/" + id).expect(200);
        assertThat(read.path("active").booleanValue()).as("%s", read).isFalse();
        assertThat(ids(get("/Users?filter=" + enc("userName eq \"" + userName + "\" and active eq false"))
                .expect(200))).containsExactly(id);

        JsonNode restored = patch("/Users/" + id, ops("{\"op\":\"replace\",\"path\":\"active\",\"value\":true}"))
                .expect(200);
        assertThat(restored.path("active").booleanValue()).isTrue();
        assertThat(get("/Users/" + id).expect(200).path("active").booleanValue()).isTrue();

        ObjectNode full = (ObjectNode) get("/Users/" + id).expect(200);
        full.put("active", false);
        assertThat(put("/Users/" + id, full.toString()).expect(200).path("active").booleanValue()).isFalse();
        full.put("active", true);
        assertThat(put("/Users/" + id, full.toString()).expect(200).path("active").booleanValue()).isTrue();

        JsonNode createdArchived = post("/Users", """
                {"schemas":["%s"],"userName":"born-archived.%s@example.com","active":false,
                 "name":{"givenName":"Born","familyName":"Archived"},"emails":[{"value":"born.%s@example.com"}]}
                """.formatted(CORE, suffix(), suffix())).expect(201);
        assertThat(createdArchived.path("active").booleanValue()).isFalse();
        assertThat(get("/Users/" + createdArchived.path("id").asText()).expect(200).path("active").booleanValue())
                .isFalse();
    }

    @Test
    void deleteRemovesTheUserFromTheWorkspaceAndItsGroupsAndAPostBringsTheSameIdBack() {
        String userName = "deleted." + suffix() + "@example.com";
        String id = createUser(userName);
        String stays = createUser("stays." + suffix() + "@example.com");
        String gid = post("/Groups", """
                {"schemas":["%s"],"displayName":"Delete Members %s","members":[{"value":"%s"},{"value":"%s"}]}
                """.formatted(GROUP, suffix(), id, stays)).expect(201).path("id").asText();

        Exchange deleted = delete("/Users/" + id);
        assertThat(deleted.response().statusCode()).as(deleted.describe()).isEqualTo(204);
        assertScimError(get("/Users/" + id), 404, null);
        assertThat(get("/Users?filter=" + enc("userName eq \"" + userName + "\"")).expect(200)
                .path("totalResults").asInt()).isZero();
        assertThat(memberIds(get("/Groups/" + gid).expect(200))).containsExactly(stays);
        assertScimError(delete("/Users/" + id), 404, null);

        JsonNode back = post("/Users", userBody(userName, null)).expect(201);
        assertThat(back.path("id").asText()).as("the same person comes back: %s", back).isEqualTo(id);
        assertThat(back.path("active").booleanValue()).isTrue();
        assertThat(get("/Users/" + id).expect(200).path("userName").asText()).isEqualTo(userName);
        assertThat(groupIds(get("/Users/" + id).expect(200))).as("groups are not restored").isEmpty();
    }

    @Test
    void deletingAGroupKeepsItsUsers() {
        String u1 = createUser("grouped." + suffix() + "@example.com");
        String gid = post("/Groups", """
                {"schemas":["%s"],"displayName":"Doomed %s","members":[{"value":"%s"}]}
                """.formatted(GROUP, suffix(), u1)).expect(201).path("id").asText();
        assertThat(groupIds(get("/Users/" + u1).expect(200))).containsExactly(gid);

        Exchange deleted = delete("/Groups/" + gid);
        assertThat(deleted.response().statusCode()).as(deleted.describe()).isEqualTo(204);
        assertScimError(get("/Groups/" + gid), 404, null);
        JsonNode user = get("/Users/" + u1).expect(200);
        assertThat(user.path("active").booleanValue()).isTrue();
        assertThat(groupIds(user)).isEmpty();
    }

    // ---------------------------------------------------------------- the last admin

    @Test
    void theLastActiveAdminCannotBeArchivedDeletedOrDemoted() {
        String first = post("/Users", userBody("admin1." + suffix() + "@example.com", "admin")).expect(201)
                .path("id").asText();
        String second = post("/Users", userBody("admin2." + suffix() + "@example.com", "admin")).expect(201)
                .path("id").asText();

        List<String> admins = activeAdmins();
        assertThat(admins).contains(first, second);
        // Leave exactly these two: with others around, "last" would mean nothing.
        for (String other : admins) {
            if (!other.equals(first) && !other.equals(second)) {
                setRole(other, "end-user").expect(200);
            }
        }
        assertThat(activeAdmins()).containsExactlyInAnyOrder(first, second);

        // With two active admins, one may be demoted.
        assertThat(role(setRole(second, "builder").expect(200))).isEqualTo("builder");
        assertThat(activeAdmins()).containsExactly(first);

        JsonNode demote = assertScimError(setRole(first, "end-user"), 400, null);
        assertThat(demote.path("detail").asText().toLowerCase(Locale.ROOT)).contains("admin");
        JsonNode archive = assertScimError(patch("/Users/" + first,
                ops("{\"op\":\"replace\",\"path\":\"active\",\"value\":false}")), 400, null);
        assertThat(archive.path("detail").asText().toLowerCase(Locale.ROOT)).contains("admin");
        JsonNode archiveAsString = assertScimError(patch("/Users/" + first,
                ops("{\"op\":\"Replace\",\"path\":\"active\",\"value\":\"False\"}")), 400, null);
        assertThat(archiveAsString.path("detail").asText().toLowerCase(Locale.ROOT)).contains("admin");
        JsonNode deleted = assertScimError(delete("/Users/" + first), 400, null);
        assertThat(deleted.path("detail").asText().toLowerCase(Locale.ROOT)).contains("admin");

        ObjectNode full = (ObjectNode) get("/Users/" + first).expect(200);
        full.put("active", false);
        assertScimError(put("/Users/" + first, full.toString()), 400, null);
        full.put("active", true);
        ((ObjectNode) full.path(TOOLJET)).put("role", "end-user");
        assertScimError(put("/Users/" + first, full.toString()), 400, null);

        JsonNode still = get("/Users/" + first).expect(200);
        assertThat(role(still)).isEqualTo("admin");
        assertThat(still.path("active").booleanValue()).isTrue();

        // With a second admin again, the first may go.
        setRole(second, "admin").expect(200);
        assertThat(patch("/Users/" + first, ops("{\"op\":\"replace\",\"path\":\"active\",\"value\":false}"))
                .expect(200).path("active").booleanValue()).isFalse();
        assertThat(activeAdmins()).containsExactly(second);
        assertScimError(delete("/Users/" + second), 400, null);
    }

    @Test
    void theRoleExtensionIsFilterable() {
        String admin = post("/Users", userBody("filtered-admin." + suffix() + "@example.com", "admin")).expect(201)
                .path("id").asText();
        JsonNode list = get("/Users?count=1000&filter=" + enc(TOOLJET + ":role eq \"admin\"")).expect(200);
        assertThat(ids(list)).contains(admin);
        list.path("Resources").forEach(u -> assertThat(role(u)).isEqualTo("admin"));
    }

    // ---------------------------------------------------------------- password

    @Test
    void thePasswordIsNeverReturned() {
        String password = "Secret-" + UUID.randomUUID();
        String userName = "password." + suffix() + "@example.com";
        Exchange created = post("/Users", """
                {"schemas":["%s"],"userName":"%s","password":"%s","active":true,
                 "name":{"givenName":"Pass","familyName":"Word"},"emails":[{"value":"%s"}]}
                """.formatted(CORE, userName, password, userName));
        String id = created.expect(201).path("id").asText();
        List<Exchange> reads = new ArrayList<>(List.of(created, get("/Users/" + id),
                get("/Users?filter=" + enc("userName eq \"" + userName + "\"")),
                get("/Users/" + id + "?attributes=password,userName")));
        String newPassword = "Changed-" + UUID.randomUUID();
        reads.add(put("/Users/" + id, """
                {"schemas":["%s"],"userName":"%s","password":"%s","active":true,
                 "name":{"givenName":"Pass","familyName":"Word"},"emails":[{"value":"%s"}]}
                """.formatted(CORE, userName, newPassword, userName)));
        reads.add(patch("/Users/" + id, ops("""
                {"op":"replace","path":"password","value":"%s"}
                """.formatted(newPassword + "2"))));
        for (Exchange exchange : reads) {
            assertThat(exchange.response().statusCode()).as(exchange.describe()).isIn(200, 201);
            assertThat(exchange.response().body()).as(exchange.describe()).doesNotContain("\"password\"")
                    .doesNotContain(password).doesNotContain(newPassword);
        }
    }

    /** A person who left and comes back starts without the password of the first stay, unless the return sends one. */
    @Test
    void aReturningPersonHasNoPasswordUnlessTheReturnSendsOne() throws SQLException {
        String userName = "returning." + suffix() + "@example.com";
        String withPassword = """
                {"schemas":["%s"],"userName":"%s","password":"%s","emails":[{"value":"%s","primary":true}]}
                """;
        String id = post("/Users", withPassword.formatted(CORE, userName, "First-" + suffix(), userName)).expect(201)
                .path("id").asText();
        String firstHash = passwordHash(id);
        assertThat(firstHash).isNotNull();

        assertThat(delete("/Users/" + id).response().statusCode()).isEqualTo(204);
        assertThat(post("/Users", userBody(userName, null)).expect(201).path("id").asText()).isEqualTo(id);
        assertThat(passwordHash(id)).as("the old password hash came back").isNull();

        assertThat(delete("/Users/" + id).response().statusCode()).isEqualTo(204);
        post("/Users", withPassword.formatted(CORE, userName, "Second-" + suffix(), userName)).expect(201);
        assertThat(passwordHash(id)).isNotNull().isNotEqualTo(firstHash);
    }

    private static String passwordHash(String userId) throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER.jdbcUrl());
             PreparedStatement read = c.prepareStatement("SELECT password_hash FROM users WHERE id = ?")) {
            read.setObject(1, UUID.fromString(userId));
            try (ResultSet row = read.executeQuery()) {
                assertThat(row.next()).isTrue();
                return row.getString(1);
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Every active admin of the workspace, walking the whole user list (no reliance on a role filter). */
    private static List<String> activeAdmins() {
        List<String> admins = new ArrayList<>();
        int startIndex = 1;
        while (true) {
            JsonNode page = get("/Users?startIndex=" + startIndex + "&count=100").expect(200);
            page.path("Resources").forEach(u -> {
                if ("admin".equals(role(u)) && u.path("active").booleanValue()) {
                    admins.add(u.path("id").asText());
                }
            });
            int items = page.path("Resources").size();
            if (items == 0 || startIndex + items > page.path("totalResults").asInt()) {
                return admins;
            }
            startIndex += items;
        }
    }

    private static void setActive(String id, boolean active) {
        patch("/Users/" + id, ops("{\"op\":\"replace\",\"path\":\"active\",\"value\":" + active + "}")).expect(200);
    }

    private static Exchange setRole(String id, String role) {
        return patch("/Users/" + id, ops("""
                {"op":"replace","path":"%s:role","value":"%s"}
                """.formatted(TOOLJET, role)));
    }

    private static String userBody(String userName, String role) {
        String extension = role == null ? "" : ",\"" + TOOLJET + "\":{\"role\":\"" + role + "\"}";
        return """
                {"schemas":["%s"%s],"userName":"%s","name":{"givenName":"Tool","familyName":"Jet"},
                 "emails":[{"value":"%s","primary":true,"type":"work"}],"active":true%s}
                """.formatted(CORE, role == null ? "" : ",\"" + TOOLJET + "\"", userName, userName, extension);
    }

    private static String groupBody(String name) {
        return "{\"schemas\":[\"" + GROUP + "\"],\"displayName\":\"" + name + "\",\"members\":[]}";
    }

    private static String createUser(String userName) {
        return post("/Users", userBody(userName, null)).expect(201).path("id").asText();
    }

    private static String role(JsonNode user) {
        return user.path(TOOLJET).path("role").asText(null);
    }

    /** A SCIM error with this status and, when given, scimType; returns the body. */
    private static JsonNode assertScimError(Exchange exchange, int status, String scimType) {
        JsonNode error = exchange.expect(status);
        assertThat(error.path("schemas").toString()).as(exchange.describe()).contains(ERROR);
        assertThat(error.path("status").asText()).as(exchange.describe()).isEqualTo(Integer.toString(status));
        if (scimType != null) {
            assertThat(error.path("scimType").asText()).as(exchange.describe()).isEqualTo(scimType);
        }
        return error;
    }

}
