package dev.scimserver.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.scimserver.app.RoleWorkspace.members;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Roles from groups over SCIM: every write that changes a membership recomputes the roles it touches,
 * in its own transaction, under each role source; a role sent in the extension counts as the source
 * says; the last active admin holds through groups; a membership change racing a role PATCH ends as
 * the recomputation says. Real HTTP against the real server, on workspaces of their own.
 */
class RolesFromGroupsContractTest {
    private static final String MAPPINGS = "[{\"group\":\"tooljet-admins\",\"role\":\"admin\"},"
            + "{\"group\":\"TOOLJET-Builders\",\"role\":\"builder\"}]";

    /** A workspace whose one admin, keeper, is a member of the mapped tooljet-admins group. */
    private static final class Setup {
        final RoleWorkspace w = new RoleWorkspace();
        final String keeper = w.user("keeper", "admin");
        final String admins = w.group("tooljet-admins", keeper);

        Setup(String source) {
            w.mappings(MAPPINGS);
            w.source(source);
        }

        /** A member created as end-user and made admin by joining tooljet-admins. */
        String adminByGroup(String name) {
            String user = w.user(name, "end-user");
            w.patchGroup(admins, "add", "members", members(user)).expect(204);
            assertThat(w.role(user)).isEqualTo("admin");
            return user;
        }
    }

    /** The role a member with the attribute end-user has, in the builders group or not. */
    private static String expected(String source, boolean inBuilders) {
        return !source.equals("attribute") && inBuilders ? "builder" : "end-user";
    }

    @ParameterizedTest
    @ValueSource(strings = {"attribute", "groups", "highest"})
    void everyWriteThatChangesAMembershipRecomputesTheRolesItTouches(String source) {
        Setup s = new Setup(source);
        RoleWorkspace w = s.w;
        String u1 = w.user("u1", "end-user");
        String u2 = w.user("u2", null);

        String builders = w.group("tooljet-builders", u1);
        assertThat(w.role(u1)).as("group POST with members").isEqualTo(expected(source, true));
        w.patchGroup(builders, "add", "members", members(u2)).expect(204);
        assertThat(w.role(u2)).as("PATCH add").isEqualTo(expected(source, true));
        w.patchGroup(builders, "remove", "members[value eq \\\"" + u2 + "\\\"]", null).expect(204);
        assertThat(w.role(u2)).as("PATCH remove by filter").isEqualTo(expected(source, false));
        w.patchGroup(builders, "replace", "members", members(u2)).expect(204);
        assertThat(List.of(w.role(u1), w.role(u2))).as("PATCH replace")
                .containsExactly(expected(source, false), expected(source, true));
        w.patchGroup(builders, "remove", "members", null).expect(204);
        assertThat(w.role(u2)).as("PATCH remove all").isEqualTo(expected(source, false));
        w.scim("PUT", "/Groups/" + builders, "{\"displayName\":\"tooljet-builders\",\"members\":" + members(u1) + "}")
                .expect(200);
        assertThat(w.role(u1)).as("PUT").isEqualTo(expected(source, true));
        w.scim("PUT", "/Groups/" + builders, "{\"displayName\":\"renamed\",\"members\":" + members(u1) + "}")
                .expect(200);
        assertThat(w.role(u1)).as("a rename unmaps the group").isEqualTo(expected(source, false));
        w.patchGroup(builders, "replace", "displayName", "\"Tooljet-Builders\"").expect(204);
        assertThat(w.role(u1)).as("a rename maps it again").isEqualTo(expected(source, true));
        w.scim("DELETE", "/Groups/" + builders, null).expect(204);
        assertThat(w.role(u1)).as("group DELETE").isEqualTo(expected(source, false));

        w.scim("POST", "/Bulk", """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":[
                 {"method":"POST","path":"/Groups","bulkId":"b","data":{"displayName":"tooljet-builders",
                  "members":[{"value":"%s"}]}},
                 {"method":"PATCH","path":"/Groups/bulkId:b","data":{"schemas":["%s"],
                  "Operations":[{"op":"add","path":"members","value":[{"value":"%s"}]}]}}]}
                """.formatted(u1, ScimValues.PATCH_OP, u2)).expect(200);
        assertThat(List.of(w.role(u1), w.role(u2))).as("Bulk")
                .containsExactly(expected(source, true), expected(source, true));

        w.scim("PATCH", "/Users/" + u1, ScimValues.ops("{\"op\":\"replace\",\"path\":\"active\",\"value\":false}"))
                .expect(200);
        assertThat(w.role(u1)).as("an archived member keeps its groups and their role").isEqualTo(expected(source, true));
        w.scim("DELETE", "/Users/" + u2, null).expect(204);
        assertThat(w.query("SELECT count(*) FROM group_members WHERE user_id = ?", u2)).containsExactly("0");
        assertThat(w.role(s.keeper)).isEqualTo("admin");

        if (!source.equals("attribute")) {
            assertThat(w.roleJournal(u1)).as("each recomputed role is journalled with its cause")
                    .allSatisfy(row -> assertThat(row).matches("(create - api-token:idp|update group:[0-9a-f-]{36} api-token:idp)"))
                    .hasSize(8);
        } else {
            assertThat(w.roleJournal(u1)).containsExactly("create - api-token:idp");
        }
    }

    @Test
    void withGroupsARoleSentInTheExtensionIsAcceptedAndIgnored() {
        RoleWorkspace w = new Setup("groups").w;
        String u = w.user("sent-admin", "admin");
        assertThat(w.role(u)).isEqualTo("end-user");
        assertThat(w.patchRole(u, "builder").expect(200).path(RoleWorkspace.TOOLJET).path("role").asText())
                .isEqualTo("end-user");
        w.group("tooljet-builders", u);
        w.patchRole(u, "admin").expect(200);
        assertThat(w.role(u)).isEqualTo("builder");
        w.patchRole(u, "superuser").expect(400);
        // The attribute is kept for the day the source goes back to it: its change is journalled, and sent
        // as an event, under the one name that is no SCIM attribute (README), never as 'role'.
        assertThat(w.query("SELECT string_agg(array_to_string(changed_attributes, ','), ' ' ORDER BY id) "
                + "FROM change_journal WHERE resource_id = ? AND operation = 'update' AND cause IS NULL", u))
                .containsExactly("attributeRole attributeRole");
    }

    @Test
    void withHighestTheRoleIsTheHigherOfTheAttributeAndTheGroups() {
        Setup s = new Setup("highest");
        RoleWorkspace w = s.w;
        String u = w.user("high", "builder");
        assertThat(w.role(u)).isEqualTo("builder");
        w.patchGroup(s.admins, "add", "members", members(u)).expect(204);
        assertThat(w.role(u)).isEqualTo("admin");
        w.patchRole(u, "end-user").expect(200);
        assertThat(w.role(u)).as("the groups' admin is higher").isEqualTo("admin");
        w.patchGroup(s.admins, "remove", "members", members(u)).expect(204);
        assertThat(w.role(u)).as("the attribute sent last counts once the group is gone").isEqualTo("end-user");
        w.patchRole(u, "builder").expect(200);
        assertThat(w.role(u)).isEqualTo("builder");
    }

    @ParameterizedTest
    @ValueSource(strings = {"groups", "highest"})
    void aPatchOfAnotherAttributeKeepsTheRoleTheIdpSentNotTheGroupsRole(String source) {
        Setup s = new Setup(source);
        RoleWorkspace w = s.w;
        String u = s.adminByGroup("kept-attribute");
        w.scim("PATCH", "/Users/" + u, ScimValues.ops("{\"op\":\"replace\",\"path\":\"displayName\",\"value\":\"Kept\"}"))
                .expect(200);
        assertThat(w.query("SELECT attribute_role FROM workspace_members WHERE user_id = ?", u))
                .as("the attribute the IdP sent, not the role the group gave").containsExactly("end-user");
        String version = w.scim("PATCH", "/Users/" + u, ScimValues.ops("{\"op\":\"replace\",\"path\":\"active\",\"value\":true}"))
                .expect(200).path("meta").path("version").asText();
        assertThat(w.scim("GET", "/Users/" + u, null).expect(200).path("meta").path("version").asText())
                .as("a PATCH that changes nothing keeps the version").isEqualTo(version);
        w.patchGroup(s.admins, "remove", "members", members(u)).expect(204);
        assertThat(w.role(u)).as("leaving the group takes its role away").isEqualTo("end-user");
        w.source("attribute");
        assertThat(w.role(u)).as("the attribute comes back").isEqualTo("end-user");
    }

    @Test
    void aMappedNameMatchesTheGroupAsTheDatabaseFoldsIt() {
        RoleWorkspace w = new Setup("groups").w;
        w.mappings("[{\"group\":\"tooljet-admins\",\"role\":\"admin\"},{\"group\":\"ik\",\"role\":\"builder\"},"
                + "{\"group\":\"ΔΙΑΧΕΙΡΙΣΤΕΣ\",\"role\":\"builder\"}]");
        String dotted = w.user("dotted", "end-user");
        String dottedGroup = w.group("İK", dotted);
        assertThat(w.role(dotted)).as("İK folds to ik, as the database folds it").isEqualTo("builder");
        w.patchGroup(dottedGroup, "remove", "members", members(dotted)).expect(204);
        assertThat(w.role(dotted)).as("and leaving it is seen too").isEqualTo("end-user");
        String sigma = w.user("sigma", "end-user");
        w.group("διαχειριστεσ", sigma);
        assertThat(w.role(sigma)).as("a capital sigma at the end of a word folds to σ, as in the database")
                .isEqualTo("builder");

        String wide = "\uD83D\uDE00".repeat(200);
        w.group(wide);
        w.mappings("[{\"group\":\"tooljet-admins\",\"role\":\"admin\"},{\"group\":\"" + wide
                + "\",\"role\":\"builder\"}]");
    }

    /** A mapping by id names that group only: another an IdP names with the id does not take its role. */
    @Test
    void aGroupNamedWithAnotherGroupsIdTakesNotItsRole() {
        RoleWorkspace w = new Setup("groups").w;
        String mapped = w.group("mapped-by-id");
        w.mappings("[{\"group\":\"tooljet-admins\",\"role\":\"admin\"},{\"group\":\"" + mapped
                + "\",\"role\":\"builder\"}]");
        String inMapped = w.user("in-mapped", "end-user");
        w.patchGroup(mapped, "add", "members", members(inMapped)).expect(204);
        String namedLikeIt = w.user("named-like-it", "end-user");
        w.group(mapped, namedLikeIt);
        assertThat(w.role(inMapped)).isEqualTo("builder");
        assertThat(w.role(namedLikeIt)).as("named with the mapped id, not it").isEqualTo("end-user");
    }

    @ParameterizedTest
    @ValueSource(strings = {"groups", "highest"})
    void aPutThatSendsBackTheRoleItReadKeepsTheAttribute(String source) {
        Setup s = new Setup(source);
        RoleWorkspace w = s.w;
        String u = s.adminByGroup("read-back");
        ObjectNode read = (ObjectNode) w.scim("GET", "/Users/" + u, null).expect(200);
        assertThat(read.path(RoleWorkspace.TOOLJET).path("role").asText()).isEqualTo("admin");
        // Okta's update: the user as read, one attribute changed, sent back whole.
        read.put("displayName", "Read Back");
        w.scim("PUT", "/Users/" + u, read.toString()).expect(200);
        assertThat(w.query("SELECT attribute_role FROM workspace_members WHERE user_id = ?", u))
                .as("the role shown is not taken as the IdP's").containsExactly("end-user");
        w.patchGroup(s.admins, "remove", "members", members(u)).expect(204);
        assertThat(w.role(u)).as("leaving the group takes its role away").isEqualTo("end-user");
        w.source("attribute");
        assertThat(w.role(u)).isEqualTo("end-user");

        // A role other than the one shown is the IdP's own.
        w.source(source);
        ObjectNode assigned = (ObjectNode) w.scim("GET", "/Users/" + u, null).expect(200);
        assigned.with(RoleWorkspace.TOOLJET).put("role", "builder");
        w.scim("PUT", "/Users/" + u, assigned.toString()).expect(200);
        assertThat(w.query("SELECT attribute_role FROM workspace_members WHERE user_id = ?", u))
                .containsExactly("builder");
    }

    @Test
    void changingTheSourceRecomputesEveryMemberAndTheAttributeComesBack() {
        Setup s = new Setup("attribute");
        RoleWorkspace w = s.w;
        String builder = w.user("attr-builder", "builder");
        String admin = w.user("attr-admin", "admin");
        String grouped = w.user("grouped", "end-user");
        w.group("tooljet-builders", grouped);
        assertThat(List.of(w.role(builder), w.role(admin), w.role(grouped)))
                .containsExactly("builder", "admin", "end-user");

        w.source("groups");
        assertThat(List.of(w.role(builder), w.role(admin), w.role(grouped), w.role(s.keeper)))
                .containsExactly("end-user", "end-user", "builder", "admin");
        assertThat(w.roleJournal(builder)).containsExactly("create - api-token:idp", "update role-source admin");

        w.source("highest");
        assertThat(List.of(w.role(builder), w.role(admin), w.role(grouped)))
                .containsExactly("builder", "admin", "builder");
        w.source("attribute");
        assertThat(List.of(w.role(builder), w.role(admin), w.role(grouped)))
                .containsExactly("builder", "admin", "end-user");

        w.source("groups");
        w.mappings("[{\"group\":\"tooljet-admins\",\"role\":\"admin\"}]");
        assertThat(w.role(grouped)).isEqualTo("end-user");
        assertThat(w.roleJournal(grouped)).last().isEqualTo("update role-mapping admin");
        assertThat(w.query("SELECT string_agg(array_to_string(changed_attributes, ','), ' ' ORDER BY id) "
                + "FROM change_journal WHERE resource_type = 'Workspace' AND resource_id = ? AND operation = 'update' "
                + "AND credential = 'admin'", w.id.toString()))
                .containsExactly("roleMappings roleSource roleSource roleSource roleSource roleMappings");
    }

    @Test
    void theLastActiveAdminHoldsThroughGroupsAndNothingOfARefusedChangeIsApplied() {
        Setup s = new Setup("groups");
        RoleWorkspace w = s.w;
        String other = w.user("other", null);

        Exchange removal = w.patchGroup(s.admins, "remove", "members[value eq \\\"" + s.keeper + "\\\"]", null);
        assertThat(removal.expect(400).path("detail").asText()).contains("at least one active admin");
        assertThat(w.groupMembers(s.admins)).containsExactly(s.keeper);
        assertThat(List.of(w.role(s.keeper), w.role(other))).containsExactly("admin", "end-user");
        w.patchGroup(s.admins, "remove", "members", null).expect(400);
        w.patchGroup(s.admins, "replace", "members", members(other, s.keeper)).expect(204);
        w.patchGroup(s.admins, "remove", "members", members(other, s.keeper)).expect(400);
        w.patchGroup(s.admins, "remove", "members", members(other)).expect(204);
        w.scim("PUT", "/Groups/" + s.admins, "{\"displayName\":\"tooljet-admins\",\"members\":[]}").expect(400);
        w.patchGroup(s.admins, "replace", "displayName", "\"not-admins\"").expect(400);
        w.scim("DELETE", "/Groups/" + s.admins, null).expect(400);
        assertThat(w.groupMembers(s.admins)).containsExactly(s.keeper);
        assertThat(w.adminPut("role-mappings", "[]").statusCode()).isEqualTo(400);
        assertThat(w.adminPut("settings", "{\"roleSource\":\"groups\"}").statusCode()).isEqualTo(200);
        assertThat(w.roleJournal(s.keeper)).doesNotContain("update role-mapping admin");

        w.patchGroup(s.admins, "add", "members", members(other)).expect(204);
        w.patchGroup(s.admins, "remove", "members", members(s.keeper)).expect(204);
        assertThat(List.of(w.role(s.keeper), w.role(other))).containsExactly("end-user", "admin");
    }

    @Test
    void aMembershipChangeRacingARolePatchEndsAsTheRecomputationSays() throws Exception {
        Setup s = new Setup("highest");
        RoleWorkspace w = s.w;
        String u = w.user("racer", "end-user");
        int rounds = 16;
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<?> memberships = threads.submit(() -> {
                for (int i = 0; i < rounds; i++) {
                    w.patchGroup(s.admins, i % 2 == 0 ? "add" : "remove", "members", members(u)).expect(204);
                }
            });
            Future<?> roles = threads.submit(() -> {
                for (int i = 0; i < rounds; i++) {
                    w.patchRole(u, i % 2 == 0 ? "builder" : "end-user").expect(200);
                }
            });
            memberships.get();
            roles.get();
        } finally {
            threads.shutdownNow();
        }
        assertThat(w.groupMembers(s.admins)).containsExactly(s.keeper);
        assertThat(w.role(u)).isEqualTo("end-user");
        w.patchGroup(s.admins, "add", "members", members(u)).expect(204);
        assertThat(w.role(u)).isEqualTo("admin");
        // Every member's stored role is the one its attribute and groups give, whatever the order was.
        assertThat(w.query("SELECT count(*) FROM workspace_members m WHERE m.workspace_id = ? AND m.role <> "
                + "CASE WHEN EXISTS (SELECT 1 FROM group_members gm JOIN groups g ON g.id = gm.group_id "
                + "WHERE gm.user_id = m.user_id AND g.name = 'tooljet-admins') THEN 'admin' "
                + "ELSE coalesce(m.attribute_role, m.role) END", w.id.toString())).containsExactly("0");
    }

    /**
     * A mapped group of thousands, renamed, emptied by a PUT and deleted: every member's role follows,
     * each change journalled once with the group as its cause, and a delete that would leave no active
     * admin is refused whole. The members are inserted with SQL, as a directory sync would have left them.
     */
    @Test
    void aMappedGroupOfThousandsIsRenamedEmptiedAndDeleted() throws SQLException {
        Setup s = new Setup("groups");
        RoleWorkspace w = s.w;
        String builders = w.group("tooljet-builders");
        insertMembers(w, builders, "builder", THOUSANDS);
        String u1 = w.user("u1", "end-user");
        w.patchGroup(builders, "add", "members", members(u1)).expect(204);
        assertThat(roleCounts(w)).containsExactly("admin 1", "builder " + (THOUSANDS + 1));

        w.patchGroup(builders, "replace", "displayName", "\"renamed\"").expect(204);
        assertThat(roleCounts(w)).as("a rename unmaps them all").containsExactly("admin 1", "end-user "
                + (THOUSANDS + 1));
        w.patchGroup(builders, "replace", "displayName", "\"Tooljet-Builders\"").expect(204);
        assertThat(roleCounts(w)).as("a rename maps them again").containsExactly("admin 1", "builder "
                + (THOUSANDS + 1));
        w.scim("PUT", "/Groups/" + builders, "{\"displayName\":\"tooljet-builders\",\"members\":" + members(u1)
                + "}").expect(200);
        assertThat(roleCounts(w)).as("a PUT empties it but for u1").containsExactly("admin 1", "builder 1",
                "end-user " + THOUSANDS);
        w.scim("DELETE", "/Groups/" + builders, null).expect(204);
        assertThat(roleCounts(w)).containsExactly("admin 1", "end-user " + (THOUSANDS + 1));
        assertThat(w.query("SELECT count(*) FROM change_journal WHERE workspace_id = ? AND cause = ? "
                + "AND operation = 'update' AND credential = 'api-token:idp' AND 'role' = ANY(changed_attributes)",
                w.id.toString(), "group:" + builders))
                .as("u1 added, everyone unmapped and mapped again, all but u1 out, u1 out")
                .containsExactly(String.valueOf(1 + 2 * (THOUSANDS + 1) + THOUSANDS + 1));

        insertMembers(w, s.admins, "admin", THOUSANDS);
        String journal = "SELECT count(*) FROM change_journal WHERE workspace_id = ?";
        List<String> before = w.query(journal, w.id.toString());
        assertThat(w.scim("DELETE", "/Groups/" + s.admins, null).expect(400).path("detail").asText())
                .contains("at least one active admin");
        w.scim("PUT", "/Groups/" + s.admins, "{\"displayName\":\"tooljet-admins\",\"members\":[]}").expect(400);
        assertThat(roleCounts(w)).as("nothing of the refused changes is applied")
                .containsExactly("admin " + (THOUSANDS + 1), "end-user " + (THOUSANDS + 1));
        assertThat(w.groupMembers(s.admins)).hasSize(THOUSANDS + 1);
        assertThat(w.query(journal, w.id.toString())).isEqualTo(before);
    }

    private static final int THOUSANDS = 3000;

    private static List<String> roleCounts(RoleWorkspace w) {
        return w.query("SELECT role || ' ' || count(*) FROM workspace_members WHERE workspace_id = ? GROUP BY role "
                + "ORDER BY role", w.id.toString());
    }

    /** {@code count} new members of the group, with the role it gives them and end-user as their attribute. */
    private static void insertMembers(RoleWorkspace w, String groupId, String role, int count) throws SQLException {
        try (Connection c = WorkspaceFixtures.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement people = c.prepareStatement("CREATE TEMP TABLE mapped_people ON COMMIT DROP AS "
                    + "SELECT n, gen_random_uuid() AS id FROM generate_series(1, ?) n");
                 PreparedStatement users = c.prepareStatement("INSERT INTO users (id, created_at, updated_at) "
                         + "SELECT id, now(), now() FROM mapped_people");
                 PreparedStatement members = c.prepareStatement("INSERT INTO workspace_members (workspace_id, user_id, "
                         + "user_name, role, attribute_role, status, created_at, last_modified) SELECT ?, p.id, "
                         + "'mapped-' || p.id, ?, 'end-user', 'active', now(), now() FROM mapped_people p");
                 PreparedStatement join = c.prepareStatement("INSERT INTO group_members (group_id, workspace_id, "
                         + "user_id) SELECT ?, ?, p.id FROM mapped_people p")) {
                people.setInt(1, count);
                people.execute();
                users.execute();
                members.setObject(1, w.id);
                members.setString(2, role);
                members.execute();
                join.setObject(1, UUID.fromString(groupId));
                join.setObject(2, w.id);
                join.execute();
            }
            c.commit();
        }
    }
}
