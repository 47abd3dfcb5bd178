import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drives the server under test and measures it: closed-loop scenarios through the Java driver
 * ({@link RawHttp}) or wrk, their database floors over JDBC from as many clients, and the profile
 * and heap peak of each measured window.
 */
final class LoadDriver {
    /** The measured part of a sequential scenario. */
    interface Measured {
        void run() throws Exception;
    }

    private static final String BASE = ServerUnderTest.BASE;
    private static final Pattern WRK_SUMMARY = Pattern.compile("WRK requests=(\\d+) duration_us=(\\d+) errors=(\\d+) "
            + "status=(\\d+) p50_us=(\\d+) p99_us=(\\d+)");

    private final Settings settings;
    private final ServerUnderTest server;
    private final Profiler profiler;
    private final HeapSampler sampler;
    private final ResultsTable results;
    private final CpuMeter cpu;
    private CpuMeter.Usage lastCpu = CpuMeter.Usage.NONE;
    private Map<String, Long> lastThreadsBefore = Map.of();
    private Map<String, Long> lastThreadsAfter = Map.of();

    LoadDriver(Settings settings, ServerUnderTest server, Profiler profiler, HeapSampler sampler,
            ResultsTable results, CpuMeter cpu) {
        this.settings = settings;
        this.cpu = cpu;
        this.server = server;
        this.profiler = profiler;
        this.sampler = sampler;
        this.results = results;
    }

    /** A closed-loop scenario through the Java driver, one keep-alive connection per worker. */
    Row http(String name, ClosedLoop.Work<RawHttp> op) throws Exception {
        return http(name, settings.conns, op);
    }

    /** The same with {@code conns} connections. */
    Row http(String name, int conns, ClosedLoop.Work<RawHttp> op) throws Exception {
        return http(name, conns, op, CpuMeter.Watch.NONE);
    }

    /** The same, {@code watch} told when the measured window starts and when it ends. */
    Row http(String name, int conns, ClosedLoop.Work<RawHttp> op, CpuMeter.Watch watch) throws Exception {
        profiler.start(name);
        sampler.begin();
        ClosedLoop<RawHttp> loop = new ClosedLoop<>(name, conns,
                start -> cpu.settled(start, settings.warmup, settings.warmupMost), settings.seconds, server::client,
                RawHttp::close, op);
        CpuMeter.Window window = cpu.window(loop, watch);
        Row row = loop.run();
        row.cpu = window.join();
        row.heapMiB = sampler.end();
        profiler.stop(name);
        results.add(row);
        return row;
    }

    /** The database floor of a closed-loop row: the same number of JDBC clients, back to back. */
    void dbFloor(Row row, ClosedLoop.Work<Connection> op) throws Exception {
        row.floor = new ClosedLoop<>("floor of " + row.name, row.connections,
                ClosedLoop.WarmUp.fixed(settings.warmup), settings.seconds,
                settings::connectFloor, LoadDriver::close, op).run();
        System.out.println("   floor: " + row.floor.line());
    }

    private static void close(Connection c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing
        }
    }

    /** Runs a sequential scenario's measured part inside its profile; answers the peak used heap in MiB. */
    long measure(String name, Measured body) throws Exception {
        profiler.start(name);
        sampler.begin();
        CpuMeter.Sample before = cpu.sample();
        Map<String, Long> threadsBefore = cpu.threadTicks();
        body.run();
        lastCpu = cpu.sample().minus(before);
        lastThreadsBefore = threadsBefore;
        lastThreadsAfter = cpu.threadTicks();
        long heap = sampler.end();
        profiler.stop(name);
        return heap;
    }

    /** The server's CPU over {@code body}, without a profile: for rows too short to record one. */
    CpuMeter.Usage cpuOver(Measured body) throws Exception {
        CpuMeter.Sample before = cpu.sample();
        body.run();
        return cpu.sample().minus(before);
    }

    /** The server's CPU over the last {@link #measure}. */
    CpuMeter.Usage lastCpu() {
        return lastCpu;
    }

    /**
     * The server's JVM CPU over the last {@link #measure} by thread group, in ms per {@code ops}
     * ({@link CpuMeter#threadsPerOp}).
     */
    String lastThreadsPerOp(long ops, double leastMs) {
        return CpuMeter.threadsPerOp(lastThreadsBefore, lastThreadsAfter, ops, leastMs);
    }

    /**
     * A GET scenario with wrk (bench/wrk/scim.lua): request targets drawn up front from random user
     * indexes, picked at random by wrk's connections; a warm-up run, then the measured run. The
     * first 20 targets are checked for the right answer first.
     */
    Row wrkGet(String name, IntFunction<String> target, Predicate<RawHttp.Response> check) throws Exception {
        return wrkGet(name, ServerUnderTest.TOKEN, target, check);
    }

    /** The same, authenticated by the bearer token {@code bearer}. */
    Row wrkGet(String name, String bearer, IntFunction<String> target, Predicate<RawHttp.Response> check)
            throws Exception {
        Path file = settings.workFile("paths-", name, ".txt");
        StringBuilder lines = new StringBuilder();
        for (int k = 0; k < 50_000; k++) {
            lines.append(BASE).append(target.apply(ThreadLocalRandom.current().nextInt(settings.sizes.users())))
                    .append('\n');
        }
        Files.writeString(file, lines);
        long wrong = wrongAnswers(lines.toString(), bearer, check);
        if (wrong > 0) {
            results.note(name + ": " + wrong + " of 20 checked answers were wrong");
        }
        // JFR's start slows the server for a while: it starts before the warm-up, out of the measured run.
        profiler.start(name);
        double warmed = warmWrk(file, bearer);
        sampler.begin();
        CpuMeter.Sample before = cpu.sample();
        String out = runWrk(file, (int) Math.ceil(settings.seconds), bearer);
        CpuMeter.Usage used = cpu.sample().minus(before);
        long heap = sampler.end();
        profiler.stop(name);
        Row row = wrkRow(name, out, wrong);
        row.warmupSeconds = warmed;
        row.cpu = used;
        row.heapMiB = heap;
        results.add(row);
        return row;
    }

    /**
     * The same GET by wrk for {@code seconds}, measured by nothing: it warms the server's path for
     * {@code bearer} before the rows that compare credentials.
     */
    void warmGet(String name, String bearer, IntFunction<String> target, int seconds) throws Exception {
        Path file = settings.workFile("paths-warm-", name, ".txt");
        StringBuilder lines = new StringBuilder();
        for (int k = 0; k < 10_000; k++) {
            lines.append(BASE).append(target.apply(ThreadLocalRandom.current().nextInt(settings.sizes.users())))
                    .append('\n');
        }
        Files.writeString(file, lines);
        runWrk(file, seconds, bearer);
    }

    private long wrongAnswers(String targets, String bearer, Predicate<RawHttp.Response> check) throws Exception {
        long wrong = 0;
        try (RawHttp h = server.client("Bearer " + bearer)) {
            for (String path : targets.lines().limit(20).toList()) {
                if (!check.test(h.send("GET", path, null))) {
                    wrong++;
                }
            }
        }
        return wrong;
    }

    /**
     * The row of wrk's summary line (scim.lua's done()); the wrong answers of the check count as errors, and
     * the answers other than 2xx and 3xx are no operations of the row (its latencies are wrk's, of all).
     */
    private Row wrkRow(String name, String wrkOutput, long wrong) {
        Matcher m = WRK_SUMMARY.matcher(wrkOutput);
        if (!m.find()) {
            throw new IllegalStateException("wrk failed: " + wrkOutput);
        }
        Row r = new Row();
        r.name = name;
        r.connections = settings.conns;
        r.ops = Long.parseLong(m.group(1)) - Long.parseLong(m.group(4));
        r.throughput = r.ops / (Long.parseLong(m.group(2)) / 1e6);
        r.errors = Long.parseLong(m.group(3)) + wrong;
        r.p50 = Long.parseLong(m.group(5)) / 1e3;
        r.p99 = Long.parseLong(m.group(6)) / 1e3;
        r.wrk = true;
        return r;
    }

    /**
     * The server's JIT is cold after the startup measurements: wrk on the HTTP floor, then on
     * lookups, so that the first floor is not measured on interpreted code.
     */
    void warmServer() throws Exception {
        long t0 = System.nanoTime();
        Path floor = settings.work.resolve("paths-warm-floor.txt");
        Files.writeString(floor, BASE + "/ServiceProviderConfig\n");
        Path lookups = settings.work.resolve("paths-warm-lookups.txt");
        StringBuilder lines = new StringBuilder();
        for (int k = 0; k < 10_000; k++) {
            int i = ThreadLocalRandom.current().nextInt(settings.sizes.users());
            lines.append(BASE).append("/Users?filter=").append(RawHttp.encode(k % 2 == 0
                    ? "userName eq \"" + DataSet.userName(i) + "\"" : "externalId eq \"" + DataSet.externalId(i) + "\""))
                    .append('\n');
        }
        Files.writeString(lookups, lines);
        int secs = Integer.parseInt(Settings.env("BENCH_SERVER_WARMUP", settings.full() ? "10" : "5"));
        runWrk(floor, secs, ServerUnderTest.TOKEN);
        runWrk(lookups, secs, ServerUnderTest.TOKEN);
        System.out.printf("bench: server warmed up for %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    /** One run of a warm-up, of about {@code seconds}. */
    @FunctionalInterface
    interface WarmRun {
        void run(int seconds) throws Exception;
    }

    /**
     * A warm-up: {@link Settings#warmup} seconds of {@code run}, then runs of {@link CpuMeter#QUIET_SECONDS}
     * until the server's JIT compilers were quiet through one, or {@link Settings#warmupMost}; answers its
     * length in seconds.
     */
    double warmUntilQuiet(WarmRun run) throws Exception {
        long start = System.nanoTime();
        run.run((int) Math.ceil(settings.warmup));
        while ((System.nanoTime() - start) / 1e9 < settings.warmupMost) {
            long before = cpu.jitTicks();
            run.run(CpuMeter.QUIET_SECONDS);
            if (CpuMeter.jitQuiet(cpu.jitTicks() - before)) {
                break;
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private double warmWrk(Path paths, String bearer) throws Exception {
        return warmUntilQuiet(seconds -> runWrk(paths, seconds, bearer));
    }

    private String runWrk(Path paths, int secs, String bearer) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("wrk", "-t2", "-c" + settings.conns, "-d" + secs + "s", "--timeout",
                "30s", "-s", Path.of(System.getenv("WRK_SCRIPTS"), "scim.lua").toString(),
                "http://127.0.0.1:" + server.port());
        pb.environment().put("BENCH_PATHS", paths.toString());
        pb.environment().put("BENCH_TOKEN", bearer);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }
}
