package dev.scimserver.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimserver.directory.Actor;
import dev.scimserver.directory.DirectoryTransaction;
import dev.scimserver.directory.Group;
import dev.scimserver.directory.GroupMember;
import dev.scimserver.directory.Member;
import dev.scimserver.directory.MemberRef;
import dev.scimserver.directory.MemberStatus;
import dev.scimserver.directory.NewMember;
import dev.scimserver.directory.Page;
import dev.scimserver.directory.Person;
import dev.scimserver.directory.ResourceRef;
import dev.scimserver.directory.Role;
import dev.scimserver.directory.SearchQuery;
import dev.scimserver.directory.UserView;
import dev.scimserver.scim.ScimException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.postgresql.util.PSQLException;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** {@link DirectoryTransaction} on one Jdbi handle inside an open transaction. All SQL of the directory is here. */
final class PostgresTransaction implements DirectoryTransaction {
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * A user with its custom groups in one statement, the groups as {id, name} pairs: reading them
     * with a second query cost a round trip per lookup. A scalar subquery, which PostgreSQL
     * evaluates only for the rows a sorted, limited page returns.
     */
    private static final String MEMBER_SELECT = "SELECT m.user_id, m.user_name, m.external_id, m.display_name, "
            + "u.email, m.role, m.status, m.attributes::text AS attributes, m.version, m.created_at, m.last_modified, "
            + "(SELECT array_agg(ARRAY[g.id::text, g.name] ORDER BY g.name, g.id) FROM group_members gm "
            + "JOIN groups g ON g.id = gm.group_id WHERE gm.user_id = m.user_id AND g.workspace_id = m.workspace_id "
            + "AND g.type = 'custom') AS groups ";
    private static final String MEMBER_FROM = "FROM workspace_members m JOIN users u ON u.id = m.user_id ";
    private static final String GROUP_SELECT = "SELECT g.id, g.name, g.external_id, g.attributes::text AS attributes, "
            + "g.version, g.created_at, g.last_modified ";
    private static final String GROUP_FROM = "FROM groups g ";
    /** Filters name only m's columns (and subqueries on it), so the count needs no join with users. */
    static final TableSearch MEMBER_SEARCH = new TableSearch(ResourceTable.MEMBERS, MEMBER_SELECT.trim(),
            MEMBER_FROM + "WHERE m.workspace_id = ?", "FROM workspace_members m WHERE m.workspace_id = ?");
    static final TableSearch GROUP_SEARCH = new TableSearch(ResourceTable.GROUPS, GROUP_SELECT.trim(),
            GROUP_FROM + "WHERE g.workspace_id = ? AND g.type = 'custom'",
            GROUP_FROM + "WHERE g.workspace_id = ? AND g.type = 'custom'");

    private final Handle handle;
    private final SettledRows settled;
    /** Who changes what, not yet told to the journal triggers; null once told, or when nobody is to be told. */
    private Actor undescribed;

    /** A transaction whose changes the journal attributes to nobody (a loader), or one already described. */
    PostgresTransaction(Handle handle, SettledRows settled) {
        this.handle = handle;
        this.settled = settled;
    }

    /**
     * A transaction whose changes the journal attributes to {@code actor} (none: a read). The settings
     * go with the transaction's first statement: folded into it where that statement allows (a
     * create), else as a statement of their own just before it; a transaction that runs no statement
     * sends none.
     */
    PostgresTransaction(Handle handle, SettledRows settled, Actor actor) {
        this(handle, settled);
        if (actor == null) {
            return;
        }
        this.undescribed = actor;
        handle.addCustomizer(new StatementCustomizer() {
            @Override
            public void beforeExecution(PreparedStatement statement, StatementContext ctx) {
                describeChanges();
            }
        });
    }

    private void describeChanges() {
        Actor context = undescribed;
        if (context != null) {
            undescribed = null;
            describeChanges(handle, context);
        }
    }

    /** Tells the journal triggers who changes what in the handle's transaction (settings end with it). */
    static void describeChanges(Handle handle, Actor context) {
        handle.createQuery("SELECT set_config('scim.credential', ?, true) || set_config('scim.request_id', ?, true) "
                        + "|| set_config('scim.request', ?, true)")
                .bind(0, context.credential()).bind(1, context.requestId()).bind(2, context.request())
                .mapTo(String.class).one();
    }

    @Override
    public void lockWorkspace(UUID workspaceId) {
        handle.createQuery("SELECT id FROM workspaces WHERE id = ? FOR NO KEY UPDATE").bind(0, workspaceId)
                .mapTo(UUID.class).one();
    }

    /** A new person, from the named parameters {@link #bindNewUser} binds. */
    private static final String PERSON_INSERT = "INSERT INTO users (id, email, given_name, family_name, password_hash, "
            + "created_at, updated_at) SELECT :id, :email, :givenName, :familyName, :passwordHash, :now, :now ";
    /** The membership of the person in the relation the caller names next, from the same parameters. */
    private static final String MEMBER_INSERT = "INSERT INTO workspace_members (workspace_id, user_id, user_name, "
            + "external_id, display_name, role, status, attributes, version, created_at, last_modified) "
            + "SELECT :workspace, p.id, :userName, :externalId, :displayName, :role, :status, CAST(:attributes AS jsonb), "
            + ":version, :now, :now FROM ";

    /**
     * One statement, so a create costs one round trip: find the person by email, create it or
     * take it back (updated, its password the one sent or none) when it is not in the workspace, and
     * insert the membership. A person already in the workspace makes no row: nothing is written.
     */
    @Override
    public Optional<UUID> insertMemberWithPerson(UUID workspaceId, NewMember user) {
        Actor context = undescribed;
        undescribed = null;
        // The journal's settings, when still to be sent, are a CTE the insert joins: evaluated before
        // the statement ends, when the AFTER triggers that read them fire.
        Query statement = handle.createQuery((context == null ? "WITH " : "WITH described AS (SELECT "
                + "set_config('scim.credential', :credential, true) || set_config('scim.request_id', "
                + ":requestId, true) || set_config('scim.request', :request, true)), ")
                + "found AS (SELECT u.id, EXISTS (SELECT 1 FROM workspace_members m "
                + "WHERE m.workspace_id = :workspace AND m.user_id = u.id) AS in_workspace "
                + "FROM users u WHERE scim_fold(u.email) = scim_fold(:email)), "
                + "created AS (" + PERSON_INSERT + "WHERE NOT EXISTS (SELECT 1 FROM found) RETURNING id), "
                + "returned AS (UPDATE users u SET email = :email, given_name = :givenName, "
                + "family_name = :familyName, password_hash = :passwordHash, "
                + "updated_at = :now FROM found f WHERE u.id = f.id AND NOT f.in_workspace RETURNING u.id), "
                + "person AS (SELECT id FROM created UNION ALL SELECT id FROM returned) "
                + MEMBER_INSERT + "person p" + (context == null ? "" : " CROSS JOIN described") + " RETURNING user_id");
        if (context != null) {
            statement.bind("credential", context.credential()).bind("requestId", context.requestId())
                    .bind("request", context.request());
        }
        return uniquely(() -> bindNewUser(statement, workspaceId, user).mapTo(UUID.class).findOne());
    }

    /** Creating is all the batch does, so a conflict of any of its users is a 409 for the whole of it. */
    @Override
    public void insertNewMembers(UUID workspaceId, List<NewMember> users) {
        PreparedBatch batch = handle.prepareBatch("WITH created AS (" + PERSON_INSERT + "RETURNING id) "
                + MEMBER_INSERT + "created p");
        users.forEach(user -> bindNewUser(batch, workspaceId, user).add());
        uniquely(batch::execute);
    }

    private static <S extends SqlStatement<S>> S bindNewUser(S statement, UUID workspaceId, NewMember user) {
        Member member = user.member();
        return statement.bind("workspace", workspaceId).bind("id", member.userId())
                .bind("email", user.person().email()).bind("givenName", user.person().givenName())
                .bind("familyName", user.person().familyName()).bind("passwordHash", user.passwordHash())
                .bind("now", timestamp(member.created())).bind("userName", member.userName())
                .bind("externalId", member.externalId()).bind("displayName", member.displayName())
                .bind("role", member.role().value()).bind("status", member.status().value())
                .bind("attributes", json(member.attributes())).bind("version", member.version());
    }

    @Override
    public void updatePerson(UUID id, Person person, Instant now) {
        uniquely(() -> handle.createUpdate("UPDATE users SET email = ?, given_name = ?, family_name = ?, updated_at = ? "
                        + "WHERE id = ?")
                .bind(0, person.email()).bind(1, person.givenName()).bind(2, person.familyName())
                .bind(3, timestamp(now)).bind(4, id).execute());
    }

    @Override
    public void updatePasswordHash(UUID id, String passwordHash) {
        handle.createUpdate("UPDATE users SET password_hash = ? WHERE id = ?").bind(0, passwordHash).bind(1, id)
                .execute();
    }

    @Override
    public Optional<UserView> findUser(UUID workspaceId, UUID userId) {
        return user(workspaceId, userId, "");
    }

    @Override
    public Optional<UserView> findUserForUpdate(UUID workspaceId, UUID userId) {
        return user(workspaceId, userId, " FOR UPDATE OF m");
    }

    private Optional<UserView> user(UUID workspaceId, UUID userId, String lock) {
        return handle.createQuery(MEMBER_SELECT + MEMBER_FROM + "WHERE m.workspace_id = ? AND m.user_id = ?" + lock)
                .bind(0, workspaceId).bind(1, userId).map((rs, ctx) -> user(rs)).findOne();
    }

    @Override
    public void updateMember(UUID workspaceId, Member member) {
        uniquely(() -> handle.createUpdate("UPDATE workspace_members SET user_name = ?, external_id = ?, display_name = ?, "
                        + "role = ?, status = ?, attributes = CAST(? AS jsonb), version = ?, last_modified = ? "
                        + "WHERE workspace_id = ? AND user_id = ?")
                .bind(0, member.userName()).bind(1, member.externalId()).bind(2, member.displayName())
                .bind(3, member.role().value()).bind(4, member.status().value()).bind(5, json(member.attributes()))
                .bind(6, member.version()).bind(7, timestamp(member.lastModified())).bind(8, workspaceId)
                .bind(9, member.userId()).execute());
    }

    /** The member's groups go with it: group_members references the membership ON DELETE CASCADE. */
    @Override
    public boolean deleteMember(UUID workspaceId, UUID userId) {
        return handle.createUpdate("DELETE FROM workspace_members WHERE workspace_id = ? AND user_id = ?")
                .bind(0, workspaceId).bind(1, userId).execute() > 0;
    }

    @Override
    public long countActiveAdmins(UUID workspaceId) {
        return handle.createQuery("SELECT count(*) FROM workspace_members WHERE workspace_id = ? AND role = 'admin' "
                + "AND status = 'active'").bind(0, workspaceId).mapTo(Long.class).one();
    }

    @Override
    public Page<UserView> searchUsers(UUID workspaceId, SearchQuery query) {
        return SqlFaults.refusingFilterValues(() -> MEMBER_SEARCH.run(handle, workspaceId, query,
                PostgresTransaction::user));
    }

    @Override
    public Optional<Group> findGroup(UUID workspaceId, UUID groupId) {
        return group(workspaceId, groupId, "");
    }

    @Override
    public Optional<Group> findGroupForUpdate(UUID workspaceId, UUID groupId) {
        return group(workspaceId, groupId, " FOR UPDATE");
    }

    private Optional<Group> group(UUID workspaceId, UUID groupId, String lock) {
        return handle.createQuery(GROUP_SELECT + GROUP_FROM + "WHERE g.workspace_id = ? AND g.id = ? AND g.type = 'custom'"
                        + lock)
                .bind(0, workspaceId).bind(1, groupId).map((rs, ctx) -> group(rs)).findOne();
    }

    @Override
    public void insertGroup(UUID workspaceId, Group group) {
        uniquely(() -> handle.createUpdate("INSERT INTO groups (id, workspace_id, name, type, external_id, attributes, "
                        + "version, created_at, last_modified) VALUES (?, ?, ?, 'custom', ?, CAST(? AS jsonb), ?, ?, ?)")
                .bind(0, group.id()).bind(1, workspaceId).bind(2, group.displayName()).bind(3, group.externalId())
                .bind(4, json(group.attributes())).bind(5, group.version()).bind(6, timestamp(group.created()))
                .bind(7, timestamp(group.lastModified())).execute());
    }

    @Override
    public void updateGroup(UUID workspaceId, Group group) {
        uniquely(() -> handle.createUpdate("UPDATE groups SET name = ?, external_id = ?, attributes = CAST(? AS jsonb), "
                        + "version = ?, last_modified = ? WHERE workspace_id = ? AND id = ? AND type = 'custom'")
                .bind(0, group.displayName()).bind(1, group.externalId()).bind(2, json(group.attributes()))
                .bind(3, group.version()).bind(4, timestamp(group.lastModified())).bind(5, workspaceId)
                .bind(6, group.id()).execute());
    }

    @Override
    public boolean deleteGroup(UUID workspaceId, UUID groupId) {
        return handle.createUpdate("DELETE FROM groups WHERE workspace_id = ? AND id = ? AND type = 'custom'")
                .bind(0, workspaceId).bind(1, groupId).execute() > 0;
    }

    @Override
    public Page<Group> searchGroups(UUID workspaceId, SearchQuery query) {
        return SqlFaults.refusingFilterValues(() -> GROUP_SEARCH.run(handle, workspaceId, query,
                PostgresTransaction::group));
    }

    @Override
    public Stream<GroupMember> membersOfGroups(List<UUID> groupIds) {
        if (groupIds.isEmpty()) {
            return Stream.empty();
        }
        // Inside a transaction autocommit is off, so the driver reads the rows 1,000 at a time
        // through a portal instead of materialising the whole result.
        return handle.createQuery("SELECT gm.group_id, m.user_id, coalesce(m.display_name, m.user_name) "
                        + "FROM unnest(?) WITH ORDINALITY AS page(id, n) JOIN group_members gm ON gm.group_id = page.id "
                        + "JOIN workspace_members m ON m.workspace_id = gm.workspace_id AND m.user_id = gm.user_id "
                        + "ORDER BY page.n, m.created_at, m.user_id")
                .bind(0, groupIds.toArray(new UUID[0]))
                .setFetchSize(1000)
                .map((rs, ctx) -> new GroupMember(rs.getObject(1, UUID.class),
                        new MemberRef(rs.getObject(2, UUID.class), rs.getString(3))))
                .stream();
    }

    @Override
    public Page<ResourceRef> searchResources(UUID workspaceId, SearchQuery query) {
        return SqlFaults.refusingFilterValues(() -> RootSearch.run(handle, workspaceId, query));
    }

    @Override
    public List<UserView> findUsers(UUID workspaceId, Collection<UUID> userIds) {
        return handle.createQuery(MEMBER_SELECT + MEMBER_FROM + "WHERE m.workspace_id = ? AND m.user_id = ANY(?)")
                .bind(0, workspaceId).bind(1, userIds.toArray(new UUID[0])).map((rs, ctx) -> user(rs)).list();
    }

    @Override
    public List<Group> findGroups(UUID workspaceId, Collection<UUID> groupIds) {
        return handle.createQuery(GROUP_SELECT + GROUP_FROM + "WHERE g.workspace_id = ? AND g.id = ANY(?) "
                        + "AND g.type = 'custom'")
                .bind(0, workspaceId).bind(1, groupIds.toArray(new UUID[0])).map((rs, ctx) -> group(rs)).list();
    }

    @Override
    public byte[] cursorSecret() {
        return settled.cursorSecret(handle);
    }

    /**
     * FOR KEY SHARE, the lock the foreign key of group_members takes on its own: a DELETE of the
     * member waits until this transaction ends, and a DELETE under way is waited for, after which
     * the member is found gone.
     */
    @Override
    public Set<UUID> lockMembers(UUID workspaceId, Collection<UUID> userIds) {
        return new HashSet<>(handle.createQuery("SELECT user_id FROM workspace_members "
                        + "WHERE workspace_id = ? AND user_id = ANY(?) FOR KEY SHARE")
                .bind(0, workspaceId).bind(1, userIds.toArray(new UUID[0])).mapTo(UUID.class).list());
    }

    @Override
    public int addGroupMembers(UUID workspaceId, UUID groupId, Collection<UUID> userIds) {
        return handle.createUpdate("INSERT INTO group_members (group_id, workspace_id, user_id) "
                        + "SELECT ?, ?, u FROM unnest(?) AS u ON CONFLICT DO NOTHING")
                .bind(0, groupId).bind(1, workspaceId).bind(2, userIds.toArray(new UUID[0])).execute();
    }

    @Override
    public int removeGroupMembers(UUID groupId, Collection<UUID> userIds) {
        return handle.createUpdate("DELETE FROM group_members WHERE group_id = ? AND user_id = ANY(?)")
                .bind(0, groupId).bind(1, userIds.toArray(new UUID[0])).execute();
    }

    @Override
    public int removeAllGroupMembers(UUID groupId) {
        return handle.createUpdate("DELETE FROM group_members WHERE group_id = ?").bind(0, groupId).execute();
    }

    private static UserView user(ResultSet rs) throws SQLException {
        java.sql.Array pairs = rs.getArray("groups");
        if (pairs == null) {
            return new UserView(member(rs), List.of());
        }
        String[][] groups = (String[][]) pairs.getArray();
        List<MemberRef> refs = new ArrayList<>(groups.length);
        for (String[] group : groups) {
            refs.add(new MemberRef(UUID.fromString(group[0]), group[1]));
        }
        return new UserView(member(rs), refs);
    }

    private static Member member(ResultSet rs) throws SQLException {
        return new Member(rs.getObject("user_id", UUID.class), rs.getString("user_name"), rs.getString("external_id"),
                rs.getString("display_name"), rs.getString("email"),
                Role.find(rs.getString("role")).orElseThrow(() -> new IllegalStateException("unknown role in database")),
                MemberStatus.fromValue(rs.getString("status")), tree(rs.getBytes("attributes")),
                rs.getLong("version"), instant(rs, "created_at"), instant(rs, "last_modified"));
    }

    private static Group group(ResultSet rs) throws SQLException {
        return new Group(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("external_id"),
                tree(rs.getBytes("attributes")), rs.getLong("version"), instant(rs, "created_at"),
                instant(rs, "last_modified"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    /**
     * The stored attributes from the row's own UTF-8 bytes: no String decoded on the way, and
     * Jackson's byte parser is the faster one (the parse is a visible part of an export's CPU).
     */
    private static ObjectNode tree(byte[] json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored attributes are not JSON", e);
        }
    }

    private static String json(ObjectNode tree) {
        return tree.toString();
    }

    /**
     * Runs a write whose unique indexes the database enforces, and reports a violation as the 409
     * the client caused, naming the attribute but never the value.
     */
    private static <T> T uniquely(Supplier<T> write) {
        try {
            return write.get();
        } catch (UnableToExecuteStatementException e) {
            PSQLException sql = uniqueViolation(e);
            if (sql != null) {
                String constraint = sql.getServerErrorMessage() == null ? ""
                        : String.valueOf(sql.getServerErrorMessage().getConstraint());
                throw ScimException.uniqueness(switch (constraint) {
                    case "workspace_members_user_name_unique" -> "userName is already taken in the workspace";
                    case "users_email_unique" -> "the email is already used by another user";
                    case "groups_name_unique" -> "displayName is already taken by another group in the workspace";
                    default -> "the resource conflicts with an existing one";
                });
            }
            throw e;
        }
    }

    /** The unique violation behind a failed statement, or behind a batch, with the server's own report. */
    private static PSQLException uniqueViolation(Throwable failure) {
        return (PSQLException) SqlFaults.find(failure,
                s -> s instanceof PSQLException && "23505".equals(s.getSQLState()));
    }
}
