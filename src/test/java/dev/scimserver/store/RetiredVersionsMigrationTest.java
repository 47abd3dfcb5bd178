package dev.scimserver.store;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V30 kept the last version of each membership that left from then on, and nothing of those that had
 * left before: such a person, provisioned again, started at version 1, and the entity tags of its first
 * life named its second. V45 moves each person the journal shows deleted before V30 far past its
 * journalled changes: gone, as its retired version (a version V30 kept stays when higher); a member
 * again, as its version. Those deleted since V30, and members never deleted, keep theirs.
 */
class RetiredVersionsMigrationTest {
    private static final String BEFORE_V30 = "2025-06-01T00:00:00Z";

    @Test
    void aMemberDeletedBeforeV30ContinuesFarPastItsJournal() throws SQLException {
        try (ScratchDatabase scratch = ScratchDatabase.atVersion("44")) {
            scratch.execute("UPDATE flyway_schema_history SET installed_on = '2026-01-01' WHERE version = '30'");
            UUID workspace = CredentialTestDatabase.newWorkspace(scratch.dataSource());
            UUID leftBefore = UUID.randomUUID();
            UUID leftSince = UUID.randomUUID();
            UUID leftTwice = UUID.randomUUID();
            UUID returned = UUID.randomUUID();
            UUID stayed = UUID.randomUUID();
            journal(scratch, workspace, leftBefore, BEFORE_V30, "create", "update", "archive", "delete");
            journal(scratch, workspace, leftSince, null, "create", "delete");
            scratch.execute("INSERT INTO retired_memberships VALUES ('" + workspace + "', '" + leftSince + "', 9)");
            // Deleted before V30, back at 1, deleted again since: V30 kept its second life's 2.
            journal(scratch, workspace, leftTwice, BEFORE_V30, "create", "update", "update", "update", "delete",
                    "create");
            journal(scratch, workspace, leftTwice, null, "delete");
            scratch.execute("INSERT INTO retired_memberships VALUES ('" + workspace + "', '" + leftTwice + "', 2)");
            journal(scratch, workspace, returned, BEFORE_V30, "create", "delete", "create");
            member(scratch, workspace, returned, 3);
            journal(scratch, workspace, stayed, BEFORE_V30, "create", "update");
            member(scratch, workspace, stayed, 2);

            scratch.migrate();

            assertThat(scratch.text("SELECT string_agg(CASE user_id WHEN '" + leftBefore + "' THEN 'before' WHEN '"
                    + leftSince + "' THEN 'since' WHEN '" + leftTwice + "' THEN 'twice' ELSE 'other' END "
                    + "|| ' ' || version, ', ' ORDER BY version) FROM retired_memberships"))
                    .isEqualTo("since 9, before 1000004, twice 1000007");
            assertThat(scratch.text("SELECT string_agg(user_name || ' ' || version, ', ' ORDER BY version) "
                    + "FROM workspace_members")).as("3 + its 4 changes (the insert here journals one) + a million")
                    .isEqualTo("stayed 2, returned 1000007");
            assertThat(scratch.text("SELECT count(*) FROM change_journal WHERE operation = 'update' "
                    + "AND occurred_at > '2026-01-01'")).as("a version moved is no change of the member").isEqualTo("0");
        }
    }

    /** Journal rows of {@code operations}, at {@code at} (an RFC 3339 time), or now when null. */
    private static void journal(ScratchDatabase scratch, UUID workspace, UUID user, String at, String... operations)
            throws SQLException {
        for (String operation : operations) {
            scratch.execute("INSERT INTO change_journal (workspace_id, resource_type, resource_id, operation) VALUES ('"
                    + workspace + "', 'User', '" + user + "', '" + operation + "')");
        }
        if (at != null) {
            scratch.execute("UPDATE change_journal SET occurred_at = '" + at + "' WHERE resource_id = '" + user + "'");
        }
    }

    private static void member(ScratchDatabase scratch, UUID workspace, UUID user, int version) throws SQLException {
        scratch.execute("INSERT INTO users (id, created_at, updated_at) VALUES ('" + user + "', now(), now())");
        scratch.execute("INSERT INTO workspace_members (workspace_id, user_id, user_name, role, status, version, "
                + "created_at, last_modified) VALUES ('" + workspace + "', '" + user + "', '"
                + (version == 3 ? "returned" : "stayed") + "', 'end-user', 'active', " + version + ", now(), now())");
    }
}
