import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scenarios one client runs one request after another: large membership changes, the Okta
 * import and the export through every user (bounded by {@link Settings#sequentialBound}), and Bulk.
 * Each is compared with its floor by time.
 */
final class Sequences {
    private static final String BASE = ServerUnderTest.BASE;

    private final Settings settings;
    private final LoadedDataSet data;
    private final Floors floors;
    private final LoadDriver driver;
    private final ResultsTable results;
    private final ServerUnderTest server;

    Sequences(Settings settings, LoadedDataSet data, Floors floors, LoadDriver driver, ResultsTable results,
            ServerUnderTest server) {
        this.settings = settings;
        this.data = data;
        this.floors = floors;
        this.driver = driver;
        this.results = results;
        this.server = server;
    }

    /** Adding and removing 1,000 members of the big group in one PATCH each, one client. */
    void bigGroup() throws Exception {
        int[] pool = data.pool(i -> i % 4 == 2 && i >= settings.sizes.bigGroup());
        int batch = Math.min(1000, pool.length);
        int rounds = settings.full() ? 20 : 10;
        String label = "group PATCH +" + batch + " members (group of " + settings.sizes.bigGroup() + ")";
        String labelRemove = "group PATCH -" + batch + " members (group of " + settings.sizes.bigGroup() + ")";
        List<long[]> server = new ArrayList<>();
        long[] errors = new long[2];
        long heap = driver.measure(label, () -> bigGroupRounds(pool, batch, rounds, server, errors));
        CpuMeter.Usage cpu = driver.lastCpu();
        List<long[]> floor = new ArrayList<>();
        try (Connection c = settings.connectFloor()) {
            for (int r = 0; r < rounds + 1; r++) {
                UUID[] users = data.batchOf(pool, r % Math.max(1, pool.length / batch), batch);
                long t0 = System.nanoTime();
                floors.changeMembers(c, data.groupIds[0], users, true);
                long t1 = System.nanoTime();
                floors.changeMembers(c, data.groupIds[0], users, false);
                long t2 = System.nanoTime();
                if (r > 0) {
                    floor.add(new long[] {t1 - t0, t2 - t1});
                }
            }
        }
        for (int k = 0; k < 2; k++) {
            int kk = k;
            Row row = Row.of(k == 0 ? label : labelRemove, 1, server.stream().mapToLong(x -> x[kk]).toArray(),
                    errors[k], 0);
            row.heapMiB = heap;
            // The CPU of adding and removing, with the warm-up round, per PATCH of either kind.
            row.cpu = cpu;
            row.cpuOps = 2L * (rounds + 1);
            row.floor = Row.of("floor", 1, floor.stream().mapToLong(x -> x[kk]).toArray(), 0, 0);
            row.byTime = true;
            results.add(row);
        }
    }

    /** Each round one PATCH adding a batch and one removing it; the first round warms up. */
    private void bigGroupRounds(int[] pool, int batch, int rounds, List<long[]> times, long[] errors)
            throws Exception {
        String target = BASE + "/Groups/" + data.groupIds[0];
        try (RawHttp h = server.client()) {
            for (int r = 0; r < rounds + 1; r++) {
                UUID[] users = data.batchOf(pool, r % Math.max(1, pool.length / batch), batch);
                StringBuilder values = new StringBuilder();
                for (int k = 0; k < users.length; k++) {
                    values.append(k == 0 ? "" : ",").append("{\"value\":\"").append(users[k]).append("\"}");
                }
                String add = DataSet.patchRequest("{\"op\":\"add\",\"path\":\"members\",\"value\":[" + values + "]}");
                String remove = DataSet.patchRequest("{\"op\":\"remove\",\"path\":\"members\",\"value\":[" + values
                        + "]}");
                long t0 = System.nanoTime();
                boolean okAdd = h.send("PATCH", target, add).status() == 204;
                long t1 = System.nanoTime();
                boolean okRemove = h.send("PATCH", target, remove).status() == 204;
                long t2 = System.nanoTime();
                if (r > 0) {
                    times.add(new long[] {t1 - t0, t2 - t1});
                    errors[0] += okAdd ? 0 : 1;
                    errors[1] += okRemove ? 0 : 1;
                }
            }
        }
    }

    /** Where an answer says its totalResults. */
    private static final Pattern TOTAL_RESULTS = Pattern.compile("\"totalResults\":(\\d+)");

    /**
     * Okta's import: every user, 100 per page, one client, index paging. Nothing else writes during the
     * walk, so each page's totalResults must equal the count taken before it: a page that says another
     * is counted against the target.
     */
    void oktaImport() throws Exception {
        int total = floors.countMembers();
        int pages = (total + 99) / 100;
        String label = "Okta import: GET /Users 100 per page, all " + total + " users";
        long deadline = deadline();
        List<Long> lat = new ArrayList<>();
        long[] errors = new long[1];
        long[] inexact = new long[1];
        long[] elapsed = new long[1];
        double answeredBefore = server.metric(READ_AHEAD_ANSWERED);
        long heap = driver.measure(label, () -> {
            long start = System.nanoTime();
            try (RawHttp h = server.client()) {
                for (int p = 0; p < pages && System.nanoTime() < deadline; p++) {
                    long t0 = System.nanoTime();
                    RawHttp.Response r = h.send("GET", BASE + "/Users?startIndex=" + (1 + p * 100) + "&count=100",
                            null);
                    lat.add(System.nanoTime() - t0);
                    if (r.status() != 200) {
                        errors[0]++;
                        continue;
                    }
                    Matcher said = TOTAL_RESULTS.matcher(r.text());
                    inexact[0] += said.find() && Long.parseLong(said.group(1)) == total ? 0 : 1;
                }
            }
            elapsed[0] = System.nanoTime() - start;
        });
        int done = lat.size();
        CpuMeter.Usage cpu = driver.lastCpu();
        long readAhead = Math.round(server.metric(READ_AHEAD_ANSWERED) - answeredBefore);
        List<Long> floorLat = new ArrayList<>();
        long fstart = System.nanoTime();
        try (Connection c = settings.connect()) {
            for (int p = 0; p < done && settings.oktaCountedFloor; p++) {
                long t0 = System.nanoTime();
                floors.indexPage(c, 1 + p * 100, 100);
                floorLat.add(System.nanoTime() - t0);
            }
        }
        double felapsed = (System.nanoTime() - fstart) / 1e9;
        long ustart = System.nanoTime();
        try (Connection c = settings.connect()) {
            floors.pagesWithoutCount(c, done, 100);
        }
        double uncounted = (System.nanoTime() - ustart) / 1e9;
        Row row = Row.sequential(label, lat, errors[0]);
        row.sequenceSeconds = elapsed[0] / 1e9;
        row.pagesWithoutCountSeconds = uncounted;
        row.walkComplete = done == pages;
        row.inexactTotals = inexact[0];
        row.floor = floorLat.isEmpty() ? null : Row.sequential("floor", floorLat, 0);
        row.heapMiB = heap;
        row.cpu = cpu;
        row.byTime = true;
        row.note = String.format(Locale.ROOT, "%d/%d pages in %.1f s%s (%d answered from a read ahead); %d pages "
                        + "with a totalResults other than the %d counted before the walk; floor %s, the same pages "
                        + "without the count (keyset) %.1f s", done, pages, elapsed[0] / 1e9,
                done < pages ? " (time bound hit)" : "", readAhead, inexact[0], total,
                floorLat.isEmpty() ? "not read (BENCH_OKTA_COUNTED_FLOOR=0)"
                        : String.format(Locale.ROOT, "%.1f s", felapsed), uncounted);
        results.add(row);
    }

    /** The server's count of pages (cursor or index) answered from what it read ahead of the request. */
    private static final String READ_AHEAD_ANSWERED = "scim_cursor_read_ahead_total{outcome=\"answered\"}";

    /** The export of every user: cursor paging (RFC 9865) when the server has it, else index paging. */
    void export(boolean cursor) throws Exception {
        int total = floors.countMembers();
        String label = (cursor ? "export: cursor paging (RFC 9865)" : "export: index paging (no cursor yet)")
                + ", 1000 per page, all " + total + " users";
        // The floor: one query streaming the same rows in the same order, with their groups. It is read
        // once before the walk too, unjudged: the walk would otherwise read every page from disk into
        // PostgreSQL's cache and leave the floor after it to find them all there.
        long cstart = System.nanoTime();
        floors.export(total);
        double coldFloor = (System.nanoTime() - cstart) / 1e9;
        // The walk's path warmed as every other scenario's is: its first walk compiled as it went, and
        // the JIT's compiling was the largest share of the server's CPU a page (bench/RESULTS.md, 2026-12-06).
        double warmed = driver.warmUntilQuiet(seconds -> new ExportWalk(server, cursor,
                System.nanoTime() + seconds * 1_000_000_000L).run());
        ExportWalk walk = new ExportWalk(server, cursor, deadline());
        double answeredBefore = server.metric(READ_AHEAD_ANSWERED);
        long heap = driver.measure(label, walk::run);
        CpuMeter.Usage cpu = driver.lastCpu();
        long readAhead = Math.round(server.metric(READ_AHEAD_ANSWERED) - answeredBefore);
        long fstart = System.nanoTime();
        long frows = floors.export(walk.users);
        double felapsed = (System.nanoTime() - fstart) / 1e9;
        Row row = Row.sequential(label, walk.pages, walk.errors);
        row.heapMiB = heap;
        row.cpu = cpu;
        row.warmupSeconds = warmed;
        row.exportSeconds = walk.seconds;
        row.exportFloorSeconds = felapsed;
        row.note = String.format(Locale.ROOT, "%,d/%,d users in %.1f s = %,.0f users/s%s; floor streams them in "
                        + "%.1f s = %,.0f users/s (%.1f s before the walk, from a cold cache); time %.1f× floor; of "
                        + "the walk's time, %.1f s went to this client parsing the pages; %,d of %,d pages answered "
                        + "from a read ahead%s; the server's JVM CPU a page by thread, ms: %s", walk.users, total,
                walk.seconds, walk.users / walk.seconds, walk.users < total ? " (time bound hit)" : "", felapsed,
                frows / felapsed, coldFloor, walk.seconds / felapsed, walk.parseNanos / 1e9, readAhead,
                walk.pages.size(), pageCosts(walk.pages), driver.lastThreadsPerOp(walk.pages.size(), 0.05));
        row.byTime = true;
        row.floor = Row.of("floor", 1, new long[] {(long) (felapsed * 1e9)}, 0, 0);
        results.add(row);
    }

    /** The end of a sequence's time bound, from now. */
    private long deadline() {
        return System.nanoTime() + (long) (settings.sequentialBound * 1e9);
    }

    /**
     * Issue 3 asks the last page of a walk to cost within 1.5× of the first. The first page also
     * counts the total, so the second (the first that only seeks) is named too.
     */
    static String pageCosts(List<Long> pages) {
        if (pages.size() < 3) {
            return "";
        }
        long[] sorted = pages.stream().mapToLong(Long::longValue).sorted().toArray();
        double last = pages.get(pages.size() - 1) / 1e6;
        double beforeLast = pages.get(pages.size() - 2) / 1e6;
        return String.format(Locale.ROOT, "; pages: first %.1f ms (with the count), second %.1f ms, median %.1f ms, "
                        + "last two %.1f and %.1f ms; last / first = %.2f, last / second = %.2f", pages.get(0) / 1e6,
                pages.get(1) / 1e6, Row.percentile(sorted, 0.5) / 1e6, beforeLast, last, last / (pages.get(0) / 1e6),
                last / (pages.get(1) / 1e6));
    }

    /** Bulk of 1,000 creates, when ServiceProviderConfig says the server supports Bulk. */
    void bulk(JsonNode spc) throws Exception {
        if (!spc.path("bulk").path("supported").asBoolean(false)) {
            results.note("Bulk: not measured, ServiceProviderConfig says bulk.supported=false (POST /Bulk answers "
                    + server.get("/Bulk").status() + "/501)");
            return;
        }
        int ops = Math.min(1000, spc.path("bulk").path("maxOperations").asInt(1000));
        int rounds = settings.full() ? 10 : 5;
        String label = "Bulk: " + ops + " POST /Users in one POST /Bulk";
        List<Long> lat = new ArrayList<>();
        long[] errors = new long[1];
        List<Long> singles = new ArrayList<>();
        long[] singleErrors = new long[1];
        long heap = driver.measure(label, () -> {
            errors[0] = bulkRounds(ops, rounds, lat);
            singleErrors[0] = singlePostRounds(ops, rounds, singles);
        });
        List<Long> floor = new ArrayList<>();
        try (Connection c = settings.connectFloor()) {
            for (int r = 0; r < rounds + 1; r++) {
                long t0 = System.nanoTime();
                floors.bulk(c, r, ops);
                if (r > 0) {
                    floor.add(System.nanoTime() - t0);
                }
            }
        }
        Row row = Row.sequential(label, lat, errors[0]);
        row.heapMiB = heap;
        row.floor = Row.sequential("floor", floor, 0);
        row.byTime = true;
        Row single = Row.sequential(ops + " single POST /Users, one client, sequential", singles, singleErrors[0]);
        row.singlePostsP50 = single.p50;
        row.note = String.format(Locale.ROOT, "creates/s = %d / p50; the same %d creates as single POSTs from one "
                        + "client: p50 %,.0f ms (%d rounds, %d errors) = %.1f× the Bulk's time", ops, ops, single.p50,
                rounds, singleErrors[0], single.p50 / row.p50);
        results.add(row);
    }

    /** Each round one POST /Bulk of {@code ops} creates; the first round warms up. Answers the failed rounds. */
    private long bulkRounds(int ops, int rounds, List<Long> lat) throws Exception {
        long errors = 0;
        try (RawHttp h = server.client()) {
            for (int r = 0; r < rounds + 1; r++) {
                ObjectNode body = DataSet.JSON.createObjectNode();
                body.putArray("schemas").add("urn:ietf:params:scim:api:messages:2.0:BulkRequest");
                body.put("failOnErrors", 1);
                ArrayNode operations = body.putArray("Operations");
                for (int k = 0; k < ops; k++) {
                    String name = settings.newName("b", r, k);
                    ObjectNode op = operations.addObject();
                    op.put("method", "POST").put("path", "/Users").put("bulkId", "b" + k);
                    op.set("data", DataSet.user(k, name, UUID.randomUUID().toString(), name, null));
                }
                long t0 = System.nanoTime();
                RawHttp.Response resp = h.send("POST", BASE + "/Bulk", body.toString());
                long t = System.nanoTime() - t0;
                boolean good = resp.status() == 200 && !resp.text().contains("\"status\":\"4")
                        && !resp.text().contains("\"status\":\"5");
                if (r > 0) {
                    lat.add(t);
                    errors += good ? 0 : 1;
                }
            }
        }
        return errors;
    }

    /**
     * The baseline a Bulk is judged against: the same creates from the same one client as single POSTs, one
     * after another on one keep-alive connection, in the same run. Answers the failed POSTs.
     */
    private long singlePostRounds(int ops, int rounds, List<Long> roundTimes) throws Exception {
        long errors = 0;
        try (RawHttp h = server.client()) {
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                for (int k = 0; k < ops; k++) {
                    String name = settings.newName("s", r, k);
                    if (h.send("POST", BASE + "/Users", DataSet.user(k, name, UUID.randomUUID().toString(), name,
                            null).toString()).status() != 201) {
                        errors++;
                    }
                }
                roundTimes.add(System.nanoTime() - t0);
            }
        }
        return errors;
    }
}
