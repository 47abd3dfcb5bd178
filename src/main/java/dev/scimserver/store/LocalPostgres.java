package dev.scimserver.store;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The embedded PostgreSQL of the default set-up: the PostgreSQL 17 binaries that zonky ships in a
 * Maven artifact, unpacked once, with its cluster under {@code DATA_DIR/postgres} so that data
 * survives restarts.
 *
 * <p>We drive {@code initdb} and {@code pg_ctl} ourselves instead of zonky's launcher because
 * PostgreSQL refuses to run as root, and containers and CI often are root: in that case the server
 * processes are started through {@code setpriv} as the unprivileged {@link ServiceUser}, which
 * owns the cluster directory. zonky's launcher has no such option.
 *
 * <p>Only the superuser's password lets a connection in ({@code scram-sha-256} on 127.0.0.1): any
 * local process, any user of the machine, can reach a loopback port, and {@code trust} would make
 * each of them superuser, which in PostgreSQL is also the right to read and write files and run
 * programs as the server's user. The password is random, made once, and kept in {@value #PASSWORD_FILE} under
 * DATA_DIR with mode 0600, so that only the server's own user can read it. We chose a password
 * over a Unix socket in a private directory because a socket is guarded by file permissions alone:
 * when the server runs as root, PostgreSQL runs as {@code nobody}, which other daemons share, and a
 * socket needs a native library the JDBC driver does not bring; a password also keeps the cluster
 * reachable over TCP for a second server or an operator's {@code psql}.
 */
public final class LocalPostgres implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalPostgres.class);
    private static final String DATABASE = "scim";
    private static final String SUPERUSER = "postgres";
    private static final String PASSWORD_FILE = "postgres-password";
    /** Held locked by the running server, in DATA_DIR beside its cluster. */
    private static final String LOCK_FILE = "server.lock";
    /**
     * Rounds of PBKDF2 in the password's SCRAM verifier, which both ends of every new connection
     * compute. The default 4096 rounds are there to slow the guessing of a human's password from a
     * stolen verifier; this password is 256 random bits, which no number of rounds makes easier or
     * harder to guess. Each round cost a connection made by a JVM that had just started, before the
     * JIT compiled SHA-256, a fraction of a second: the restart paid it for every connection it opened.
     */
    static final int SCRAM_ITERATIONS = 1;
    /**
     * The whole of pg_hba.conf: the server listens on 127.0.0.1 only, and there is no Unix socket.
     * The file also marks a cluster whose password this version set: a cluster whose file differs
     * (an earlier version's) has its password set again, as {@link #requirePassword} says.
     */
    private static final String HBA = """
            # The SCIM server puts this file back on start when it differs: only the superuser's
            # password, kept in DATA_DIR/postgres-password, lets a connection in. Its verifier
            # has %d SCRAM iteration(s): the password is random (LocalPostgres.SCRAM_ITERATIONS).
            host    all    all    127.0.0.1/32    scram-sha-256
            """.formatted(SCRAM_ITERATIONS);

    /** The DATA_DIRs (real paths) whose lock this process holds. */
    private static final Set<Path> LOCKED_HERE = ConcurrentHashMap.newKeySet();

    private final Path dataDir;
    private final FileChannel dataDirLock;
    private final Path binDir;
    private final Path clusterDir;
    /**
     * Connections beside the pool's: the health probe's own when the pool has none free, the events'
     * listener, an operator's psql, and the superuser's reserved three. The pool may take up to 500
     * (DATABASE_POOL_SIZE); a fixed limit of 200 refused the pool's last connections and psql alike.
     */
    static final int OTHER_CONNECTIONS = 20;
    private static final int DEFAULT_MAX_CONNECTIONS = 200;
    /**
     * How long a start waits for PostgreSQL to take connections. After a crash it first replays the
     * write-ahead log since the last checkpoint, which a slow disk takes minutes over; a start that
     * gave up sooner stopped that recovery, and so did every start after it.
     */
    private static final Duration START_WAIT = Duration.ofMinutes(10);
    private static final int LOG_LINES_SHOWN = 10;
    private static final int LOG_TAIL_BYTES = 16 * 1024;
    /** SQLSTATE invalid_password. */
    private static final String INVALID_PASSWORD = "28P01";

    /** Who runs PostgreSQL when we are root; null when we are not, and PostgreSQL runs as we do. */
    private final ServiceUser serviceUser;
    private final int port;
    /** Set once by {@link #requirePassword}, before the instance leaves {@link #start}. */
    private String password;
    /** Whether this start ran pg_ctl start: from then on a postmaster may run that a failed start stops. */
    private boolean serverLaunched;

    private LocalPostgres(Path dataDir, FileChannel dataDirLock, Path binDir, Path clusterDir, ServiceUser serviceUser,
                          int port) {
        this.dataDir = dataDir;
        this.dataDirLock = dataDirLock;
        this.binDir = binDir;
        this.clusterDir = clusterDir;
        this.serviceUser = serviceUser;
        this.port = port;
    }

    /** {@link #start(Path, int)} for the default pool's connections. */
    public static LocalPostgres start(Path dataDir) {
        return start(dataDir, 0);
    }

    /**
     * Unpacks the binaries if needed, creates the cluster on first use, and starts it, taking {@code
     * pooled} connections of a pool and {@link #OTHER_CONNECTIONS} more.
     */
    public static LocalPostgres start(Path dataDir, int pooled) {
        try {
            Path base = dataDir.toAbsolutePath().normalize();
            Files.createDirectories(base);
            FileChannel lock = lockDataDir(base);
            LocalPostgres pg = null;
            try {
                ServiceUser serviceUser = isRoot() ? ServiceUser.lookUp() : null;
                if (serviceUser != null) {
                    serviceUser.checkCanEnter(base);
                }
                Path binaries = unpackBinaries(base.resolve("postgres-bin"), serviceUser != null);
                Path cluster = base.resolve("postgres");
                pg = new LocalPostgres(base.toRealPath(), lock, binaries.resolve("bin"), cluster, serviceUser,
                        freePort());
                pg.stopLeftover();
                if (!Files.exists(cluster.resolve("PG_VERSION"))) {
                    pg.initCluster();
                } else if (serviceUser != null) {
                    serviceUser.checkOwns(cluster);
                }
                pg.requirePassword(base.resolve(PASSWORD_FILE));
                pg.startServer(Math.max(DEFAULT_MAX_CONNECTIONS, pooled + OTHER_CONNECTIONS));
                pg.createDatabaseIfMissing(base.resolve(PASSWORD_FILE));
                return pg;
            } catch (IOException | RuntimeException | Error e) {
                if (pg != null && pg.serverLaunched) {
                    // The lock goes with this start: a postmaster left running would be a later start's
                    // "leftover", or run on beside a server on another DATA_DIR's copy.
                    pg.stopAfterFailedStart(e);
                }
                lock.close();
                LOCKED_HERE.remove(base.toRealPath());
                throw e;
            }
        } catch (IOException e) {
            // The file system's refusal (DATA_DIR a file, not writable, full): the operator's to fix,
            // said in one line with the path and the reason.
            throw new StartRefusedException("the embedded PostgreSQL cannot start under DATA_DIR " + dataDir + " ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    public String user() {
        return SUPERUSER;
    }

    /** The superuser's password; for the pool only, never for a log line. */
    String password() {
        return password;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        try {
            stopServer();
        } finally {
            try {
                dataDirLock.close();
            } catch (IOException e) {
                LOG.warn("cannot release {}: {}", LOCK_FILE, e.getMessage());
            }
            LOCKED_HERE.remove(dataDir);
        }
    }

    /**
     * One server per DATA_DIR: a second one would take the first one's PostgreSQL for the leftover of
     * a killed JVM ({@link #stopLeftover}) and stop it under the first. The lock is the kernel's, so it
     * ends with the process that holds it, however that process ends. The kernel's lock belongs to the
     * process, and closing any descriptor of the file releases it, so a DATA_DIR this process already
     * holds is refused before the file is opened again ({@link #LOCKED_HERE}).
     */
    private static FileChannel lockDataDir(Path base) throws IOException {
        Path file = base.resolve(LOCK_FILE);
        Path key = base.toRealPath();
        if (!LOCKED_HERE.add(key)) {
            throw inUse(base, file);
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (channel.tryLock() != null) {
                return channel;
            }
            throw inUse(base, file);
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            LOCKED_HERE.remove(key);
            throw e;
        }
    }

    private static IllegalStateException inUse(Path base, Path file) {
        return new StartRefusedException("DATA_DIR " + base + " is in use by another running SCIM server (it holds "
                + file + "): stop that one first, or give this one a DATA_DIR of its own");
    }

    static boolean isRoot() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return Integer.valueOf(0).equals(uid);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private String stopServer() {
        return run(List.of(binDir.resolve("pg_ctl").toString(), "stop", "-D", clusterDir.toString(), "-m", "fast",
                "-w", "-t", "30"), null, false);
    }

    private void stopAfterFailedStart(Throwable failure) {
        try {
            stopServer();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /** A killed JVM leaves its postmaster running on the cluster; stop it before starting ours. */
    private void stopLeftover() throws IOException {
        Path pidFile = clusterDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        if (!namesALivePostmaster(pidFile, clusterDir)) {
            // A crash left the file, and its PID is gone or is another process's now (PIDs start over
            // after a reboot and in each container; the JVM itself may hold it, or another cluster's
            // postmaster). pg_ctl would signal that process, and PostgreSQL refuses to start while it
            // lives. This DATA_DIR's lock is ours, so no postmaster of ours runs on the cluster: the
            // file is set aside.
            LOG.info("removing a stale postmaster.pid of {}: the process it names is no PostgreSQL of this cluster",
                    clusterDir);
            Files.delete(pidFile);
            return;
        }
        LOG.info("stopping a PostgreSQL left running on {}", clusterDir);
        stopServer();
    }

    /**
     * Whether the PID in {@code pidFile} is a live PostgreSQL server working in {@code cluster} (a
     * postmaster works in its data directory), not this JVM. A process whose program or directory
     * cannot be read is taken for one, so that a running cluster's file is never removed: the kernel
     * hides them only from another user, whom pg_ctl's signal cannot reach either.
     */
    private static boolean namesALivePostmaster(Path pidFile, Path cluster) throws IOException {
        long pid;
        try {
            // A single-user postgres (setting the password) writes its PID negated.
            pid = Math.abs(Long.parseLong(Files.readAllLines(pidFile).get(0).strip()));
        } catch (NumberFormatException | IndexOutOfBoundsException unreadable) {
            return false;
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(process -> process.pid() != ProcessHandle.current().pid())
                .map(process -> process.info().command().map(command -> {
                    Path program = Path.of(command).getFileName();
                    return program != null && (program.toString().equals("postgres")
                            || program.toString().equals("postmaster"));
                }).orElse(true) && worksIn(process.pid(), cluster))
                .orElse(false);
    }

    private static boolean worksIn(long pid, Path directory) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "cwd")).equals(directory.toRealPath());
        } catch (IOException | UnsupportedOperationException | SecurityException unreadable) {
            return true;
        }
    }

    /**
     * Makes the cluster beside its place and moves it there whole: initdb writes PG_VERSION, which says
     * "made" to every later start, long before it is done, so a first start killed during initdb (a
     * container stopped while it began) left a cluster no start could use. What a killed initdb left
     * beside it, or in its place without PG_VERSION, goes; a cluster that only lost its PG_VERSION is
     * refused, never replaced.
     */
    private void initCluster() throws IOException {
        Path making = clusterDir.resolveSibling(clusterDir.getFileName() + ".initdb");
        if (Files.exists(making)) {
            deleteTree(making);
        }
        if (Files.exists(clusterDir.resolve("global").resolve("pg_control"))) {
            // initdb writes PG_VERSION before pg_control: a directory with a pg_control and no
            // PG_VERSION is a cluster that lost a file (a partial restore), never a killed initdb's.
            throw new StartRefusedException("DATA_DIR's PostgreSQL cluster " + clusterDir + " has no "
                    + clusterDir.resolve("PG_VERSION") + " (a copy or restore that missed it?): not replaced by an "
                    + "empty one. Put the file back from the copy, or move the directory away to start afresh");
        }
        if (Files.isDirectory(clusterDir) && isEmpty(clusterDir)) {
            // An empty directory in the cluster's place may be a volume mounted there, which can be
            // neither removed nor moved onto: the cluster is made in it, as before.
            making = clusterDir;
        } else if (Files.exists(clusterDir)) {
            deleteTree(clusterDir);
        }
        Files.createDirectories(making);
        Files.setPosixFilePermissions(making, PosixFilePermissions.fromString("rwx------"));
        if (serviceUser != null) {
            serviceUser.give(making);
        }
        // The builtin C.UTF-8 locale (PostgreSQL 17) gives Unicode case folding for lower() on every
        // platform, independent of which libc locales the host has installed. "reject" lets nothing
        // in until requirePassword writes the real pg_hba.conf, before the first start.
        run(List.of(binDir.resolve("initdb").toString(), "-D", making.toString(), "-U", SUPERUSER, "-A", "reject",
                "-E", "UTF8", "--locale=C", "--locale-provider=builtin", "--builtin-locale=C.UTF-8"), null, true);
        if (!making.equals(clusterDir)) {
            Files.move(making, clusterDir, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private static boolean isEmpty(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.findAny().isEmpty();
        }
    }

    /**
     * Makes the superuser's password the only way in, on a new cluster and on one that an earlier
     * version left trusting every local connection or with a verifier of more rounds. The steps go in an order that a crash at any
     * point leaves redoable: the password file first, then the role's password, pg_hba.conf last,
     * and pg_hba.conf not yet ours means "do it all again with the password in the file".
     */
    private void requirePassword(Path passwordFile) throws IOException {
        Path hba = clusterDir.resolve("pg_hba.conf");
        boolean hadPassword = Files.exists(passwordFile);
        password = hadPassword ? readPassword(passwordFile) : writeNewPassword(passwordFile);
        if (hadPassword && HBA.equals(Files.readString(hba))) {
            return;
        }
        LOG.info("setting the superuser's password of the embedded PostgreSQL, kept in {}", passwordFile);
        setSuperuserPassword();
        // Written in place, so the file keeps its owner, the user PostgreSQL runs as.
        Files.writeString(hba, HBA);
    }

    private static String readPassword(Path passwordFile) throws IOException {
        // A copy restored from a backup may have come back wider than it left.
        Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
        return Files.readString(passwordFile).strip();
    }

    private static String writeNewPassword(Path passwordFile) throws IOException {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Path partial = Files.createTempFile(passwordFile.getParent(), PASSWORD_FILE, ".partial",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(partial, secret + "\n");
        Files.move(partial, passwordFile, StandardCopyOption.ATOMIC_MOVE);
        return secret;
    }

    /**
     * Sets the password in single-user mode, with the server stopped, so that no connection is ever
     * made without one. The statement goes through standard input, never a command line that
     * {@code ps} shows, and no error line may repeat it.
     */
    private void setSuperuserPassword() {
        run(List.of(binDir.resolve("postgres").toString(), "--single", "-D", clusterDir.toString(),
                        "-c", "exit_on_error=on", "-c", "log_min_error_statement=panic",
                        "-c", "password_encryption=scram-sha-256", "-c", "scram_iterations=" + SCRAM_ITERATIONS,
                        "postgres"),
                "ALTER ROLE " + SUPERUSER + " PASSWORD '" + password + "';\n", true);
    }

    private void startServer(int maxConnections) {
        // The log says what failed, never with which values: a unique violation's DETAIL repeats the
        // key (a userName, an email), and the failing statement its arguments.
        String options = "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories= "
                + "-c fsync=on -c max_connections=" + maxConnections
                + " -c log_error_verbosity=terse -c log_min_error_statement=panic";
        Path log = clusterDir.resolve("server.log");
        serverLaunched = true;
        long began = System.nanoTime();
        try {
            run(List.of(binDir.resolve("pg_ctl").toString(), "start", "-D", clusterDir.toString(), "-w", "-t",
                    Long.toString(START_WAIT.toSeconds()), "-o", options, "-l", log.toString()), null, true);
        } catch (IllegalStateException failed) {
            boolean waitedOut = System.nanoTime() - began >= START_WAIT.toNanos();
            throw new StartRefusedException("the embedded PostgreSQL did not start" + (waitedOut ? " within "
                    + START_WAIT.toSeconds() + " s" : "") + "; the end of its log " + log + ":\n" + lastLines(log),
                    failed);
        }
    }

    /**
     * The end of PostgreSQL's log, where it says why it did not start: its last bytes only, as the log
     * grows over every start the cluster ever had.
     */
    private static String lastLines(Path log) {
        try (SeekableByteChannel channel = Files.newByteChannel(log)) {
            long size = channel.size();
            ByteBuffer tail = ByteBuffer.allocate((int) Math.min(size, LOG_TAIL_BYTES));
            channel.position(size - tail.capacity());
            while (tail.hasRemaining() && channel.read(tail) >= 0) {
                // read on to the end
            }
            List<String> lines = new String(tail.array(), 0, tail.position(), StandardCharsets.UTF_8).lines().toList();
            // A tail cut from a longer log begins inside a line.
            int first = Math.max(size > tail.capacity() ? 1 : 0, lines.size() - LOG_LINES_SHOWN);
            return String.join("\n", lines.subList(Math.min(first, lines.size()), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /** The binaries carry no psql, so the database is made over JDBC. */
    private void createDatabaseIfMissing(Path passwordFile) {
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(url, SUPERUSER, password);
             java.sql.Statement statement = connection.createStatement()) {
            try (java.sql.ResultSet rs = statement.executeQuery(
                    "SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            statement.execute("CREATE DATABASE " + DATABASE);
        } catch (java.sql.SQLException e) {
            if (INVALID_PASSWORD.equals(e.getSQLState())) {
                throw new StartRefusedException("the embedded PostgreSQL refuses the password in " + passwordFile
                        + ": the file is not the one made with the cluster in " + clusterDir + " (restored from"
                        + " another copy of DATA_DIR?); put back the file that belongs to the cluster");
            }
            throw new StartRefusedException("cannot create the database on the embedded PostgreSQL: "
                    + e.getMessage(), e);
        }
    }

    /** Runs {@code command} as PostgreSQL's user, with {@code input} (or nothing) on its standard input. */
    private String run(List<String> command, String input, boolean mustSucceed) {
        List<String> full = new ArrayList<>();
        if (serviceUser != null) {
            full.addAll(serviceUser.commandPrefix());
        }
        full.addAll(command);
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
            try (OutputStream stdin = process.getOutputStream()) {
                if (input != null) {
                    stdin.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", command));
            }
            if (process.exitValue() != 0 && mustSucceed) {
                throw new IllegalStateException("embedded PostgreSQL command failed (" + process.exitValue() + "): "
                        + String.join(" ", command) + "\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        }
    }

    /** Unpacks zonky's archive for this platform once; a marker file says the copy is complete. */
    private static Path unpackBinaries(Path target, boolean root) throws IOException {
        Path marker = target.resolve(".complete");
        if (Files.exists(marker)) {
            return target;
        }
        if (Files.exists(target)) {
            deleteTree(target);
        }
        Files.createDirectories(target);
        try (InputStream archive = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(operatingSystem(), architecture());
             TarArchiveInputStream tar = new TarArchiveInputStream(
                     new XZCompressorInputStream(new BufferedInputStream(archive)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path out = target.resolve(entry.getName()).normalize();
                if (!out.startsWith(target)) {
                    throw new IllegalStateException("archive entry escapes the target: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(out.getParent());
                    Files.deleteIfExists(out);
                    Files.createSymbolicLink(out, Path.of(entry.getLinkName()));
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(out, permissions(entry.getMode()));
                }
            }
        }
        if (root) {
            // The unprivileged server must be able to read and run its binaries.
            try (Stream<Path> paths = Files.walk(target)) {
                for (Path p : (Iterable<Path>) paths::iterator) {
                    if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
                    }
                }
            }
        }
        Files.createFile(marker);
        return target;
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        // Keep the archive's execute bits; everything is readable so a dropped-privilege server can load it.
        boolean executable = (mode & 0100) != 0;
        return PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--");
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static String operatingSystem() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        if (os.contains("mac") || os.contains("darwin")) {
            return "Darwin";
        }
        if (os.contains("win")) {
            return "Windows";
        }
        return "Linux";
    }

    private static String architecture() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "arm_64";
            default -> arch;
        };
    }
}
