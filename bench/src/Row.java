import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** One line of the results table: a scenario as measured, with its database floor when it has one. */
final class Row {
    String name;
    int connections;
    long ops;
    double throughput;
    double p50;
    double p99;
    long errors;
    Row floor;
    long heapMiB = -1;
    /** Driven by wrk: compared with wrk's HTTP floor, not the Java driver's. */
    boolean wrk;
    /** A sequence or a single large operation: compared with its floor by time, not by throughput. */
    boolean byTime;
    String note = "";
    /** How long the scenario warmed the server before its measured window (NaN: not warmed by time). */
    double warmupSeconds = Double.NaN;
    /** The server's CPU over the measured window (JVM and PostgreSQL), and the operations it is divided by. */
    CpuMeter.Usage cpu = CpuMeter.Usage.NONE;
    long cpuOps = -1;
    double exportSeconds;
    double exportFloorSeconds;
    double singlePostsP50;
    /** A sequence's wall time, and the same pages' time read without counting (the Okta import's target). */
    double sequenceSeconds;
    double pagesWithoutCountSeconds;
    /** The members the directory held when the scenario ran (-1: not counted): created ones included. */
    long members = -1;
    /** Whether a walk through every page ended before its time bound. */
    boolean walkComplete;
    /** The Okta import's pages whose totalResults was not the count taken before the walk. */
    long inexactTotals;
    /**
     * The page statements (those with an OFFSET) the server ran in the measured scenario: executions,
     * and how many of them PostgreSQL planned (pg_stat_statements with track_planning); -1 when unread.
     */
    long pageStatementCalls = -1;
    long pageStatementPlans = -1;
    /**
     * The most rows PostgreSQL updated in one table during the scenario, warm-up included
     * (pg_stat_user_tables), -1 when unread; and every table updated, with its rows.
     */
    long rowsUpdated = -1;
    String rowsUpdatedBy = "";
    /**
     * The rows this one's throughput is judged against, by their mean (the same work measured around
     * or interleaved with it, so that drift in the machine's load and the JIT's warmth cancels out);
     * empty when none.
     */
    List<Row> baselines = List.of();
    /** The share of the baselines' throughput this row must reach. */
    double baselineTarget = 0.9;
    /** What the baselines are, for the verdict. */
    String baselineName = "the same lookup by the environment token (the same interleaved rounds)";

    /** Latencies in ns; the throughput over {@code window} seconds, or over their sum when there is no window. */
    static Row of(String name, int connections, long[] latencies, long errors, double window) {
        Row r = new Row();
        r.name = name;
        r.connections = connections;
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        r.ops = sorted.length;
        double total = Arrays.stream(sorted).sum() / 1e9;
        double seconds = window > 0 ? window : total;
        r.throughput = seconds > 0 ? r.ops / seconds : 0;
        r.p50 = percentile(sorted, 0.50) / 1e6;
        r.p99 = percentile(sorted, 0.99) / 1e6;
        r.errors = errors;
        return r;
    }

    /**
     * Several measured windows of one scenario as one row: the operations over the windows' summed
     * time, and the CPU they measured over those operations; p50 the median of theirs, p99 the worst of theirs (percentiles of wrk's summaries
     * cannot be merged exactly).
     */
    static Row combined(String name, List<Row> parts) {
        Row r = new Row();
        r.name = name;
        r.connections = parts.get(0).connections;
        r.wrk = parts.get(0).wrk;
        double seconds = 0;
        long jvmTicks = 0;
        long pgTicks = 0;
        long cpuOps = 0;
        for (Row part : parts) {
            jvmTicks = part.cpu.jvmTicks() < 0 || jvmTicks < 0 ? -1 : jvmTicks + part.cpu.jvmTicks();
            pgTicks = part.cpu.pgTicks() < 0 || pgTicks < 0 ? -1 : pgTicks + part.cpu.pgTicks();
            cpuOps += part.cpuOps >= 0 ? part.cpuOps : part.ops;
            r.ops += part.ops;
            r.errors += part.errors;
            r.heapMiB = Math.max(r.heapMiB, part.heapMiB);
            r.p99 = Math.max(r.p99, part.p99);
            seconds += part.ops / part.throughput;
        }
        r.throughput = r.ops / seconds;
        r.cpu = new CpuMeter.Usage(jvmTicks, pgTicks);
        r.cpuOps = cpuOps;
        double[] p50s = parts.stream().mapToDouble(p -> p.p50).sorted().toArray();
        r.p50 = p50s[p50s.length / 2];
        return r;
    }

    /** Operations one after another from one client, latencies in ns. */
    static Row sequential(String name, List<Long> latencies, long errors) {
        return of(name, 1, latencies.stream().mapToLong(Long::longValue).toArray(), errors, 0);
    }

    static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int k = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, k))];
    }

    double jvmCpuMs() {
        return cpu.jvmMsPerOp(cpuOps >= 0 ? cpuOps : ops);
    }

    double pgCpuMs() {
        return cpu.pgMsPerOp(cpuOps >= 0 ? cpuOps : ops);
    }

    String line() {
        return String.format(Locale.ROOT, "%-60s c=%d ops=%d %.0f/s p50=%.2fms p99=%.2fms errors=%d cpu/op jvm=%.3fms "
                + "pg=%.3fms", name, connections, ops, throughput, p50, p99, errors, jvmCpuMs(), pgCpuMs());
    }
}
