package dev.scimserver.store;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database whose names kept a no-break space at an end (the server trimmed with String.strip()),
 * upgraded: they are trimmed as the server now keeps them, so the IdP's next filter finds them by
 * their own spelling; one that trimmed would be another's is left, and the upgrade goes on.
 */
class NoBreakSpacesMigrationTest {
    private static final String NBSP = "\u00a0";
    private static final String NARROW_NBSP = "\u202f";
    private static final String FIGURE_SPACE = "\u2007";

    @Test
    void namesWithANoBreakSpaceAtAnEndAreTrimmedAndTheirVersionsMove() throws SQLException {
        try (ScratchDatabase scratch = ScratchDatabase.atVersion("46")) {
            UUID person = person(scratch, "ada@x.com" + NBSP);
            member(scratch, person, "ada" + NBSP, NARROW_NBSP + "ada@x.com" + NBSP);
            group(scratch, "Eng" + FIGURE_SPACE);
            scratch.execute("UPDATE workspaces SET role_source = 'groups', role_mappings = jsonb_build_array("
                    + "jsonb_build_object('group', 'ENG" + FIGURE_SPACE + "', 'role', 'builder'), "
                    + "jsonb_build_object('group', 'Ops', 'role', 'admin'), "
                    + "jsonb_build_object('group', 'future" + NBSP + "', 'role', 'builder')) WHERE is_default");

            scratch.migrate();

            assertThat(scratch.text("SELECT user_name FROM workspace_members")).isEqualTo("ada");
            assertThat(scratch.text("SELECT attributes->>'userName' FROM workspace_members")).isEqualTo("ada");
            assertThat(scratch.text("SELECT attributes->'emails'->0->>'value' FROM workspace_members"))
                    .isEqualTo("ada@x.com");
            assertThat(scratch.text("SELECT value FROM member_emails")).isEqualTo("ada@x.com");
            assertThat(scratch.text("SELECT version FROM workspace_members")).isEqualTo("2");
            assertThat(scratch.text("SELECT email FROM users")).isEqualTo("ada@x.com");
            assertThat(scratch.text("SELECT name FROM groups WHERE type = 'custom'")).isEqualTo("Eng");
            assertThat(scratch.text("SELECT attributes->>'displayName' FROM groups WHERE type = 'custom'"))
                    .isEqualTo("Eng");
            assertThat(scratch.text("SELECT version FROM groups WHERE type = 'custom'")).isEqualTo("2");
            // The mapping follows its group's new name, so it gives the same roles; one naming no group
            // names the group an IdP will create under that name, which the server now trims.
            assertThat(scratch.text("SELECT role_mappings::text FROM workspaces WHERE is_default"))
                    .isEqualTo("[{\"role\": \"builder\", \"group\": \"ENG\"}, {\"role\": \"admin\", \"group\": \"Ops\"}, "
                            + "{\"role\": \"builder\", \"group\": \"future\"}]");
        }
    }

    @Test
    void aNameThatTrimmedWouldBeAnothersIsLeftAndTheUpgradeGoesOn() throws SQLException {
        try (ScratchDatabase scratch = ScratchDatabase.atVersion("46")) {
            member(scratch, person(scratch, "bob@x.com"), "bob", "bob@x.com");
            member(scratch, person(scratch, "bob2@x.com"), "bob" + NBSP, "bob2@x.com");
            member(scratch, person(scratch, "cy@x.com" + NBSP), "cy" + NBSP, "cy@x.com" + NBSP);
            member(scratch, person(scratch, "cy@x.com" + NARROW_NBSP), "cy" + NARROW_NBSP, "cy@x.com" + NARROW_NBSP);
            member(scratch, person(scratch, "dee@x.com"), "dee", "dee@x.com");
            member(scratch, person(scratch, "dee2@x.com"), "dee2", "dee@x.com" + NBSP);
            String adminNbsp = group(scratch, "admin" + NBSP);
            group(scratch, "Ops");
            group(scratch, "Ops" + NBSP);
            group(scratch, "lab" + NBSP);
            group(scratch, "hr");
            String eta = group(scratch, "eta" + NBSP);
            group(scratch, "eta");
            String plain = group(scratch, "plain");
            // A group whose trimmed name would read as plain's id is kept: mapped by that name, it would
            // name plain as well.
            group(scratch, plain + NARROW_NBSP);
            // "LAB" names no group, and would name the lab group renamed; the eta group, kept beside "eta",
            // is mapped by name and by id; "qa" twice and "theta" twice name no group; "hr" + NBSP and
            // plain's id + NBSP name none and never can; "admin" + NBSP names the group kept under that name
            // (a role's, trimmed).
            scratch.execute("UPDATE workspaces SET role_source = 'groups', role_mappings = jsonb_build_array("
                    + mapping("lab" + NBSP, "builder") + ", " + mapping("LAB", "admin") + ", "
                    + mapping("qa" + FIGURE_SPACE, "builder") + ", " + mapping("qa", "end-user") + ", "
                    + mapping("hr" + NBSP, "admin") + ", " + mapping("eta" + NBSP, "admin") + ", "
                    + mapping(eta.toUpperCase(java.util.Locale.ROOT), "builder") + ", "
                    + mapping("admin" + NBSP, "builder") + ", " + mapping(plain + NBSP, "admin") + ", "
                    + mapping("theta" + NBSP, "admin") + ", " + mapping("theta" + FIGURE_SPACE, "builder")
                    + ") WHERE is_default");

            scratch.migrate();

            assertThat(scratch.text("SELECT string_agg(user_name, '|' ORDER BY user_name) FROM workspace_members"))
                    .isEqualTo(String.join("|", "bob", "bob" + NBSP, "cy" + NBSP, "cy" + NARROW_NBSP, "dee", "dee2"));
            assertThat(scratch.text("SELECT attributes->'emails'->0->>'value' FROM workspace_members "
                    + "WHERE user_name = 'dee2'")).isEqualTo("dee@x.com" + NBSP);
            assertThat(scratch.text("SELECT count(*) FROM workspace_members WHERE version = 1")).isEqualTo("6");
            assertThat(scratch.text("SELECT count(*) FROM users WHERE email IN ('cy@x.com" + NBSP + "', 'cy@x.com"
                    + NARROW_NBSP + "')")).isEqualTo("2");
            assertThat(scratch.text("SELECT string_agg(name, '|' ORDER BY name) FROM groups WHERE type = 'custom'"))
                    .isEqualTo(String.join("|", new java.util.TreeSet<>(List.of(plain + NARROW_NBSP, "Ops", "Ops" + NBSP,
                            "admin" + NBSP, "eta", "eta" + NBSP, "hr", "lab", "plain"))));
            // Every mapping is one the server writes now (trimmed, one a group), and each gives the roles
            // it gave: lab's follows its new name and "LAB", which gave no role, goes rather than give
            // one; groups kept as they were are named by id, the eta group's two mappings are one with the
            // higher role, "qa" + a space goes beside "qa", "theta" keeps the lower role of its two, and
            // the mappings that could never name a group go.
            assertThat(scratch.text("SELECT role_mappings::text FROM workspaces WHERE is_default")).isEqualTo("["
                    + "{\"role\": \"builder\", \"group\": \"lab\"}, "
                    + "{\"role\": \"end-user\", \"group\": \"qa\"}, {\"role\": \"admin\", \"group\": \"" + eta + "\"}, "
                    + "{\"role\": \"builder\", \"group\": \"" + adminNbsp + "\"}, "
                    + "{\"role\": \"builder\", \"group\": \"theta\"}]");
        }
    }

    /**
     * Two groups whose names trimmed are one are both kept; the IdP's next write of either by its own name
     * renames it trimmed (the server trims what it is sent), and a mapping that named no group would then
     * name it: its members would get a role the mapping never gave them (V48).
     */
    @Test
    void aMappingThatAKeptGroupWouldTakeWhenRenamedIsRemoved() throws SQLException {
        try (ScratchDatabase scratch = ScratchDatabase.atVersion("46")) {
            group(scratch, "cy" + NBSP);
            group(scratch, "cy" + NARROW_NBSP);
            String id = UUID.randomUUID().toString();
            group(scratch, id + NBSP);
            group(scratch, "Ops" + NBSP);
            group(scratch, "Ops");
            scratch.execute("UPDATE workspaces SET role_source = 'highest', role_mappings = jsonb_build_array("
                    + mapping("CY", "admin") + ", " + mapping("dev", "builder") + ", " + mapping("ops", "admin") + ", "
                    + mapping(id, "builder") + ", " + mapping("cy" + FIGURE_SPACE, "builder") + ") WHERE is_default");

            scratch.migrate();

            assertThat(scratch.text("SELECT count(*) FROM groups WHERE type = 'custom' AND name ~ '[\u00a0\u202f]'"))
                    .isEqualTo("4");
            // "dev" still names the group an IdP may create; "ops" names the group named so; a mapping by an
            // id names the group with that id only, never one renamed to it.
            assertThat(scratch.text("SELECT role_mappings::text FROM workspaces WHERE is_default")).isEqualTo("["
                    + "{\"role\": \"builder\", \"group\": \"dev\"}, {\"role\": \"admin\", \"group\": \"ops\"}, "
                    + "{\"role\": \"builder\", \"group\": \"" + id + "\"}]");
        }
    }

    private static UUID person(ScratchDatabase scratch, String email) throws SQLException {
        UUID id = UUID.randomUUID();
        scratch.execute("INSERT INTO users (id, email, created_at, updated_at) VALUES ('" + id + "', '" + email
                + "', now(), now())");
        return id;
    }

    private static void member(ScratchDatabase scratch, UUID person, String userName, String email)
            throws SQLException {
        scratch.execute("INSERT INTO workspace_members (workspace_id, user_id, user_name, role, status, attributes, "
                + "created_at, last_modified) SELECT id, '" + person + "', '" + userName + "', 'end-user', 'active', "
                + "jsonb_build_object('userName', '" + userName + "', 'emails', jsonb_build_array(jsonb_build_object("
                + "'value', '" + email + "', 'primary', true))), now(), now() FROM workspaces WHERE is_default");
    }

    /**
     * A mapping that reads as an id now names that group only; one that also named a group whose
     * displayName is that text names it by its own id as well, so its members keep their role.
     */
    @Test
    void aMappingThatReadsAsAnIdAlsoNamesByIdTheGroupNamedWithIt() throws SQLException {
        try (ScratchDatabase scratch = ScratchDatabase.atVersion("46")) {
            String unused = UUID.randomUUID().toString();
            String namedUnused = group(scratch, unused);
            String target = group(scratch, "target");
            String namedTarget = group(scratch, target.toUpperCase(java.util.Locale.ROOT));
            scratch.execute("UPDATE workspaces SET role_source = 'groups', role_mappings = jsonb_build_array("
                    + mapping(unused, "builder") + ", " + mapping(target, "admin") + ", "
                    + mapping(namedTarget, "end-user") + ") WHERE is_default");

            scratch.migrate();

            assertThat(scratch.text("SELECT role_mappings::text FROM workspaces WHERE is_default")).isEqualTo("["
                    + "{\"role\": \"builder\", \"group\": \"" + namedUnused + "\"}, "
                    + "{\"role\": \"admin\", \"group\": \"" + target + "\"}, "
                    + "{\"role\": \"admin\", \"group\": \"" + namedTarget + "\"}]");
        }
    }

    private static String mapping(String group, String role) {
        return "jsonb_build_object('group', '" + group + "', 'role', '" + role + "')";
    }

    private static String group(ScratchDatabase scratch, String name) throws SQLException {
        String id = UUID.randomUUID().toString();
        scratch.execute("INSERT INTO groups (id, workspace_id, name, type, attributes, created_at, last_modified) "
                + "SELECT '" + id + "', id, '" + name + "', 'custom', jsonb_build_object('displayName', '" + name
                + "'), now(), now() FROM workspaces WHERE is_default");
        return id;
    }
}
