import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

        private Window(long startNanos, long endNanos) {
            thread = new Thread(() -> {
                try {
                    sleepUntil(startNanos);
                    Sample before = sample();
                    sleepUntil(endNanos);
                    usage = sample().minus(before);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        Usage join() throws InterruptedException {
            thread.join();
            return usage;
        }

        private static void sleepUntil(long nanos) throws InterruptedException {
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

    Window window(long startNanos, long endNanos) {
        return new Window(startNanos, endNanos);
    }

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
