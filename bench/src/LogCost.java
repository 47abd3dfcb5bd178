import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the provisioning log costs a request: lookups and creates on the server with the log on (the
 * default), each compared with the same rows on a second server beside it started with the log off
 * ({@code SCIM_LOG_ENABLED=false}), on the same database. Both are warmed on the lookup, then measured
 * one after the other in {@link InterleavedRounds}, so that the machine's drift and each JVM's own
 * warmth cancel out; a server restarted between rows measured its JIT as
 * much as the log. The first round is shown but not judged: it is where each server's create path
 * is compiled. Targets: lookups at least 95%, creates at least 90% of the log-off server's throughput
 * over the other rounds, of which half run each order. The log-off server is stopped at the end.
 */
final class LogCost {
    private static final String BASE = ServerUnderTest.BASE;
    private static final Map<String, String> LOG_OFF = Map.of("SCIM_LOG_ENABLED", "false");

    private final Settings settings;
    private final LoadDriver driver;
    private final ServerUnderTest server;
    private final ResultsTable results;

    LogCost(Settings settings, LoadDriver driver, ServerUnderTest server, ResultsTable results) {
        this.settings = settings;
        this.driver = driver;
        this.server = server;
        this.results = results;
    }

    /** One of the two servers and the driver that measures it. */
    private record Side(String label, String prefix, LoadDriver driver) {
    }

    void run() throws Exception {
        ServerUnderTest off = new ServerUnderTest(settings, settings.port + 1);
        HeapSampler sampler = new HeapSampler();
        CpuMeter cpu = new CpuMeter(settings.work.resolve("pg"));
        try {
            off.restart(LOG_OFF);
            sampler.start(off.pid());
            cpu.server(off::pid);
            List<Side> sides = List.of(new Side("log on", "lo", driver),
                    new Side("log off", "lf", new LoadDriver(settings, off, new Profiler(settings, off), sampler,
                            results, cpu)));
            measureInRounds(sides);
        } finally {
            sampler.stop();
            off.stop();
        }
    }

    private void measureInRounds(List<Side> sides) throws Exception {
        int rounds = Integer.parseInt(Settings.env("BENCH_LOG_ROUNDS", "5"));
        if (rounds < 2) {
            throw new IllegalArgumentException("BENCH_LOG_ROUNDS must be at least 2 (the first only warms): " + rounds);
        }
        int warmup = Integer.parseInt(Settings.env("BENCH_LOG_WARMUP", "20"));
        for (Side side : sides) {
            // The lookup's own path, the log's writer with it, until the JIT has compiled it: a row
            // measured on a server this fresh measures the compiler.
            side.driver().warmServer();
            side.driver().warmGet(side.label() + " lookups", ServerUnderTest.TOKEN, LogCost::lookupTarget, warmup);
        }
        List<List<Row>> lookups = List.of(new ArrayList<>(), new ArrayList<>());
        List<List<Row>> creates = List.of(new ArrayList<>(), new ArrayList<>());
        InterleavedRounds.run(sides, rounds, (side, round) -> {
            int i = sides.indexOf(side);
            String name = side.label() + ", round " + round;
            String prefix = side.prefix() + round;
            settle();
            lookups.get(i).add(side.driver().wrkGet(name + ": lookup userName eq (wrk)", LogCost::lookupTarget,
                    r -> r.status() == 200 && r.text().contains("\"totalResults\":1,")));
            creates.get(i).add(side.driver().http(name + ": create POST /Users", (h, w, s) -> h.send("POST",
                    BASE + "/Users", DataSet.user((int) s, settings.newName(prefix, w, s),
                            UUID.randomUUID().toString(), settings.newName(prefix, w, s), null)
                            .toString()).status() == 201));
        });
        judge("lookup userName eq (wrk)", lookups, 0.95);
        judge("create POST /Users", creates, 0.90);
    }

    /**
     * Vacuums what the creates before a lookup phase wrote: their rows, their index entries and the
     * trigram indexes' pending lists. Left to autovacuum, that work started during the next phase,
     * whichever side's it was, and decided the rounds it fell in (bench/RESULTS.md, 2026-12-03 16:56).
     */
    private void settle() throws Exception {
        try (Connection c = settings.connect(); Statement s = c.createStatement()) {
            s.execute("VACUUM (ANALYZE) users, workspace_members, member_emails, change_journal");
        }
    }

    /** Judges the rounds after the first: {@code rows} holds the log-on side's rounds, then the log-off side's. */
    private void judge(String what, List<List<Row>> rows, double target) {
        int rounds = rows.get(0).size();
        String judged = ", rounds 2-" + rounds;
        Row on = Row.combined("log on: " + what + judged, rows.get(0).subList(1, rounds));
        Row off = Row.combined("log off: " + what + judged + ", on a server beside it", rows.get(1).subList(1, rounds));
        on.baselines = List.of(off);
        on.baselineTarget = target;
        on.baselineName = "the same rows on the log-off server beside it (the same interleaved rounds)";
        results.add(off);
        results.add(on);
    }

    private static String lookupTarget(int user) {
        return "/Users?filter=" + RawHttp.encode("userName eq \"" + DataSet.userName(user) + "\"");
    }
}
