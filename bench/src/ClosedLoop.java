import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code connections} workers, each on a connection of its own, issuing operations back to back:
 * a warm-up, then a measured window. Every loop is bounded in time and in count.
 */
final class ClosedLoop<R> {
    interface Opener<R> {
        R open() throws Exception;
    }

    interface Closer<R> {
        void close(R r);
    }

    /** One operation of worker {@code worker}, its {@code seq}-th; answers whether it got the right answer. */
    interface Work<R> {
        boolean run(R r, int worker, long seq) throws Exception;
    }

    private static final long MAX_OPS = 5_000_000;

    private final String name;
    private final Opener<R> opener;
    private final Closer<R> closer;
    private final Work<R> work;
    private final long warmEnd;
    private final long end;
    private final AtomicLong issued = new AtomicLong();
    private final long[][] latencies;
    private final long[] errors;
    private final long[] lastDone;

    ClosedLoop(String name, int connections, double warmup, double seconds, Opener<R> opener, Closer<R> closer,
            Work<R> work) {
        this.name = name;
        this.opener = opener;
        this.closer = closer;
        this.work = work;
        this.warmEnd = System.nanoTime() + (long) (warmup * 1e9);
        this.end = warmEnd + (long) (seconds * 1e9);
        this.latencies = new long[connections][];
        this.errors = new long[connections];
        this.lastDone = new long[connections];
    }

    /** When the measured window starts and ends, System.nanoTime(). */
    long windowStart() {
        return warmEnd;
    }

    long windowEnd() {
        return end;
    }

    Row run() throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < latencies.length; w++) {
            int worker = w;
            Thread t = new Thread(() -> worker(worker));
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).toArray();
        long errs = Arrays.stream(errors).sum();
        long last = Arrays.stream(lastDone).max().orElse(end);
        double window = Math.max(1e-3, (Math.min(last, end) - warmEnd) / 1e9);
        return Row.of(name, latencies.length, all, errs, window);
    }

    private void worker(int worker) {
        Latencies lat = new Latencies();
        R r = null;
        try {
            r = opener.open();
            loop(r, worker, lat);
        } catch (Exception e) {
            System.err.println(name + ": worker failed: " + e);
        } finally {
            if (r != null) {
                closer.close(r);
            }
            errors[worker] = lat.countFailures();
            latencies[worker] = lat.toArray();
        }
    }

    private void loop(R r, int worker, Latencies lat) {
        long seq = 0;
        while (issued.incrementAndGet() <= MAX_OPS) {
            long t0 = System.nanoTime();
            if (t0 >= end) {
                break;
            }
            boolean ok = attempt(r, worker, seq++);
            long t1 = System.nanoTime();
            if (t0 >= warmEnd && t1 <= end) {
                lat.add(ok ? t1 - t0 : -(t1 - t0));
                lastDone[worker] = t1;
            }
        }
    }

    private boolean attempt(R r, int worker, long seq) {
        try {
            return work.run(r, worker, seq);
        } catch (Exception e) {
            System.err.println(name + ": " + e);
            return false;
        }
    }

    /** One worker's latencies in ns within the window, a failed operation's negated. */
    private static final class Latencies {
        private long[] values = new long[1 << 14];
        private int n;

        void add(long latency) {
            if (n == values.length) {
                values = Arrays.copyOf(values, n * 2);
            }
            values[n++] = latency;
        }

        /** Counts the failed operations and makes their latencies positive again. */
        long countFailures() {
            long failures = 0;
            for (int k = 0; k < n; k++) {
                if (values[k] < 0) {
                    failures++;
                    values[k] = -values[k];
                }
            }
            return failures;
        }

        long[] toArray() {
            return Arrays.copyOf(values, n);
        }
    }
}
