import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The run's rows and notes, printed as they come, then rendered as one Markdown table with the
 * targets and appended to RESULTS.md with the run's settings and the load rate.
 */
final class ResultsTable {
    private final Settings settings;
    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private Row httpFloor;
    private Row httpFloorJava;

    ResultsTable(Settings settings) {
        this.settings = settings;
    }

    void add(Row row) {
        rows.add(row);
        System.out.println(row.line());
    }

    void note(String note) {
        notes.add(note);
    }

    /** The HTTP floor as each tool measured it: a row is compared with the floor of the tool that drove it. */
    void httpFloors(Row wrk, Row javaDriver) {
        httpFloor = wrk;
        httpFloorJava = javaDriver;
    }

    String render(long startupMs, long embeddedRestartMs, long rssPeak, long heapPeak) {
        StringBuilder t = new StringBuilder();
        t.append("| scenario | conns | ops | ops/s | p50 ms | p99 ms | errors | vs HTTP floor | DB floor ops/s "
                + "| DB floor p50 ms | vs DB floor | vs combined floor | JVM CPU ms/op | PG CPU ms/op | heap peak MiB |\n");
        t.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Row r : rows) {
            t.append(line(r));
        }
        t.append("\n");
        t.append("- server: peak RSS ").append(rssPeak).append(" MiB, peak used heap ").append(heapPeak)
                .append(" MiB (jstat every 250 ms; JVM options ").append(settings.serverOpts()).append(")\n");
        for (String n : notes) {
            t.append("- ").append(n).append('\n');
        }
        t.append(targets(startupMs, embeddedRestartMs));
        return t.toString();
    }

    private String line(Row r) {
        Row floorOfTool = r.wrk ? httpFloor : httpFloorJava;
        String vsHttp = r == httpFloor || r == httpFloorJava ? "(floor)"
                : r.byTime || floorOfTool == null ? "" : pct(r.throughput / floorOfTool.throughput);
        String floorOps = r.floor == null ? "" : floorVoid(r) ? "void: " + r.floor.errors + " queries failed"
                : r.byTime ? "" : fmt(r.floor.throughput, 0);
        String floorP50 = r.floor == null || floorVoid(r) ? "" : fmt(r.floor.p50, 2);
        String vsDb = r.floor == null || floorVoid(r) ? ""
                : r.exportFloorSeconds > 0 ? "time " + fmt(r.exportSeconds / r.exportFloorSeconds, 2) + "×"
                : r.byTime ? "time " + fmt(r.p50 / r.floor.p50, 2) + "×"
                : pct(r.throughput / r.floor.throughput);
        double combined = combinedFloor(r);
        String vsCombined = Double.isNaN(combined) ? "" : pct(r.throughput / combined);
        String warmed = Double.isNaN(r.warmupSeconds) ? "" : " (warmed " + fmt(r.warmupSeconds, 0) + " s)";
        return "| " + r.name + warmed + (r.note.isEmpty() ? "" : " — " + r.note) + " | " + r.connections + " | " + r.ops
                + " | " + fmt(r.throughput, 0) + " | " + fmt(r.p50, 2) + " | " + fmt(r.p99, 2) + " | " + r.errors
                + " | " + vsHttp + " | " + floorOps + " | " + floorP50 + " | " + vsDb + " | " + vsCombined + " | "
                + fmt(r.jvmCpuMs(), 2) + " | " + fmt(r.pgCpuMs(), 2) + " | " + r.heapMiB + " |\n";
    }

    /**
     * A lookup's combined floor, {@code 1 / (1/http_floor + 1/db_floor)}: the rate if the HTTP
     * floor's work and the database floor's work were done one after the other on the same cores.
     */
    private double combinedFloor(Row r) {
        Row http = r.wrk ? httpFloor : httpFloorJava;
        if (!r.name.startsWith("lookup") || http == null || r.floor == null || floorVoid(r) || r.byTime) {
            return Double.NaN;
        }
        return 1 / (1 / http.throughput + 1 / r.floor.throughput);
    }

    /**
     * A floor some of whose queries failed measured failures, not the work: its SQL is wrong, and
     * no figure is made of it.
     */
    private static boolean floorVoid(Row r) {
        return r.floor != null && r.floor.errors > 0;
    }

    private String targets(long startupMs, long embeddedRestartMs) {
        StringBuilder t = new StringBuilder("\nTargets:\n\n");
        for (Row r : rows) {
            t.append(target(r));
        }
        for (Row r : rows) {
            if (r.name.startsWith("Bulk:") && r.singlePostsP50 > 0) {
                double ratio = r.singlePostsP50 / r.p50;
                t.append(verdict(ratio >= 3.0, "a Bulk of 1,000 creates ≥ 3× faster than the same creates as "
                        + "single POSTs from one client: " + fmt(ratio, 1) + "× (p50 " + fmt(r.p50, 0) + " ms vs "
                        + fmt(r.singlePostsP50, 0) + " ms)"));
            }
        }
        t.append(verdict(startupMs < 2000, "startup to first answer on external PostgreSQL < 2 s: " + startupMs + " ms"));
        if (embeddedRestartMs > 0) {
            t.append(verdict(embeddedRestartMs < 2000, "restart on the embedded default (DATA_DIR initialised) to first "
                    + "answer < 2 s: " + embeddedRestartMs + " ms"));
        }
        return t.toString();
    }

    /** The target verdicts a row answers, if any. */
    private String target(Row r) {
        StringBuilder t = new StringBuilder();
        if (floorVoid(r)) {
            t.append(verdict(false, r.name + ": its database floor is void, " + r.floor.errors
                    + " of its queries failed"));
        }
        double combined = combinedFloor(r);
        if (!Double.isNaN(combined)) {
            double ratio = r.throughput / combined;
            t.append(rowVerdict(r, ratio >= 0.75, r.name + " ≥ 75% of the combined floor 1/(1/http + 1/db): "
                    + pct(ratio) + " (" + fmt(combined, 0) + "/s)"));
        }
        long members = r.members >= 0 ? r.members : settings.sizes.users();
        cpuTarget(t, r, "create: POST", "a create", 0.5, 1.0);
        cpuTarget(t, r, "PATCH active=false", "a PATCH deactivate", 0.4, 0.8);
        cpuTarget(t, r, "group PATCH add/remove 1", "a group ±1 member", 0.4, 0.8);
        cpuTarget(t, r, "index page", "an index page of 100 at " + fmt(members, 0) + " members (the target's: "
                + "10,000)", 2.0, 2.0);
        if (r.name.startsWith("index page") && r.pageStatementCalls >= 0) {
            double planned = r.pageStatementCalls == 0 ? Double.NaN : (double) r.pageStatementPlans
                    / r.pageStatementCalls;
            t.append(rowVerdict(r, planned <= 0.1, "the index page statement's plan is reused (planned on at most "
                    + "10% of its executions in the measured window): planned "
                    + r.pageStatementPlans + " times in " + r.pageStatementCalls + " executions (" + pct(planned)
                    + ")"));
        }
        if (!floorVoid(r) && (r.name.startsWith("create: POST") || r.name.startsWith("PATCH active=false")
                || r.name.startsWith("group PATCH add/remove 1"))) {
            double ratio = r.throughput / r.floor.throughput;
            t.append(rowVerdict(r, ratio >= 0.7, r.name + " ≥ 70% of its database floor (without our triggers): "
                    + pct(ratio)));
        }
        if (r.name.startsWith("create: POST") && r.rowsUpdated >= 0) {
            t.append(rowVerdict(r, r.rowsUpdated * 10 < r.ops, "the kept count is no hot row that creates wait for: "
                    + "no table had rows updated for as many as 1 in 10 creates (a count kept in a row is updated "
                    + "by every create, which then waits for the one before it): at most " + r.rowsUpdated + " in "
                    + r.ops + " creates (warm-up's updates included, its creates not), "
                    + (r.rowsUpdatedBy.isEmpty() ? "no table" : r.rowsUpdatedBy)));
        }
        if (r.name.startsWith("Okta import") && r.pagesWithoutCountSeconds > 0) {
            double ratio = r.sequenceSeconds / r.pagesWithoutCountSeconds;
            t.append(rowVerdict(r, ratio <= 1.5 && r.walkComplete, "Okta import ≤ 1.5× the same pages read without "
                    + "counting (keyset): " + fmt(ratio, 2) + "× (" + fmt(r.sequenceSeconds, 1) + " s vs "
                    + fmt(r.pagesWithoutCountSeconds, 1) + " s" + (r.walkComplete ? ""
                    : ", for the part done before the time bound: the target is the whole walk") + ")"));
            t.append(rowVerdict(r, r.inexactTotals == 0 && r.walkComplete, "Okta import: totalResults exact on every "
                    + "page (equal to the count taken before the walk, no write in flight): " + r.inexactTotals
                    + " pages said another" + (r.walkComplete ? "" : ", of the pages read before the time bound")));
        }
        if (!r.baselines.isEmpty()) {
            double baseline = r.baselines.stream().mapToDouble(b -> b.throughput).average().orElseThrow();
            double ratio = r.throughput / baseline;
            t.append(rowVerdict(r, ratio >= r.baselineTarget, r.name + " ≥ " + pct(r.baselineTarget) + " of "
                    + r.baselineName + ": " + pct(ratio)));
        }
        if (r.name.startsWith("console: ")) {
            t.append(rowVerdict(r, r.p99 < 300, r.name + " answers in under 300 ms at " + fmt(members, 0)
                    + " members, every time (the slowest of " + r.ops + ", measured by the client on loopback): "
                    + fmt(r.p99, 1) + " ms, median " + fmt(r.p50, 1) + " ms"));
        }
        if (r.name.startsWith("Entra PATCH Replace") && !floorVoid(r)) {
            t.append("- (reported) an attribute PATCH: ").append(pct(r.throughput / r.floor.throughput))
                    .append(" of its database floor\n");
        }
        if (r.name.startsWith("create with password")) {
            t.append("- (reported) creates with a bcrypt cost-10 password: ").append(pct(r.throughput
                    / r.floor.throughput)).append(" of the database floor for the same rows\n");
        }
        if (r.name.startsWith("export")) {
            double ratio = r.exportSeconds / r.exportFloorSeconds;
            boolean complete = !r.note.contains("time bound");
            t.append(rowVerdict(r, complete && ratio <= 1.5, "export of all users ≤ 1.5× the database floor's time: "
                    + fmt(ratio, 2) + "×" + (complete ? "" : " for the part done before the time bound")));
            long cap = settings.heapCapMiB();
            t.append(rowVerdict(r, complete && cap > 0 && cap <= 256, "export heap < 256 MiB: the whole walk "
                    + (complete ? "done" : "not done (time bound)") + " under a heap cap of "
                    + (cap > 0 ? cap + " MiB" : "none set (SERVER_OPTS without -Xmx)") + ", peak used sampled "
                    + r.heapMiB + " MiB"));
        }
        if (r.name.startsWith("group PATCH +")) {
            double ratio = r.p50 / r.floor.p50;
            t.append(rowVerdict(r, ratio <= 2.0, "adding " + r.name.replaceAll("^group PATCH \\+(\\d+).*", "$1")
                    + " members to the big group ≤ 2× the database floor: " + fmt(ratio, 2) + "× (p50 "
                    + fmt(r.p50, 1) + " ms vs " + fmt(r.floor.p50, 1) + " ms)"));
        }
        return t.toString();
    }

    /** A verdict on a row's figure: a row with failed operations measured something else, and meets nothing. */
    private static String rowVerdict(Row r, boolean met, String what) {
        return verdict(met && r.errors == 0, what + (r.errors == 0 ? "" : "; " + r.errors + " operations failed"));
    }

    /** The CPU per operation target of the rows named {@code prefix}: JVM and PostgreSQL, each at most its bound. */
    private void cpuTarget(StringBuilder t, Row r, String prefix, String what, double jvmMs, double pgMs) {
        if (!r.name.startsWith(prefix) || Double.isNaN(r.jvmCpuMs())) {
            return;
        }
        t.append(rowVerdict(r, r.jvmCpuMs() <= jvmMs && r.pgCpuMs() <= pgMs, what + " ≤ " + fmt(jvmMs, 1)
                + " ms JVM and ≤ " + fmt(pgMs, 1) + " ms PostgreSQL CPU: " + fmt(r.jvmCpuMs(), 2) + " ms JVM, "
                + fmt(r.pgCpuMs(), 2) + " ms PostgreSQL" + (settings.profile ? " (JFR recording: its cost is in the "
                + "JVM's figure; BENCH_PROFILE=0 for CPU runs)" : "")));
    }

    private static String verdict(boolean met, String what) {
        return "- " + (met ? "MET" : "MISSED") + ": " + what + "\n";
    }

    private static String pct(double ratio) {
        return fmt(100 * ratio, 0) + "%";
    }

    static String fmt(double v, int decimals) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "–";
        }
        return String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }

    /** Appends the table to RESULTS.md under the date, the mode, the commit, the settings and the load rate. */
    void append(String table) throws IOException {
        StringBuilder s = new StringBuilder();
        s.append("\n## ").append(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")))
                .append(" — ").append(settings.mode).append(" mode, commit ").append(settings.commit).append("\n\n");
        s.append(runSettings()).append("\n\n");
        String load = loadLines();
        if (!load.isEmpty()) {
            s.append("Loading (through UserService/GroupService on PostgresDirectoryStore):\n\n").append(load).append("\n\n");
        }
        s.append(table);
        Files.writeString(settings.resultsFile, s.toString(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.out.println("bench: appended to " + settings.resultsFile);
    }

    private String runSettings() {
        DataSet.Sizes sizes = settings.sizes;
        String only = Settings.env("BENCH_SCENARIOS", "");
        return sizes.users() + " users, " + sizes.groups() + " groups (one of " + sizes.bigGroup()
                + " members, the others " + sizes.groupSize() + "), " + settings.conns + " connections, "
                + "a warm-up of " + fmt(settings.warmup, 0) + " s, longer until the server's JIT compilers are quiet "
                + "(at most " + fmt(settings.warmupMost, 0) + " s), then " + fmt(settings.seconds, 0)
                + " s measured per scenario, sequential scenarios bounded at " + fmt(settings.sequentialBound, 0) + " s, "
                + "JFR " + (settings.profile ? "on (BENCH_PROFILE=1)" : "off") + ". "
                + machine() + (only.isEmpty() ? "" : " Only the scenarios " + only + ".");
    }

    /** The loader's rate lines from load.log, when this run loaded the data set. */
    private String loadLines() throws IOException {
        Path log = settings.work.resolve("load.log");
        if (!log.toFile().exists()) {
            return "";
        }
        return Files.readAllLines(log).stream().filter(l -> l.contains(" in ") && l.startsWith("loader:"))
                .map(l -> "- " + l.substring(8)).collect(Collectors.joining("\n"));
    }

    private static String machine() {
        return Runtime.getRuntime().availableProcessors() + " cores, Java " + Runtime.version() + ", PostgreSQL "
                + Settings.env("BENCH_PG_VERSION", "?") + ", load generator and server on the same machine (loopback), "
                + "nice " + Settings.env("BENCH_NICE", "0") + ". GETs are driven by wrk, writes and sequences by the "
                + "Java driver; 'vs HTTP floor' compares with the floor measured by the same tool.";
    }
}
