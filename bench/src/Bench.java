import com.fasterxml.jackson.databind.JsonNode;
import dev.scimserver.store.Database;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bench driver: starts the packaged server against the PostgreSQL that run.sh started, runs
 * every scenario closed-loop with a fixed number of connections (its own keep-alive HTTP client,
 * {@link RawHttp}), runs each scenario's database floor with as many JDBC clients, samples the
 * server's heap (jstat) and RSS (/proc), and prints one table, also appended to RESULTS.md.
 *
 * Usage: Bench JAR JDBC_URL DB_USER DB_PASSWORD MODE WORK_DIR RESULTS_MD COMMIT
 */
public final class Bench {
    private final Settings settings;
    private final ServerUnderTest server;
    private final HeapSampler sampler = new HeapSampler();
    private final Profiler profiler;
    private final ResultsTable results;
    private final LoadDriver driver;
    private final CpuMeter cpu;

    private Bench(Settings settings) {
        this.settings = settings;
        this.server = new ServerUnderTest(settings);
        this.profiler = new Profiler(settings, server);
        this.results = new ResultsTable(settings);
        this.cpu = new CpuMeter(settings.work.resolve("pg"));
        this.driver = new LoadDriver(settings, server, profiler, sampler, results, cpu);
    }

    public static void main(String[] args) throws Exception {
        new Bench(new Settings(args)).run();
    }

    private void run() throws Exception {
        migrate();
        LoadedDataSet.reset(settings);
        LoadedDataSet data = LoadedDataSet.read(settings);
        long embeddedRestart = embeddedRestartMedian();
        long startupMedian = startupMedian();
        sampler.start(server.pid());
        cpu.server(server::pid);
        String loadBefore = loadAverage();
        try {
            scenarios(data);
        } finally {
            sampler.stop();
        }
        results.note("machine load average (1/5/15 min) at start " + loadBefore + ", at end " + loadAverage()
                + " — other work on the 2 cores shows here and lowers every figure");
        long rssPeak = server.peakRssMiB();
        server.stop();
        String table = results.render(startupMedian, embeddedRestart, rssPeak, sampler.runPeakMiB());
        System.out.println();
        System.out.println(table);
        profiler.write();
        results.append(table);
    }

    /**
     * Restarts on the embedded default: the first start initialises DATA_DIR (not counted), then three
     * restarts of the server on it; answers their median in ms, or -1 when BENCH_EMBEDDED=0.
     */
    private long embeddedRestartMedian() throws Exception {
        if (Settings.env("BENCH_EMBEDDED", "1").equals("0")) {
            return -1;
        }
        Path dataDir = settings.work.resolve("embedded-data");
        List<Long> restarts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            long ms = server.start(dataDir);
            server.stop();
            if (i > 0) {
                restarts.add(ms);
            }
        }
        List<Long> sorted = new ArrayList<>(restarts);
        sorted.sort(null);
        long median = sorted.get(1);
        results.add(timesRow("restart on the embedded default (DATA_DIR initialised) to first answer", restarts));
        results.note("restart to first answer on the embedded default (DATA_DIR initialised, JVM "
                + Runtime.version().feature() + ", " + settings.serverOpts() + "): " + restarts + " ms, median "
                + median + " ms");
        return median;
    }

    /**
     * Brings the schema to this commit's before any server starts: a migration that builds an index
     * over the retained log again takes minutes there, which the startup rows must not count, and
     * the reset's SQL is written for the current schema.
     */
    private void migrate() throws Exception {
        long t0 = System.nanoTime();
        try (Database ignored = Database.external(settings.jdbcUrl, settings.dbUser, settings.dbPassword, 1)) {
            System.out.printf("bench: schema migrated in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        }
    }

    /** Starts the server three times, leaving the last one running; answers the median startup in ms. */
    private long startupMedian() throws Exception {
        List<Long> startups = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            startups.add(server.start());
            if (i < 2) {
                server.stop();
            }
        }
        List<Long> sorted = new ArrayList<>(startups);
        sorted.sort(null);
        long median = sorted.get(1);
        results.add(timesRow("startup on external PostgreSQL to first answer", startups));
        results.note("startup to first answer (authenticated GET ServiceProviderConfig, external PostgreSQL, "
                + settings.sizes.users() + " users, JVM " + Runtime.version().feature() + ", "
                + settings.serverOpts() + "): " + startups + " ms, median " + median + " ms");
        return median;
    }

    /** A row of a few timed starts: its p50 is their median (ms as measured, one after another). */
    private static Row timesRow(String name, List<Long> ms) {
        Row row = Row.sequential(name, ms.stream().map(t -> t * 1_000_000L).toList(), 0);
        row.byTime = true;
        row.note = "the starts' times " + ms + " ms";
        return row;
    }

    private interface Scenario {
        void run() throws Exception;
    }

    /** Every scenario BENCH_SCENARIOS asks for, by its key there, in the table's order. */
    private void scenarios(LoadedDataSet data) throws Exception {
        boolean cursor = server.pagesByCursor();
        JsonNode spc = server.serviceProviderConfig();
        driver.warmServer();
        Floors floors = new Floors(settings, data);
        Scenarios scenarios = new Scenarios(settings, data, floors, driver, results);
        Sequences sequences = new Sequences(settings, data, floors, driver, results, server);
        Map<String, Scenario> byKey = new LinkedHashMap<>();
        byKey.put("floor", scenarios::httpFloor);
        byKey.put("lookup", () -> {
            scenarios.userLookups();
            scenarios.groupLookup();
        });
        byKey.put("auth", new CredentialLookups(settings, data, driver, results)::run);
        byKey.put("probe", scenarios::membershipProbe);
        byKey.put("patch", scenarios::deactivate);
        byKey.put("attrs", scenarios::attributeChange);
        byKey.put("group1", scenarios::groupOneMember);
        byKey.put("group1000", sequences::bigGroup);
        byKey.put("pages", scenarios::indexPages);
        byKey.put("okta", sequences::oktaImport);
        byKey.put("export", () -> sequences.export(cursor));
        byKey.put("create", scenarios::creates);
        byKey.put("entra", scenarios::entraFirstSync);
        byKey.put("bulk", () -> sequences.bulk(spc));
        byKey.put("roles", new RoleRecompute(settings, driver, server, results)::run);
        byKey.put("console", new ConsolePages(settings, data, results, driver)::run);
        byKey.put("events", new EventDelivery(settings, data, driver, results)::run);
        byKey.put("log", new LogCost(settings, driver, server, results)::run);
        for (Map.Entry<String, Scenario> scenario : byKey.entrySet()) {
            if (settings.want(scenario.getKey())) {
                scenario.getValue().run();
            }
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + "/" + f[1] + "/" + f[2];
        } catch (IOException e) {
            return "?";
        }
    }
}
