import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Roles from groups: what one administrative change of a workspace's role policy costs, when it
 * recomputes every member's role in one transaction. Each operation is one PUT of the admin API on
 * the Default Workspace (all the data set's users): the role source switched round attribute →
 * groups → highest → attribute, and, while roles come from groups, the mappings changed so that the
 * big group gives admin, then builder again. The big group ("All Staff") is mapped to builder, "Team
 * 1" to admin, so a switch changes the roles of the big group's members and of the attribute's
 * admins and builders outside them. The first round warms up; the workspace is left as it was found.
 */
final class RoleRecompute {
    private static final String WORKSPACE = "/api/admin/v1/workspaces/default";
    private static final String MAPPED = "[{\"group\":\"Team 1\",\"role\":\"admin\"},"
            + "{\"group\":\"All Staff\",\"role\":\"%s\"}]";

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
        int members = members();
        try (RawHttp h = server.client("Bearer " + ServerUnderTest.ADMIN_TOKEN)) {
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
                    }
                }
            });
            h.send("PUT", mappingsPath, "[]");
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
