package dev.scimserver.store;

import dev.scimserver.directory.JournalEntry;
import org.jdbi.v3.core.Handle;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** Reads of the change journal (V10), which triggers write. */
final class JournalRows {
    private JournalRows() {
    }

    /** Walks the index change_journal_resource backwards from the newest row; the workspace only confines it. */
    static List<JournalEntry> of(Handle handle, UUID workspaceId, String resourceType, UUID resourceId, int limit) {
        return handle.createQuery("SELECT id, occurred_at, credential, request_id, request, operation, "
                        + "changed_attributes FROM change_journal WHERE resource_type = :type AND resource_id = :id "
                        + "AND workspace_id = :workspace ORDER BY id DESC LIMIT :limit")
                .bind("type", resourceType).bind("id", resourceId).bind("workspace", workspaceId)
                .bind("limit", limit)
                .map((rs, ctx) -> entry(rs))
                .list();
    }

    private static JournalEntry entry(ResultSet rs) throws SQLException {
        Array changed = rs.getArray("changed_attributes");
        List<String> names = changed == null ? List.of() : Arrays.asList((String[]) changed.getArray());
        return new JournalEntry(rs.getLong("id"), StoredValues.instant(rs, "occurred_at"), rs.getString("credential"),
                rs.getString("request_id"), rs.getString("request"), rs.getString("operation"), names);
    }
}
