package dev.scimserver.store;

import dev.scimserver.directory.GroupMember;
import dev.scimserver.directory.MemberRef;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.StatementContext;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/** The SQL of group membership (group_members), changed as sets and never loaded to be changed. */
final class MembershipRows {
    private final Handle handle;
    private final PlainStatements plain;

    MembershipRows(Handle handle, PlainStatements plain) {
        this.handle = handle;
        this.plain = plain;
    }

    /** A row of {@link #membersOfGroups}. */
    private static final class GroupMemberMapper implements RowMapper<GroupMember> {
        @Override
        public GroupMember map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new GroupMember(rs.getObject("group_id", UUID.class),
                    new MemberRef(rs.getObject("user_id", UUID.class), rs.getString("display")));
        }
    }

    Stream<GroupMember> membersOfGroups(List<UUID> groupIds) {
        if (groupIds.isEmpty()) {
            return Stream.empty();
        }
        // Inside a transaction autocommit is off, so the driver reads the rows 1,000 at a time
        // through a portal instead of materialising the whole result.
        Query members = handle.createQuery("SELECT gm.group_id, m.user_id, "
                        + "coalesce(m.display_name, m.user_name) AS display "
                        + "FROM unnest(:groups) WITH ORDINALITY AS page(id, n) "
                        + "JOIN group_members gm ON gm.group_id = page.id "
                        + "JOIN workspace_members m ON m.workspace_id = gm.workspace_id AND m.user_id = gm.user_id "
                        + "ORDER BY page.n, m.created_at, m.user_id")
                .bind("groups", groupIds.toArray(new UUID[0]))
                .setFetchSize(1000);
        // Planned for the ids it is given: where a few groups hold most memberships, a plan made for
        // any ids reads all of group_members through a hash join, for a group of one member as well.
        PageSql.planForValues(members);
        return members.map(new GroupMemberMapper()).stream();
    }

    /**
     * FOR KEY SHARE, the lock the foreign key of group_members takes on its own: a DELETE of the
     * member waits until this transaction ends, and a DELETE under way is waited for, after which
     * the member is found gone.
     */
    Set<UUID> lockMembers(UUID workspaceId, Collection<UUID> userIds) {
        return new HashSet<>(plain.uuids("SELECT user_id FROM workspace_members "
                + "WHERE workspace_id = ? AND user_id = ANY(?) FOR KEY SHARE", workspaceId, userIds.toArray(new UUID[0])));
    }

    int add(UUID workspaceId, UUID groupId, Collection<UUID> userIds) {
        return plain.update("INSERT INTO group_members (group_id, workspace_id, user_id) "
                + "SELECT ?, ?, u FROM unnest(?) AS u ON CONFLICT DO NOTHING", groupId, workspaceId,
                userIds.toArray(new UUID[0]));
    }

    int remove(UUID groupId, Collection<UUID> userIds) {
        return plain.update("DELETE FROM group_members WHERE group_id = ? AND user_id = ANY(?)", groupId,
                userIds.toArray(new UUID[0]));
    }

    /**
     * Every member of the group but {@code kept} removed. The anti-join keeps the replacement of a large
     * group linear: {@code <> ALL} would compare each row with every kept id.
     */
    int removeAllBut(UUID groupId, Collection<UUID> kept) {
        if (kept.isEmpty()) {
            return handle.createUpdate("DELETE FROM group_members WHERE group_id = :group").bind("group", groupId)
                    .execute();
        }
        return handle.createUpdate("DELETE FROM group_members gm WHERE gm.group_id = :group AND NOT EXISTS "
                        + "(SELECT 1 FROM unnest(CAST(:kept AS uuid[])) AS k(user_id) WHERE k.user_id = gm.user_id)")
                .bind("group", groupId).bind("kept", kept.toArray(new UUID[0])).execute();
    }

    /** One index-only count per group, on group_members' primary key. */
    Map<UUID, Long> countMembers(Collection<UUID> groupIds) {
        Map<UUID, Long> counts = new HashMap<>();
        if (groupIds.isEmpty()) {
            return counts;
        }
        handle.createQuery("SELECT gm.group_id, count(*) AS members FROM group_members gm "
                        + "WHERE gm.group_id = ANY(:groups) GROUP BY gm.group_id")
                .bind("groups", groupIds.toArray(new UUID[0]))
                .map((rs, ctx) -> Map.entry(rs.getObject("group_id", UUID.class), rs.getLong("members")))
                .forEach(entry -> counts.put(entry.getKey(), entry.getValue()));
        return counts;
    }
}
