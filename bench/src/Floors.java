import com.fasterxml.jackson.databind.node.ObjectNode;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * The database floors: the SQL each operation needs, in its fewest round trips, over JDBC without
 * HTTP. A scenario's row compares the server with these, run from as many clients in the same run.
 */
final class Floors {
    /**
     * A user and its custom groups, read in one statement: what the server reads for each user it
     * answers. No SCIM answer holds the person's email, so neither the server nor its floor reads users.
     */
    private static final String MEMBER_SELECT = "SELECT m.user_id, m.user_name, m.external_id, m.display_name, "
            + "m.role, m.status, m.attributes::text AS attributes, m.version, m.created_at, m.last_modified, "
            + "(SELECT array_agg(ARRAY[g.id::text, g.name] ORDER BY g.name, g.id) FROM group_members gm "
            + "JOIN groups g ON g.id = gm.group_id WHERE gm.user_id = m.user_id AND g.workspace_id = m.workspace_id "
            + "AND g.type = 'custom')::text AS groups FROM workspace_members m ";
    /** A group without its members, as the server reads it. */
    private static final String GROUP_SELECT = "SELECT g.id, g.name, g.external_id, g.attributes::text, "
            + "g.version, g.created_at, g.last_modified FROM groups g WHERE g.workspace_id = ? ";

    private final Settings settings;
    private final UUID workspace;

    Floors(Settings settings, LoadedDataSet data) {
        this.settings = settings;
        this.workspace = data.workspace;
    }

    /** Every member, with those this run created. */
    int countMembers() throws Exception {
        try (Connection c = settings.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM workspace_members")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** What a lookup needs: the member by its index with its custom groups; answers how many it found. */
    int lookup(Connection c, String where, String value) throws Exception {
        return selectMembers(c, MEMBER_SELECT + "WHERE m.workspace_id = ? AND " + where, workspace, value);
    }

    /** Entra's group lookup: the group by its name index. */
    void groupByName(Connection c, String name) throws Exception {
        select(c, GROUP_SELECT + "AND g.type = 'custom' AND scim_fold(g.name) = scim_fold(?)", workspace, name);
    }

    /** Entra's membership probe: the group when the user is one of its members, in one EXISTS query. */
    void membershipProbe(Connection c, UUID group, UUID user) throws Exception {
        select(c, GROUP_SELECT + "AND g.id = ? AND g.type = 'custom' AND EXISTS (SELECT 1 FROM group_members gm "
                + "WHERE gm.group_id = g.id AND gm.user_id = ?)", workspace, group, user);
    }

    /** What a PATCH of active needs: lock the member (read with its groups), update it. */
    void setActive(Connection c, UUID user, boolean active) throws Exception {
        inTransaction(c, () -> {
            select(c, MEMBER_SELECT + "WHERE m.workspace_id = ? AND m.user_id = ? FOR UPDATE OF m", workspace, user);
            update(c, "UPDATE workspace_members SET status = ?, version = version + 1, last_modified = now() "
                    + "WHERE workspace_id = ? AND user_id = ?", active ? "active" : "archived", workspace, user);
        });
    }

    /** What an attribute PATCH needs: lock the member, replace two values in its attributes, bump the version. */
    void setTitleAndDepartment(Connection c, UUID user, String title, String department) throws Exception {
        inTransaction(c, () -> {
            select(c, MEMBER_SELECT + "WHERE m.workspace_id = ? AND m.user_id = ? FOR UPDATE OF m", workspace, user);
            update(c, "UPDATE workspace_members SET attributes = jsonb_set(jsonb_set(attributes, '{title}', "
                    + "to_jsonb(CAST(? AS text))), ARRAY[?, 'department'], to_jsonb(CAST(? AS text))), "
                    + "version = version + 1, last_modified = now() WHERE workspace_id = ? AND user_id = ?", title,
                    DataSet.ENTERPRISE, department, workspace, user);
        });
    }

    /**
     * What a create needs, in its fewest round trips: one statement that finds the person by email,
     * inserts it when new, and inserts the membership, committed on its own.
     */
    boolean create(Connection c, long seq, String name, String passwordHash) throws Exception {
        // Named as the server's creates of the same sequence are, so that the rows a floor leaves for the
        // scenarios after it (the console's searches) hold the data set's spread of names, not one name.
        ObjectNode attributes = DataSet.user((int) seq, name, UUID.randomUUID().toString(), name, null);
        attributes.remove("active");
        attributes.remove(DataSet.TOOLJET);
        try (PreparedStatement p = c.prepareStatement("WITH found AS (SELECT id FROM users WHERE scim_fold(email) = "
                + "scim_fold(?)), created AS (INSERT INTO users (id, email, given_name, family_name, password_hash, "
                + "created_at, updated_at) SELECT ?, ?, 'Ada', 'Lovelace', ?, now(), now() WHERE NOT EXISTS "
                + "(SELECT 1 FROM found) RETURNING id) INSERT INTO workspace_members (workspace_id, user_id, user_name, "
                + "external_id, display_name, role, status, attributes, version, created_at, last_modified) "
                + "SELECT ?, id, ?, ?, ?, 'end-user', 'active', CAST(? AS jsonb), 1, now(), now() "
                + "FROM created")) {
            p.setString(1, name);
            p.setObject(2, UUID.randomUUID());
            p.setString(3, name);
            p.setString(4, passwordHash);
            p.setObject(5, workspace);
            p.setString(6, name);
            p.setString(7, attributes.path("externalId").asText());
            p.setString(8, attributes.path("displayName").asText());
            p.setString(9, attributes.toString());
            return p.executeUpdate() == 1;
        }
    }

    /** What a membership PATCH needs: lock the group, lock the users' memberships, change, bump the version. */
    void changeMembers(Connection c, UUID group, UUID[] users, boolean add) throws Exception {
        inTransaction(c, () -> {
            select(c, GROUP_SELECT + "AND g.id = ? AND g.type = 'custom' FOR UPDATE", workspace, group);
            Array array = c.createArrayOf("uuid", users);
            if (add) {
                select(c, "SELECT user_id FROM workspace_members WHERE workspace_id = ? AND user_id = ANY(?) "
                        + "FOR KEY SHARE", workspace, array);
                update(c, "INSERT INTO group_members (group_id, workspace_id, user_id) SELECT ?, ?, u "
                        + "FROM unnest(?) AS u ON CONFLICT DO NOTHING", group, workspace, array);
            } else {
                update(c, "DELETE FROM group_members WHERE group_id = ? AND user_id = ANY(?)", group, array);
            }
            update(c, "UPDATE groups SET version = version + 1, last_modified = now() WHERE workspace_id = ? "
                    + "AND id = ?", workspace, group);
        });
    }

    /**
     * What an index page needs: the exact total (members alone: every member has its person), and
     * the page's ids by OFFSET in creation order from the index, then those users with their groups.
     */
    void indexPage(Connection c, int startIndex, int count) throws Exception {
        select(c, "SELECT count(*) FROM workspace_members m WHERE m.workspace_id = ?", workspace);
        // The LIMIT is in the text and the OFFSET a subquery, as the server sends them: bound, they made
        // PostgreSQL settle on a generic plan priced for a tenth of the table, several times slower than
        // the page it floors.
        selectMembers(c, MEMBER_SELECT + "WHERE m.workspace_id = ? AND m.user_id IN (SELECT m.user_id "
                + "FROM workspace_members m WHERE m.workspace_id = ? ORDER BY m.created_at, m.user_id LIMIT " + count
                + " OFFSET (SELECT CAST(? AS bigint))) ORDER BY m.created_at, m.user_id", workspace, workspace,
                (long) startIndex - 1);
    }

    /**
     * The pages an import reads, {@code pages} of {@code count} from the list's start, without the count:
     * what the Okta import is judged against. Each page is read after the last one's key (keyset), the
     * cheapest SQL for the same pages in the same order: by OFFSET, each page would read every row before
     * it again, and a floor that slow would flatter the server it judges.
     */
    void pagesWithoutCount(Connection c, int pages, int count) throws Exception {
        try (PreparedStatement first = c.prepareStatement(MEMBER_SELECT + "WHERE m.workspace_id = ? "
                + "ORDER BY m.created_at, m.user_id LIMIT " + count);
             PreparedStatement next = c.prepareStatement(MEMBER_SELECT + "WHERE m.workspace_id = ? AND "
                     + "(m.created_at, m.user_id) > (?, ?) ORDER BY m.created_at, m.user_id LIMIT " + count)) {
            first.setObject(1, workspace);
            Object[] last = lastKey(first.executeQuery());
            for (int p = 1; p < pages && last != null; p++) {
                next.setObject(1, workspace);
                next.setObject(2, last[0]);
                next.setObject(3, last[1]);
                last = lastKey(next.executeQuery());
            }
        }
    }

    /** Reads a page as {@link #readMembers} does; answers its last row's key, or null when it is empty. */
    private static Object[] lastKey(ResultSet rs) throws Exception {
        Object[] last = null;
        try (rs) {
            while (rs.next()) {
                rs.getString("attributes");
                rs.getString("groups");
                last = new Object[] {rs.getObject("created_at", OffsetDateTime.class), rs.getObject(1, UUID.class)};
            }
        }
        return last;
    }

    /** What an export needs: one query streaming the first {@code users} users, with their groups, in page order. */
    long export(long users) throws Exception {
        try (Connection c = settings.connect()) {
            c.setAutoCommit(false);
            long read;
            try (PreparedStatement p = c.prepareStatement(MEMBER_SELECT + "WHERE m.workspace_id = ? "
                    + "ORDER BY m.created_at, m.user_id LIMIT ?")) {
                p.setFetchSize(1000);
                p.setObject(1, workspace);
                p.setLong(2, users);
                read = readMembers(p.executeQuery());
            }
            c.commit();
            return read;
        }
    }

    /** The same rows as a Bulk of creates: one transaction, batched inserts. */
    void bulk(Connection c, int round, int ops) throws Exception {
        inTransaction(c, () -> batchInserts(c, round, ops));
    }

    private void batchInserts(Connection c, int round, int ops) throws Exception {
        try (PreparedStatement users = c.prepareStatement("INSERT INTO users (id, email, given_name, family_name, "
                + "created_at, updated_at) VALUES (?, ?, 'Ada', 'Lovelace', now(), now())");
             PreparedStatement members = c.prepareStatement("INSERT INTO workspace_members (workspace_id, user_id, "
                     + "user_name, external_id, display_name, role, status, attributes, version, created_at, "
                     + "last_modified) VALUES (?, ?, ?, ?, 'Ada Lovelace', 'end-user', 'active', CAST(? AS jsonb), 1, "
                     + "now(), now())")) {
            for (int k = 0; k < ops; k++) {
                String name = settings.newName("fb", round, k);
                UUID id = UUID.randomUUID();
                users.setObject(1, id);
                users.setString(2, name);
                users.addBatch();
                ObjectNode attributes = DataSet.user(k, name, UUID.randomUUID().toString(), name, null);
                members.setObject(1, workspace);
                members.setObject(2, id);
                members.setString(3, name);
                members.setString(4, attributes.path("externalId").asText());
                members.setString(5, attributes.toString());
                members.addBatch();
            }
            users.executeBatch();
            members.executeBatch();
        }
    }

    private interface SqlWork {
        void run() throws Exception;
    }

    /** Runs {@code work} on {@code c} in one transaction, then gives the connection back in autocommit. */
    private static void inTransaction(Connection c, SqlWork work) throws Exception {
        c.setAutoCommit(false);
        work.run();
        c.commit();
        c.setAutoCommit(true);
    }

    /** Runs a query and reads all it answers. */
    private static void select(Connection c, String sql, Object... params) throws Exception {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            bind(p, params);
            drain(p.executeQuery());
        }
    }

    /** Runs a query of {@link #MEMBER_SELECT}; answers how many members it found. */
    private static int selectMembers(Connection c, String sql, Object... params) throws Exception {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            bind(p, params);
            return readMembers(p.executeQuery());
        }
    }

    private static void update(Connection c, String sql, Object... params) throws Exception {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            bind(p, params);
            p.executeUpdate();
        }
    }

    private static void bind(PreparedStatement p, Object... params) throws SQLException {
        for (int k = 0; k < params.length; k++) {
            p.setObject(k + 1, params[k]);
        }
    }

    /** Reads what the server would render of each member: its id, attributes and groups; answers how many. */
    private static int readMembers(ResultSet rs) throws Exception {
        int n = 0;
        try (rs) {
            while (rs.next()) {
                rs.getObject(1, UUID.class);
                rs.getString("attributes");
                rs.getString("groups");
                n++;
            }
        }
        return n;
    }

    /** Reads every column of every row, as a client of the result would. */
    private static void drain(ResultSet rs) throws Exception {
        try (rs) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int k = 1; k <= columns; k++) {
                    rs.getObject(k);
                }
            }
        }
    }
}
