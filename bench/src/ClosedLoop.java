import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code connections} workers, each on a connection of its own, issuing operations back to back:
 * a warm-up, then a measured window. Every loop is bounded in time and in count.
 * {@link #MAX_OPS} bounds the warm-up's operations too: a loop whose warm-up issues them all measures nothing.
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

    /**
     * When the warm-up of a loop that started at {@code startNanos} ends, System.nanoTime(); it may
     * wait for the moment, the workers running meanwhile.
     */
    interface WarmUp {
        long end(long startNanos) throws InterruptedException;

        /** A warm-up of {@code seconds}, however warm the server is by then. */
        static WarmUp fixed(double seconds) {
            return start -> start + (long) (seconds * 1e9);
        }
    }

    private static final long MAX_OPS = 5_000_000;

    private final String name;
    private final Opener<R> opener;
    private final Closer<R> closer;
    private final Work<R> work;
    private final WarmUp warmUp;
    private final long seconds;
    /** The measured window's start and end, System.nanoTime(): no end while the warm-up lasts. */
    private volatile long[] window = {Long.MAX_VALUE, Long.MAX_VALUE};
    private final CountDownLatch windowKnown = new CountDownLatch(1);
    private final AtomicLong issued = new AtomicLong();
    private final long[][] latencies;
    private final long[] errors;
    private final long[] lastDone;

    ClosedLoop(String name, int connections, WarmUp warmUp, double seconds, Opener<R> opener, Closer<R> closer,
            Work<R> work) {
        this.name = name;
        this.opener = opener;
        this.closer = closer;
        this.work = work;
        this.warmUp = warmUp;
        this.seconds = (long) (seconds * 1e9);
        this.latencies = new long[connections][];
        this.errors = new long[connections];
        this.lastDone = new long[connections];
    }

    /** The measured window's start and end, System.nanoTime(), once the warm-up has ended. */
    long[] awaitWindow() throws InterruptedException {
        windowKnown.await();
        return window;
    }

    Row run() throws InterruptedException {
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < latencies.length; w++) {
            int worker = w;
            Thread t = new Thread(() -> worker(worker));
            t.start();
            threads.add(t);
        }
        long warmEnd = warmUp.end(start);
        window = new long[] {warmEnd, warmEnd + seconds};
        windowKnown.countDown();
        for (Thread t : threads) {
            t.join();
        }
        long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).toArray();
        long errs = Arrays.stream(errors).sum();
        long end = window[1];
        long last = Arrays.stream(lastDone).max().orElse(end);
        double measured = Math.max(1e-3, (Math.min(last, end) - warmEnd) / 1e9);
        Row row = Row.of(name, latencies.length, all, errs, measured);
        row.warmupSeconds = (warmEnd - start) / 1e9;
        return row;
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
            errors[worker] = lat.failures();
            latencies[worker] = lat.successes();
        }
    }

    private void loop(R r, int worker, Latencies lat) {
        long seq = 0;
        while (issued.incrementAndGet() <= MAX_OPS) {
            long t0 = System.nanoTime();
            long[] measured = window;
            if (t0 >= measured[1]) {
                break;
            }
            boolean ok = attempt(r, worker, seq++);
            long t1 = System.nanoTime();
            if (t0 >= measured[0] && t1 <= measured[1]) {
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

        long failures() {
            return Arrays.stream(values, 0, n).filter(v -> v < 0).count();
        }

        /**
         * The latencies of the operations that succeeded: a failed one (a fast refusal, say) is no
         * operation of its row, neither in its throughput nor in the count its CPU is divided by.
         */
        long[] successes() {
            return Arrays.stream(values, 0, n).filter(v -> v >= 0).toArray();
        }
    }
}
