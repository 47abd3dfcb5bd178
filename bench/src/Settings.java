import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one run is given: run.sh's arguments (the jar, the database, the mode, where to write) and
 * the BENCH_* environment (connections, windows, bounds, which scenarios).
 */
final class Settings {
    final String jar;
    final String jdbcUrl;
    final String dbUser;
    final String dbPassword;
    final String mode;
    final Path work;
    final Path resultsFile;
    final String commit;
    final DataSet.Sizes sizes;
    final int conns = Integer.parseInt(env("BENCH_CONNS", "8"));
    final double seconds;
    final double warmup;
    /**
     * The longest a scenario warms the server: past {@link #warmup} it goes on until the JIT compilers
     * are quiet, so that the measured window neither counts their CPU as the operations' nor has them
     * compete with the operations for the cores.
     */
    final double warmupMost;
    final double sequentialBound;
    final int port = Integer.parseInt(env("BENCH_PORT", "18080"));
    final boolean profile = !env("BENCH_PROFILE", "1").equals("0");
    /** Names of what this run creates carry it, so that no two runs collide. */
    final String runId = Long.toString(System.currentTimeMillis() % 100_000_000L, 36);

    /** JAR JDBC_URL DB_USER DB_PASSWORD MODE WORK_DIR RESULTS_MD COMMIT, as run.sh passes them. */
    Settings(String[] a) {
        jar = a[0];
        jdbcUrl = a[1];
        dbUser = a[2];
        dbPassword = a[3];
        mode = a[4];
        work = Path.of(a[5]);
        resultsFile = Path.of(a[6]);
        commit = a[7];
        sizes = DataSet.Sizes.of(mode);
        seconds = Double.parseDouble(env("BENCH_SECONDS", full() ? "15" : "4"));
        warmup = Double.parseDouble(env("BENCH_WARMUP", full() ? "5" : "2"));
        warmupMost = Double.parseDouble(env("BENCH_WARMUP_MAX", Double.toString(warmup + 90)));
        // A walk of a million takes longer than the quick bound: bounded at 60 s it stopped part way.
        sequentialBound = Double.parseDouble(env("BENCH_SEQ_SECONDS",
                full() || sizes.users() >= 1_000_000 ? "240" : "60"));
        oktaCountedFloor = !env("BENCH_OKTA_COUNTED_FLOOR", "1").equals("0");
    }

    static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    /**
     * Whether the Okta import is also judged against pages that count on every page (its "vs DB floor"
     * column): at a million members that floor alone takes most of an hour, and the import's target
     * needs only the pages read without counting.
     */
    final boolean oktaCountedFloor;

    boolean full() {
        return mode.equals("full");
    }

    /** Whether BENCH_SCENARIOS (a comma list, empty for all) asks for the scenario {@code key}. */
    boolean want(String key) {
        String only = env("BENCH_SCENARIOS", "");
        return only.isEmpty() || Arrays.asList(only.split(",")).contains(key);
    }

    /**
     * The server's JVM options: SERVER_OPTS, and the class data sharing archive the build dumps beside
     * the jar, passed as the README's command passes it.
     */
    String serverOpts() {
        String options = env("SERVER_OPTS", "-Xmx256m");
        Path archive = Path.of(jar.replaceFirst("\\.jar$", ".jsa"));
        return Files.exists(archive) ? options + " -XX:SharedArchiveFile=" + archive : options;
    }

    /** The server's heap cap in MiB from its last -Xmx in SERVER_OPTS, or -1 when it sets none. */
    long heapCapMiB() {
        Matcher xmx = Pattern.compile("-Xmx(\\d+)([kKmMgG]?)").matcher(env("SERVER_OPTS", "-Xmx256m"));
        long cap = -1;
        while (xmx.find()) {
            long n = Long.parseLong(xmx.group(1));
            cap = switch (xmx.group(2).toLowerCase(Locale.ROOT)) {
                case "k" -> n / 1024;
                case "m" -> n;
                case "g" -> n * 1024;
                default -> n / (1024 * 1024);
            };
        }
        return cap;
    }

    /** A userName and email no loaded user has: the next run's reset removes these users again. */
    String newName(String kind, long worker, long seq) {
        return kind + "." + runId + "." + worker + "." + seq + "@new.example.com";
    }

    /** A file in the work directory named after a scenario. */
    Path workFile(String prefix, String scenario, String suffix) {
        String slug = scenario.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        return work.resolve(prefix + slug + suffix);
    }

    Connection connect() throws Exception {
        return DriverManager.getConnection(jdbcUrl, dbUser, dbPassword);
    }

    /** The cluster's superuser, for the statistics views and settings (run.sh's cluster trusts loopback). */
    Connection connectAsSuperuser() throws Exception {
        return DriverManager.getConnection(jdbcUrl, "postgres", "");
    }

    /**
     * A connection for a database floor: our triggers (the change journal, the events, the email copy)
     * and the foreign keys' checks do not fire on it ({@code session_replication_role = replica}, which
     * run.sh lets the bench's role set). A floor is the cheapest SQL that stores the same rows; a floor
     * that paid for our triggers would flatter the server it judges. What a floor writes leaves no journal
     * row, so the server's kept counts do not see it: the scenarios that check a count (index pages, the
     * Okta import) run before the floors that create, and the next run's reset removes what they made.
     */
    Connection connectFloor() throws Exception {
        Connection c = connect();
        try (Statement s = c.createStatement()) {
            s.execute("SET session_replication_role = replica");
        }
        return c;
    }
}
