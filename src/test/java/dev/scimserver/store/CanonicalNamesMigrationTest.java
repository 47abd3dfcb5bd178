package dev.scimserver.store;

import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A database of the version before names were kept canonical, upgraded: what it stored as sent is
 * trimmed and in NFC afterwards, so the IdP's next create finds it instead of making a second
 * member; names that turn out to be one are named, not met by a bare unique violation.
 */
class CanonicalNamesMigrationTest {
    /** "é" decomposed: e and a combining acute accent. */
    private static final String DECOMPOSED_E = "e\u0301";

    @Test
    void namesStoredAsSentAreMadeCanonical() throws SQLException {
        try (ScratchDatabase scratch = ScratchDatabase.atVersion("11")) {
            scratch.execute("INSERT INTO users (id, email, created_at, updated_at) VALUES "
                    + "('00000000-0000-0000-0000-000000000001', ' ada@x.com ', now(), now())");
            scratch.execute("INSERT INTO workspace_members (workspace_id, user_id, user_name, role, status, attributes, "
                    + "created_at, last_modified) SELECT id, '00000000-0000-0000-0000-000000000001', 'Ren" + DECOMPOSED_E
                    + "e ', 'end-user', 'active', jsonb_build_object('userName', 'Ren" + DECOMPOSED_E + "e ', 'emails', "
                    + "jsonb_build_array(jsonb_build_object('value', ' ada@x.com ', 'primary', true))), now(), now() "
                    + "FROM workspaces WHERE is_default");
            scratch.execute("INSERT INTO groups (id, workspace_id, name, type, attributes, created_at, last_modified) "
                    + "SELECT '00000000-0000-0000-0000-0000000000a1', id, ' Caf" + DECOMPOSED_E + "', 'custom', "
                    + "jsonb_build_object('displayName', ' Caf" + DECOMPOSED_E + "'), now(), now() FROM workspaces "
                    + "WHERE is_default");

            scratch.migrate();

            assertThat(scratch.text("SELECT email FROM users")).isEqualTo("ada@x.com");
            assertThat(scratch.text("SELECT user_name FROM workspace_members")).isEqualTo("Ren\u00e9e");
            assertThat(scratch.text("SELECT attributes->>'userName' FROM workspace_members")).isEqualTo("Ren\u00e9e");
            assertThat(scratch.text("SELECT value FROM member_emails")).isEqualTo("ada@x.com");
            assertThat(scratch.text("SELECT name FROM groups WHERE type = 'custom'")).isEqualTo("Caf\u00e9");
            assertThat(scratch.text("SELECT attributes->>'displayName' FROM groups WHERE type = 'custom'"))
                    .isEqualTo("Caf\u00e9");
        }
    }

    @Test
    void namesThatBecomeOneAreNamedBeforeAnyIndexRefusesThem() throws SQLException {
        try (ScratchDatabase scratch = ScratchDatabase.atVersion("11")) {
            for (String userName : new String[] {"Ren\u00e9e", "Ren" + DECOMPOSED_E + "e"}) {
                UUID id = UUID.randomUUID();
                scratch.execute("INSERT INTO users (id, created_at, updated_at) VALUES ('" + id + "', now(), now())");
                scratch.execute("INSERT INTO workspace_members (workspace_id, user_id, user_name, role, status, "
                        + "created_at, last_modified) SELECT id, '" + id + "', '" + userName + "', 'end-user', "
                        + "'active', now(), now() FROM workspaces WHERE is_default");
            }
            assertThatThrownBy(scratch::migrate).isInstanceOf(FlywayException.class)
                    .hasMessageContaining("workspace_members.user_name");
        }
    }
}
