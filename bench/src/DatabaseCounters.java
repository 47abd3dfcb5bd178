import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What PostgreSQL counts of a scenario, read as its superuser before and after it: how often the index
 * page statement was planned against how often it ran, and which tables the scenario updated rows of.
 */
final class DatabaseCounters {
    /**
     * The index page statement's mark: its OFFSET, sent as a subquery (the server's PageSql). The index
     * page's floor sends it so too, and runs after the scenario's statements are read.
     */
    private static final String PAGE_STATEMENT = "%OFFSET (SELECT CAST(%";

    private final Settings settings;

    DatabaseCounters(Settings settings) {
        this.settings = settings;
    }

    /**
     * Has PostgreSQL count the planning of every statement (pg_stat_statements.track_planning, off by
     * default: it costs every statement a little), or stops it.
     */
    void countPlans(boolean on) throws Exception {
        try (Connection c = settings.connectAsSuperuser(); Statement s = c.createStatement()) {
            s.execute(on ? "ALTER SYSTEM SET pg_stat_statements.track_planning = on"
                    : "ALTER SYSTEM RESET pg_stat_statements.track_planning");
            s.execute("SELECT pg_reload_conf()");
        }
        // Each backend reads the reloaded settings before its next statement; a moment for the signal.
        Thread.sleep(500);
    }

    /** Executions and plannings of the page statements so far (both cumulative: a window takes their difference). */
    long[] pageStatementPlans() throws Exception {
        try (Connection c = settings.connectAsSuperuser(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT coalesce(sum(calls), 0), coalesce(sum(plans), 0) "
                     + "FROM pg_stat_statements WHERE query LIKE '" + PAGE_STATEMENT + "'")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    /** Rows updated so far in each table of the bench's database. */
    Map<String, Long> rowsUpdated() throws Exception {
        Map<String, Long> updated = new TreeMap<>();
        try (Connection c = settings.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT relname, n_tup_upd FROM pg_stat_user_tables")) {
            while (rs.next()) {
                updated.merge(rs.getString(1), rs.getLong(2), Long::sum);
            }
        }
        return updated;
    }

    /**
     * Waits until every backend of the server has sent what it counted: a backend sends its table counts
     * at most once a second, and an idle one within ten seconds.
     */
    static void settleCounts() throws InterruptedException {
        Thread.sleep(11_000);
    }

    /** The tables updated since {@code before}, most rows first, as "table n". */
    static Map<String, Long> updatedSince(Map<String, Long> before, Map<String, Long> after) {
        return after.entrySet().stream().filter(e -> e.getValue() > before.getOrDefault(e.getKey(), 0L))
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue() - before.getOrDefault(e.getKey(), 0L),
                        Long::sum, TreeMap::new));
    }
}
