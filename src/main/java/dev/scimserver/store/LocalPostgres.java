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
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
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
 */
public final class LocalPostgres implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalPostgres.class);
    private static final String DATABASE = "scim";
    private static final String SUPERUSER = "postgres";

    private final Path binDir;
    private final Path clusterDir;
    /** Who runs PostgreSQL when we are root; null when we are not, and PostgreSQL runs as we do. */
    private final ServiceUser serviceUser;
    private final int port;

    private LocalPostgres(Path binDir, Path clusterDir, ServiceUser serviceUser, int port) {
        this.binDir = binDir;
        this.clusterDir = clusterDir;
        this.serviceUser = serviceUser;
        this.port = port;
    }

    /** Unpacks the binaries if needed, creates the cluster on first use, and starts it. */
    public static LocalPostgres start(Path dataDir) {
        try {
            Path base = dataDir.toAbsolutePath().normalize();
            Files.createDirectories(base);
            ServiceUser serviceUser = isRoot() ? ServiceUser.lookUp() : null;
            if (serviceUser != null) {
                serviceUser.checkCanEnter(base);
            }
            Path binaries = unpackBinaries(base.resolve("postgres-bin"), serviceUser != null);
            Path cluster = base.resolve("postgres");
            LocalPostgres pg = new LocalPostgres(binaries.resolve("bin"), cluster, serviceUser, freePort());
            pg.stopLeftover();
            if (!Files.exists(cluster.resolve("PG_VERSION"))) {
                pg.initCluster();
            }
            pg.startServer();
            pg.createDatabaseIfMissing();
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL under " + dataDir, e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    public String user() {
        return SUPERUSER;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        run(List.of(binDir.resolve("pg_ctl").toString(), "stop", "-D", clusterDir.toString(), "-m", "fast", "-w",
                "-t", "30"), false);
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

    /** A killed JVM leaves its postmaster running on the cluster; stop it before starting ours. */
    private void stopLeftover() {
        if (Files.exists(clusterDir.resolve("postmaster.pid"))) {
            LOG.info("stopping a PostgreSQL left running on {}", clusterDir);
            run(List.of(binDir.resolve("pg_ctl").toString(), "stop", "-D", clusterDir.toString(), "-m", "fast",
                    "-w", "-t", "30"), false);
        }
    }

    private void initCluster() throws IOException {
        Files.createDirectories(clusterDir);
        Files.setPosixFilePermissions(clusterDir, PosixFilePermissions.fromString("rwx------"));
        if (serviceUser != null) {
            serviceUser.give(clusterDir);
        }
        // The builtin C.UTF-8 locale (PostgreSQL 17) gives Unicode case folding for lower() on every
        // platform, independent of which libc locales the host has installed.
        run(List.of(binDir.resolve("initdb").toString(), "-D", clusterDir.toString(), "-U", SUPERUSER, "-A", "trust",
                "-E", "UTF8", "--locale=C", "--locale-provider=builtin", "--builtin-locale=C.UTF-8"), true);
    }

    private void startServer() {
        String options = "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories= "
                + "-c fsync=on -c max_connections=200";
        run(List.of(binDir.resolve("pg_ctl").toString(), "start", "-D", clusterDir.toString(), "-w", "-t", "60",
                "-o", options, "-l", clusterDir.resolve("server.log").toString()), true);
    }

    /** The binaries carry no psql, so the database is made over JDBC. */
    private void createDatabaseIfMissing() {
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(url, SUPERUSER, "");
             java.sql.Statement statement = connection.createStatement()) {
            try (java.sql.ResultSet rs = statement.executeQuery(
                    "SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            statement.execute("CREATE DATABASE " + DATABASE);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot create the database on the embedded PostgreSQL", e);
        }
    }

    private String run(List<String> command, boolean mustSucceed) {
        List<String> full = new ArrayList<>();
        if (serviceUser != null) {
            full.addAll(serviceUser.commandPrefix());
        }
        full.addAll(command);
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
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
                    Files.copy(tar, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
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
