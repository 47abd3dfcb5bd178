import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the provisioning log costs a request: lookups and creates with the log on, each compared with
 * the same rows with the log off ({@code SCIM_LOG_ENABLED=false}) measured just before and just after
 * it in the same run (the server restarted between them, and warmed again on the lookup itself), so that drift in the
 * machine's load cancels out. Targets: lookups at least 95%, creates at least 90% of the log-off
 * throughput. Leaves the server running as it found it (log on, the default).
 */
final class LogCost {
    private static final String BASE = ServerUnderTest.BASE;
    private static final Map<String, String> LOG_OFF = Map.of("SCIM_LOG_ENABLED", "false");

    private final Settings settings;
    private final LoadDriver driver;
    private final ServerUnderTest server;

    LogCost(Settings settings, LoadDriver driver, ServerUnderTest server) {
        this.settings = settings;
        this.driver = driver;
        this.server = server;
    }

    void run() throws Exception {
        Row[] before = measured("log off", LOG_OFF, "lb");
        Row[] on = measured("log on", Map.of(), "lo");
        Row[] after = measured("log off", LOG_OFF, "la");
        judge(on[0], before[0], after[0], 0.95);
        judge(on[1], before[1], after[1], 0.90);
        server.restart(Map.of());
        driver.warmServer();
    }

    private static void judge(Row row, Row before, Row after, double target) {
        row.baselines = List.of(before, after);
        row.baselineTarget = target;
        row.baselineName = "the same rows with the log off (mean of the rows before and after it)";
    }

    /** A lookup row and a create row on a server started with {@code env}. */
    private Row[] measured(String label, Map<String, String> env, String prefix) throws Exception {
        server.restart(env);
        driver.warmServer();
        // The lookup's own path, the log's writer with it, until the JIT has compiled it: a row measured
        // on a server this fresh measures the compiler, and the log's extra code takes longer to compile.
        driver.warmGet(label + " lookups", ServerUnderTest.TOKEN, LogCost::lookupTarget,
                Integer.parseInt(Settings.env("BENCH_LOG_WARMUP", "20")));
        Row lookup = driver.wrkGet(label + ": lookup userName eq (wrk)", LogCost::lookupTarget,
                r -> r.status() == 200 && r.text().contains("\"totalResults\":1,"));
        Row create = driver.http(label + ": create POST /Users", (h, w, s) -> h.send("POST", BASE + "/Users",
                DataSet.user((int) s, settings.newName(prefix, w, s), UUID.randomUUID().toString(),
                        settings.newName(prefix, w, s), null).toString()).status() == 201);
        return new Row[] {lookup, create};
    }

    private static String lookupTarget(int user) {
        return "/Users?filter=" + RawHttp.encode("userName eq \"" + DataSet.userName(user) + "\"");
    }
}
