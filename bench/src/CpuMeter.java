import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * The CPU time the server spends, split into its JVM and PostgreSQL, from /proc: utime + stime of
 * the server's process, and of every process whose parent is the postmaster plus the postmaster's
 * cutime + cstime (the time of backends that exited and were reaped: a closed connection's time
 * would be lost otherwise). Read before and after a measured window; the difference divided by
 * the operations is the row's CPU per operation. Clock ticks: CLK_TCK, 100 on Linux.
 */
final class CpuMeter {
    /** Clock ticks per second of /proc's utime and stime (getconf CLK_TCK). */
    static final double TICKS_PER_SECOND = 100;

    /** CPU ticks of the server's JVM and of PostgreSQL at one instant. */
    record Sample(long jvmTicks, long pgTicks) {
        Usage minus(Sample before) {
            return new Usage(jvmTicks - before.jvmTicks, pgTicks - before.pgTicks);
        }
    }

    /** CPU ticks spent over a window; per operation in ms. */
    record Usage(long jvmTicks, long pgTicks) {
        static final Usage NONE = new Usage(-1, -1);

        double jvmMsPerOp(long ops) {
            return perOp(jvmTicks, ops);
        }

        double pgMsPerOp(long ops) {
            return perOp(pgTicks, ops);
        }

        private static double perOp(long ticks, long ops) {
            return ticks < 0 || ops <= 0 ? Double.NaN : ticks * 1000.0 / TICKS_PER_SECOND / ops;
        }
    }

    /** A measured window that another thread runs: samples at its start and its end (System.nanoTime()). */
    final class Window {
        private final Thread thread;
        private volatile Usage usage = Usage.NONE;

        private Window(ClosedLoop<?> loop, Watch watch) {
            thread = new Thread(() -> {
                try {
                    long[] window = loop.awaitWindow();
                    sleepUntil(window[0]);
                    Sample before = sample();
                    watch.started();
                    sleepUntil(window[1]);
                    usage = sample().minus(before);
                    watch.ended();
                } catch (Exception e) {
                    System.err.println("bench: the measured window's watch failed: " + e);
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        Usage join() throws InterruptedException {
            thread.join();
            return usage;
        }

        static void sleepUntil(long nanos) throws InterruptedException {
            long wait = nanos - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        }
    }

    private final Path postmasterPidFile;
    /** Asked at every sample: a scenario that restarts the server has a new process. */
    private LongSupplier serverPid = () -> -1;

    CpuMeter(Path pgData) {
        this.postmasterPidFile = pgData.resolve("postmaster.pid");
    }

    void server(LongSupplier pid) {
        this.serverPid = pid;
    }

    /** The CPU of the window {@code loop} measures, once its warm-up has decided where that window lies. */
    Window window(ClosedLoop<?> loop) {
        return window(loop, Watch.NONE);
    }

    Window window(ClosedLoop<?> loop, Watch watch) {
        return new Window(loop, watch);
    }

    /** What else is read at the instants a closed loop's measured window starts and ends. */
    interface Watch {
        Watch NONE = new Watch() {
            @Override
            public void started() {
            }

            @Override
            public void ended() {
            }
        };

        void started() throws Exception;

        void ended() throws Exception;
    }

    /**
     * CPU ticks the server's JIT compiler threads have spent so far: while they still compile, the
     * server's CPU an operation includes the compiling, and its throughput the contention with it.
     * HotSpot names them "C1 CompilerThreadN" and "C2 CompilerThreadN" (/proc cuts names at 15 characters).
     */
    long jitTicks() {
        long ticks = 0;
        try (Stream<Path> threads = Files.list(Path.of("/proc", Long.toString(serverPid.getAsLong()), "task"))) {
            for (Path thread : (Iterable<Path>) threads::iterator) {
                ticks += compilerTicks(thread);
            }
        } catch (IOException | RuntimeException e) {
            // The server is gone: the ticks summed so far stand.
        }
        return ticks;
    }

    /** utime + stime of a thread of the server if it is a JIT compiler's, else (or once it has ended) 0. */
    private static long compilerTicks(Path thread) {
        try {
            String s = Files.readString(thread.resolve("stat"));
            String name = s.substring(s.indexOf('(') + 1, s.lastIndexOf(')'));
            if (!name.startsWith("C1 CompilerThre") && !name.startsWith("C2 CompilerThre")) {
                return 0;
            }
            String[] f = s.substring(s.lastIndexOf(')') + 2).trim().split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /**
     * Waits from {@code startNanos} for at least {@code least} seconds and then until the JIT compilers
     * have been quiet over the last {@value #QUIET_SECONDS} s (at most {@value #QUIET_TICKS} ticks, 2% of
     * a core), or until {@code most} seconds: answers when the warm-up ended, System.nanoTime().
     */
    long settled(long startNanos, double least, double most) throws InterruptedException {
        long leastEnd = startNanos + (long) (least * 1e9);
        long mostEnd = startNanos + (long) (Math.max(least, most) * 1e9);
        Window.sleepUntil(leastEnd - (long) (QUIET_SECONDS * 1e9));
        ArrayDeque<long[]> recent = new ArrayDeque<>();
        while (true) {
            long now = System.nanoTime();
            long ticks = jitTicks();
            recent.addLast(new long[] {now, ticks});
            while (now - recent.peekFirst()[0] > (long) (QUIET_SECONDS * 1e9)) {
                recent.removeFirst();
            }
            boolean spanned = now - recent.peekFirst()[0] >= (long) ((QUIET_SECONDS - 0.5) * 1e9);
            if (now >= mostEnd || (now >= leastEnd && spanned && jitQuiet(ticks - recent.peekFirst()[1]))) {
                return now;
            }
            Thread.sleep(250);
        }
    }

    /**
     * CPU ticks of the server's threads so far, by group: a thread's name less its trailing number
     * ("scim-read-ahead-2" counts as "scim-read-ahead", "GC Thread#1" as "GC Thread"), as /proc gives
     * it, cut at 15 characters ("JettyServerThre"). A thread that ended took its ticks with it.
     */
    Map<String, Long> threadTicks() {
        Map<String, Long> groups = new TreeMap<>();
        try (Stream<Path> threads = Files.list(Path.of("/proc", Long.toString(serverPid.getAsLong()), "task"))) {
            for (Path thread : (Iterable<Path>) threads::iterator) {
                try {
                    String s = Files.readString(thread.resolve("stat"));
                    String name = s.substring(s.indexOf('(') + 1, s.lastIndexOf(')')).replaceFirst("[-# ]*\\d*$", "");
                    String[] f = s.substring(s.lastIndexOf(')') + 2).trim().split(" ");
                    groups.merge(name, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
                } catch (IOException | RuntimeException e) {
                    // The thread ended between the listing and the read.
                }
            }
        } catch (IOException | RuntimeException e) {
            // The server is gone: the groups read so far stand.
        }
        return groups;
    }

    /**
     * What each group of {@code after} spent since {@code before}, in ms per operation, largest first,
     * those of at least {@code leastMs}: "name 1.23, name 0.45".
     */
    static String threadsPerOp(Map<String, Long> before, Map<String, Long> after, long ops, double leastMs) {
        StringJoiner shares = new StringJoiner(", ");
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), Usage.perOp(e.getValue() - before.getOrDefault(e.getKey(), 0L), ops)))
                .filter(e -> e.getValue() >= leastMs)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> shares.add(String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue())));
        return shares.toString();
    }

    /** Whether the JIT compilers' {@code ticks} over {@link #QUIET_SECONDS} are few enough to measure by. */
    static boolean jitQuiet(long ticks) {
        return ticks <= QUIET_TICKS;
    }

    static final int QUIET_SECONDS = 2;
    private static final long QUIET_TICKS = 4;

    Sample sample() {
        long postmaster = postmasterPid();
        long pg = 0;
        if (postmaster > 0) {
            long[] own = stat(postmaster);
            pg = own == null ? 0 : own[1] + own[2] + own[3] + own[4];
            try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
                for (Path p : (Iterable<Path>) procs::iterator) {
                    String name = p.getFileName().toString();
                    if (!name.chars().allMatch(Character::isDigit)) {
                        continue;
                    }
                    long[] s = stat(Long.parseLong(name));
                    if (s != null && s[0] == postmaster) {
                        pg += s[1] + s[2] + s[3] + s[4];
                    }
                }
            } catch (IOException e) {
                // /proc unreadable: the figure stays what was summed
            }
        }
        long[] jvm = stat(serverPid.getAsLong());
        return new Sample(jvm == null ? 0 : jvm[1] + jvm[2], pg);
    }

    private long postmasterPid() {
        try {
            return Long.parseLong(Files.readAllLines(postmasterPidFile).get(0).trim());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** ppid, utime, stime, cutime, cstime of a process, or null when it is gone. */
    private static long[] stat(long pid) {
        try {
            String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name is in parentheses and may hold spaces: the fields follow the last ')'.
            String[] f = s.substring(s.lastIndexOf(')') + 2).trim().split(" ");
            // f[0] is the state (field 3): ppid is field 4, utime..cstime fields 14..17.
            return new long[] {Long.parseLong(f[1]), Long.parseLong(f[11]), Long.parseLong(f[12]),
                    Long.parseLong(f[13]), Long.parseLong(f[14])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
