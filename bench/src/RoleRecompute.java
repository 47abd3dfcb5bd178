import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Roles from groups: what one administrative change of a workspace's role policy costs, when it
 * recomputes every member's role in one transaction. Each operation is one PUT of the admin API on
 * the Default Workspace (all the data set's users): the role source switched round attribute →
 * groups → highest → attribute, and, while roles come from groups, the mappings changed so that the
 * big group gives admin, then builder again. The big group ("All Staff") is mapped to builder, "Team
 * 1" to admin, so a switch changes the roles of the big group's members and of the attribute's
 * admins and builders outside them. While roles come from groups, each round also adds and removes
 * one member of "Team 1" (mapped: the member's role is recomputed, under the lock of the change) and
 * of "Team 2" (not mapped), so the price of a mapped group's PATCH reads against the same PATCH
 * without roles in the same rounds. The first round warms up; the workspace is left as it was found.
 */
final class RoleRecompute {
    private static final String WORKSPACE = "/api/admin/v1/workspaces/default";
    private static final String MAPPED = "[{\"group\":\"Team 1\",\"role\":\"admin\"},"
            + "{\"group\":\"All Staff\",\"role\":\"%s\"}]";
    /** Each round's add-and-remove pairs per group. */
    private static final int PATCH_PAIRS = 10;

    private final Settings settings;
    private final LoadDriver driver;
    private final ServerUnderTest server;
    private final ResultsTable results;

    RoleRecompute(Settings settings, LoadDriver driver, ServerUnderTest server, ResultsTable results) {
        this.settings = settings;
        this.driver = driver;
        this.server = server;
        this.results = results;
    }

    /** One kind of change: the PUT that makes it, and what it changed per round. */
    private record Step(String label, String path, String body, List<Long> times, List<Long> changed, long[] errors) {
        Step(String label, String path, String body) {
            this(label, path, body, new ArrayList<>(), new ArrayList<>(), new long[1]);
        }
    }

    /** PATCHes that add, then remove, one member of a group: an IdP's group push of one change. */
    private record GroupPatches(String label, String path, List<Long> times, long[] errors) {
        GroupPatches(String label, String path) {
            this(label, path, new ArrayList<>(), new long[1]);
        }
    }

    void run() throws Exception {
        int rounds = settings.full() ? 5 : 3;
        String settingsPath = WORKSPACE + "/settings";
        String mappingsPath = WORKSPACE + "/role-mappings";
        List<Step> steps = List.of(
                new Step("attribute → groups", settingsPath, source("groups")),
                new Step("mappings changed (big group → admin)", mappingsPath, MAPPED.formatted("admin")),
                new Step("mappings changed (big group → builder)", mappingsPath, MAPPED.formatted("builder")),
                new Step("groups → highest", settingsPath, source("highest")),
                new Step("highest → attribute", settingsPath, source("attribute")));
        Step whileGroups = steps.get(2);
        int members = members();
        String member = id("SELECT m.user_id FROM workspace_members m JOIN workspaces w ON w.id = m.workspace_id "
                + "WHERE w.is_default AND m.user_name = ?", DataSet.userName(0));
        List<GroupPatches> patches = List.of(
                new GroupPatches("mapped group (Team 1 → admin)", groupPath("Team 1")),
                new GroupPatches("unmapped group (Team 2)", groupPath("Team 2")));
        try (RawHttp h = server.client("Bearer " + ServerUnderTest.ADMIN_TOKEN); RawHttp scim = server.client()) {
            h.send("PUT", settingsPath, source("attribute"));
            h.send("PUT", mappingsPath, MAPPED.formatted("builder"));
            long heap = driver.measure("roles", () -> {
                for (int r = 0; r < rounds + 1; r++) {
                    for (Step step : steps) {
                        long before = journalRows();
                        long t0 = System.nanoTime();
                        int status = h.send("PUT", step.path(), step.body()).status();
                        long elapsed = System.nanoTime() - t0;
                        if (r > 0) {
                            step.times().add(elapsed);
                            step.changed().add(journalRows() - before);
                            step.errors()[0] += status == 200 ? 0 : 1;
                        }
                        if (step == whileGroups) {
                            patchOneMember(scim, patches, member, r > 0);
                        }
                    }
                }
            });
            h.send("PUT", mappingsPath, "[]");
            double unmappedP50 = Row.sequential("", patches.get(1).times(), 0).p50;
            for (GroupPatches group : patches) {
                Row row = Row.sequential("roles: group PATCH add/remove 1 member, " + group.label()
                        + ", roles from groups", group.times(), group.errors()[0]);
                row.heapMiB = heap;
                row.byTime = true;
                row.note = String.format(Locale.ROOT, "p50 %.2f× the unmapped group's, same rounds",
                        row.p50 / unmappedP50);
                results.add(row);
            }
            for (Step step : steps) {
                Row row = Row.sequential("roles: PUT " + step.label() + ", " + members + " members", step.times(),
                        step.errors()[0]);
                row.heapMiB = heap;
                row.byTime = true;
                row.note = "roles changed per PUT: " + step.changed();
                results.add(row);
            }
        }
    }

    /** Alternately adds and removes user 0 (of the big group only) in each group, timed when {@code measured}. */
    private static void patchOneMember(RawHttp scim, List<GroupPatches> patches, String member, boolean measured)
            throws Exception {
        String add = DataSet.patchRequest("{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\""
                + member + "\"}]}");
        String remove = DataSet.patchRequest("{\"op\":\"remove\",\"path\":\"members[value eq \\\"" + member
                + "\\\"]\"}");
        for (int i = 0; i < 2 * PATCH_PAIRS; i++) {
            for (GroupPatches group : patches) {
                long t0 = System.nanoTime();
                int status = scim.send("PATCH", group.path(), i % 2 == 0 ? add : remove).status();
                long elapsed = System.nanoTime() - t0;
                if (measured) {
                    group.times().add(elapsed);
                    group.errors()[0] += status == 204 ? 0 : 1;
                }
            }
        }
    }

    private String groupPath(String name) throws Exception {
        return ServerUnderTest.BASE + "/Groups/" + id("SELECT g.id FROM groups g JOIN workspaces w ON "
                + "w.id = g.workspace_id WHERE w.is_default AND g.name = ?", name);
    }

    private String id(String sql, String value) throws Exception {
        try (Connection c = settings.connect(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, value);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("not in the data set: " + value);
                }
                return rs.getString(1);
            }
        }
    }

    private static String source(String source) {
        return "{\"roleSource\":\"" + source + "\"}";
    }

    private int members() throws Exception {
        return (int) count("SELECT count(*) FROM workspace_members m JOIN workspaces w ON w.id = m.workspace_id "
                + "WHERE w.is_default");
    }

    /** The roles a PUT changed: one journal row each. */
    private long journalRows() throws Exception {
        return count("SELECT count(*) FROM change_journal WHERE cause IN ('role-source', 'role-mapping')");
    }

    private long count(String sql) throws Exception {
        try (Connection c = settings.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
