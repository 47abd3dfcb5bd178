import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Arrays;
import java.util.Locale;

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
        sequentialBound = Double.parseDouble(env("BENCH_SEQ_SECONDS", full() ? "240" : "60"));
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
}
