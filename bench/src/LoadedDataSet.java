import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * The data set as the loader left it in the database: the ids the server gave each user and group
 * index of {@link DataSet}, and the workspace they are in.
 */
final class LoadedDataSet {
    private static final Pattern INDEX = Pattern.compile("\\.(\\d+)@example\\.com$");

    final DataSet.Sizes sizes;
    final UUID workspace;
    final UUID[] userIds;
    final UUID[] groupIds;

    private LoadedDataSet(DataSet.Sizes sizes, UUID workspace, UUID[] userIds, UUID[] groupIds) {
        this.sizes = sizes;
        this.workspace = workspace;
        this.userIds = userIds;
        this.groupIds = groupIds;
    }

    /** Back to the loaded data set: what earlier runs created goes, archived users come back. */
    static void reset(Settings settings) throws Exception {
        long t0 = System.nanoTime();
        try (Connection c = settings.connect(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM group_members WHERE user_id IN (SELECT id FROM users WHERE email LIKE '%@new.example.com')");
            int members = s.executeUpdate("DELETE FROM workspace_members WHERE user_name LIKE '%@new.example.com'");
            s.executeUpdate("DELETE FROM users WHERE email LIKE '%@new.example.com'");
            int archived = s.executeUpdate("UPDATE workspace_members SET status = 'active' WHERE status <> 'active'");
            if (members + archived > 0) {
                s.execute("VACUUM (ANALYZE) workspace_members");
                s.execute("VACUUM (ANALYZE) users");
                s.execute("VACUUM (ANALYZE) group_members");
            }
            System.out.printf("bench: reset: %d users from earlier runs removed, %d reactivated (%.1f s)%n", members,
                    archived, (System.nanoTime() - t0) / 1e9);
        }
    }

    /** Finds every user and group of the mode's data set; fails when the loader did not load them all. */
    static LoadedDataSet read(Settings settings) throws Exception {
        long t0 = System.nanoTime();
        DataSet.Sizes sizes = settings.sizes;
        UUID[] userIds = new UUID[sizes.users()];
        UUID[] groupIds = new UUID[sizes.groups()];
        UUID workspace;
        try (Connection c = settings.connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.setFetchSize(10_000);
            try (ResultSet rs = s.executeQuery("SELECT id FROM workspaces WHERE is_default")) {
                rs.next();
                workspace = rs.getObject(1, UUID.class);
            }
            readUsers(s, userIds);
            readGroups(s, groupIds);
            c.commit();
        }
        for (int i = 0; i < userIds.length; i++) {
            if (userIds[i] == null) {
                throw new IllegalStateException("user " + i + " is not loaded: run the loader for mode "
                        + settings.mode);
            }
        }
        for (int g = 0; g < groupIds.length; g++) {
            if (groupIds[g] == null) {
                throw new IllegalStateException("group " + g + " is not loaded");
            }
        }
        System.out.printf("bench: data set found: %,d users, %,d groups (%.1f s)%n", userIds.length, groupIds.length,
                (System.nanoTime() - t0) / 1e9);
        return new LoadedDataSet(sizes, workspace, userIds, groupIds);
    }

    private static void readUsers(Statement s, UUID[] userIds) throws Exception {
        try (ResultSet rs = s.executeQuery("SELECT user_id, user_name FROM workspace_members "
                + "WHERE user_name LIKE '%@example.com'")) {
            while (rs.next()) {
                Matcher m = INDEX.matcher(rs.getString(2));
                if (m.find()) {
                    int i = Integer.parseInt(m.group(1));
                    if (i < userIds.length) {
                        userIds[i] = rs.getObject(1, UUID.class);
                    }
                }
            }
        }
    }

    private static void readGroups(Statement s, UUID[] groupIds) throws Exception {
        Map<String, UUID> byName = new HashMap<>();
        try (ResultSet rs = s.executeQuery("SELECT id, name FROM groups WHERE type = 'custom'")) {
            while (rs.next()) {
                byName.put(rs.getString(2), rs.getObject(1, UUID.class));
            }
        }
        for (int g = 0; g < groupIds.length; g++) {
            groupIds[g] = byName.get(DataSet.groupName(g));
        }
    }

    /** The user indexes a scenario may change: scenarios that write take disjoint pools. */
    int[] pool(IntPredicate p) {
        return IntStream.range(0, sizes.users()).filter(p).toArray();
    }

    /** {@code batch} users of the pool, the r-th such batch. */
    UUID[] batchOf(int[] pool, int r, int batch) {
        UUID[] users = new UUID[batch];
        for (int k = 0; k < batch; k++) {
            users[k] = userIds[pool[(r * batch + k) % pool.length]];
        }
        return users;
    }

    /** A regular group and a user, the user a member of it half of the time. */
    int[] probePair() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        int g = regularGroup();
        int u = r.nextBoolean() ? DataSet.groupMember(sizes, g, r.nextInt(sizes.groupSize()))
                : r.nextInt(sizes.users());
        return new int[] {g, u};
    }

    /** A random regular group (group 0 is the big one). */
    int regularGroup() {
        return 1 + ThreadLocalRandom.current().nextInt(groupIds.length - 1);
    }
}
