package dev.scimserver.store;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V30 kept the last version of each membership that left from then on, and nothing of those that had
 * left before: such a person, provisioned again, started at version 1, and the entity tags of its first
 * life named its second. V45 gives each of them a version past every change its journal holds, and
 * raises a version V30 kept below that (a person that left before it, came back at 1, and left again).
 */
class RetiredVersionsMigrationTest {

    @Test
    void aMemberThatLeftBeforeV30ContinuesPastItsJournal() throws SQLException {
        try (ScratchDatabase scratch = ScratchDatabase.atVersion("44")) {
            UUID workspace = CredentialTestDatabase.newWorkspace(scratch.dataSource());
            UUID leftBefore = UUID.randomUUID();
            UUID leftSince = UUID.randomUUID();
            UUID leftTwice = UUID.randomUUID();
            UUID stayed = UUID.randomUUID();
            journal(scratch, workspace, leftBefore, "create", "update", "archive", "delete");
            journal(scratch, workspace, leftSince, "create", "delete");
            scratch.execute("INSERT INTO retired_memberships VALUES ('" + workspace + "', '" + leftSince + "', 9)");
            // Left before V30 at its fifth version, came back at 1, left again since: V30 kept the 2.
            journal(scratch, workspace, leftTwice, "create", "update", "update", "update", "delete", "create", "delete");
            scratch.execute("INSERT INTO retired_memberships VALUES ('" + workspace + "', '" + leftTwice + "', 2)");
            journal(scratch, workspace, stayed, "create", "update");
            scratch.execute("INSERT INTO users (id, created_at, updated_at) VALUES ('" + stayed + "', now(), now())");
            scratch.execute("INSERT INTO workspace_members (workspace_id, user_id, user_name, role, status, created_at, "
                    + "last_modified) VALUES ('" + workspace + "', '" + stayed + "', 'stayed', 'end-user', 'active', "
                    + "now(), now())");

            scratch.migrate();

            assertThat(scratch.text("SELECT string_agg(CASE user_id WHEN '" + leftBefore + "' THEN 'before' "
                    + "WHEN '" + leftSince + "' THEN 'since' WHEN '" + leftTwice + "' THEN 'twice' ELSE 'stayed' END "
                    + "|| ' ' || version, ', ' ORDER BY version) FROM retired_memberships"))
                    .as("a version V30 kept stays when higher; no one still a member is retired")
                    .isEqualTo("before 4, twice 7, since 9");
        }
    }

    private static void journal(ScratchDatabase scratch, UUID workspace, UUID user, String... operations)
            throws SQLException {
        for (String operation : operations) {
            scratch.execute("INSERT INTO change_journal (workspace_id, resource_type, resource_id, operation) VALUES ('"
                    + workspace + "', 'User', '" + user + "', '" + operation + "')");
        }
    }
}
