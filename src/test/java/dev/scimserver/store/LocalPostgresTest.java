package dev.scimserver.store;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.scimserver.app.RunningServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The embedded PostgreSQL keeps its data in DATA_DIR across restarts, is a real PostgreSQL 17, lets
 * in only who holds the superuser's password, and says which directory is in its way when it runs
 * as root and cannot reach DATA_DIR.
 */
@Tag("slow")
class LocalPostgresTest {
    /** What {@code initdb -A trust} wrote, the layout of every DATA_DIR made before passwords. */
    private static final String TRUST_HBA = """
            local   all             all                                     trust
            host    all             all             127.0.0.1/32            trust
            host    all             all             ::1/128                 trust
            local   replication     all                                     trust
            host    replication     all             127.0.0.1/32            trust
            host    replication     all             ::1/128                 trust
            """;

    /** Starts the embedded PostgreSQL on {@code dir}, runs {@code statements} as its superuser, and stops it. */
    private static void executeOn(Path dir, String... statements) throws Exception {
        try (LocalPostgres pg = LocalPostgres.start(dir);
             Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
             Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    @Test
    void dataSurvivesARestart() throws Exception {
        Path dir = RunningServer.testDataDir();
        executeOn(dir, "CREATE TABLE kept (v text)", "INSERT INTO kept VALUES ('still here')");
        try (LocalPostgres second = LocalPostgres.start(dir);
             Connection c = DriverManager.getConnection(second.jdbcUrl(), second.user(), second.password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT v, version(), lower('ÉCOLE') FROM kept")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("still here");
            assertThat(rs.getString(2)).startsWith("PostgreSQL 17");
            assertThat(rs.getString(3)).as("Unicode case folding").isEqualTo("école");
        }
    }

    /**
     * A crash leaves postmaster.pid naming a PID that the system may give another process since (PIDs
     * start over after a reboot and in each container): stopping "the PostgreSQL left running" sent
     * that process a signal, and PostgreSQL then refused to start while it lived.
     */
    @Test
    void aLeftoverPidFileNamingAnotherProcessIsRemovedAndThatProcessLeftAlone() throws Exception {
        Path dir = RunningServer.testDataDir();
        LocalPostgres.start(dir).close();
        // Of the user PostgreSQL runs as ('nobody' under root), which its signals can reach.
        Process unrelated = new ProcessBuilder(LocalPostgres.isRoot()
                ? List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "sleep", "120")
                : List.of("sleep", "120")).start();
        try {
            Path pidFile = dir.resolve("postgres").resolve("postmaster.pid");
            Files.writeString(pidFile, unrelated.pid() + "\n" + dir.resolve("postgres") + "\n1700000000\n5432\n\n"
                    + "127.0.0.1\n  5432001   0\nready   \n");
            try (LocalPostgres again = LocalPostgres.start(dir);
                 Connection c = DriverManager.getConnection(again.jdbcUrl(), again.user(), again.password());
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT 1")) {
                assertThat(rs.next()).isTrue();
            }
            assertThat(unrelated.isAlive()).as("the process the stale file named").isTrue();
        } finally {
            unrelated.destroy();
        }
    }

    /**
     * The PID a crash left may belong to another PostgreSQL since (another server's embedded one, the
     * host's own after a reboot): only the program's name was checked, and that database was shut down.
     * A program called postgres that works in another directory stands in for it.
     */
    @Test
    void aLeftoverPidFileNamingAPostgresOfAnotherDirectoryLeavesThatPostgresAlone() throws Exception {
        Path dir = RunningServer.testDataDir();
        LocalPostgres.start(dir).close();
        Path elsewhere = Files.createDirectories(dir.resolve("another-cluster"));
        Path program = Files.copy(Path.of(new ProcessBuilder("sh", "-c", "command -v sleep").start().inputReader()
                .readLine()), elsewhere.resolve("postgres"));
        Files.setPosixFilePermissions(elsewhere, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
        Process other = new ProcessBuilder(LocalPostgres.isRoot()
                ? List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", program.toString(), "120")
                : List.of(program.toString(), "120")).directory(elsewhere.toFile()).start();
        try {
            // setpriv runs the program in its own place once it has dropped to nobody.
            for (int tries = 0; tries < 100 && !other.info().command().equals(Optional.of(program.toString())); tries++) {
                Thread.sleep(50);
            }
            assertThat(other.info().command()).as("the stand-in's program").hasValue(program.toString());
            Files.writeString(dir.resolve("postgres").resolve("postmaster.pid"), other.pid() + "\n"
                    + dir.resolve("postgres") + "\n1700000000\n5432\n\n127.0.0.1\n  5432001   0\nready   \n");
            try (LocalPostgres again = LocalPostgres.start(dir);
                 Connection c = DriverManager.getConnection(again.jdbcUrl(), again.user(), again.password());
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT 1")) {
                assertThat(rs.next()).isTrue();
            }
            assertThat(other.isAlive()).as("the PostgreSQL of another directory").isTrue();
        } finally {
            other.destroy();
        }
    }

    /**
     * A password file restored from another copy of DATA_DIR: the start was refused with a stack trace
     * and left the PostgreSQL it had started running, its DATA_DIR lock released.
     */
    @Test
    void aPasswordFileOfAnotherClusterIsRefusedByNameAndStopsThePostgresItStarted() throws Exception {
        Path dir = RunningServer.testDataDir();
        LocalPostgres.start(dir).close();
        Path passwordFile = dir.resolve("postgres-password");
        Files.writeString(passwordFile, "not-the-password-of-this-cluster\n");

        assertThatThrownBy(() -> LocalPostgres.start(dir).close()).isInstanceOf(StartRefusedException.class)
                .hasMessageContaining("refuses the password in " + passwordFile.toRealPath());
        assertThat(dir.resolve("postgres").resolve("postmaster.pid")).as("PostgreSQL stopped").doesNotExist();
        assertThat(lockableByAnotherProcess(dir.resolve("server.lock"))).isTrue();
    }

    /**
     * A PostgreSQL that refuses to start (a bad setting in its postgresql.conf): the refusal ends with what
     * PostgreSQL's log says, read from the end of a log that every earlier start has grown, and nothing
     * is left running.
     */
    @Test
    void aPostgresThatCannotStartIsRefusedWithTheEndOfItsLog() throws Exception {
        Path dir = RunningServer.testDataDir();
        LocalPostgres.start(dir).close();
        Path cluster = dir.resolve("postgres");
        Files.writeString(cluster.resolve("server.log"), "an earlier start's line\n".repeat(200_000),
                java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(cluster.resolve("postgresql.conf"), "shared_buffers = 'lots'\n",
                java.nio.file.StandardOpenOption.APPEND);

        assertThatThrownBy(() -> LocalPostgres.start(dir).close()).isInstanceOf(StartRefusedException.class)
                .hasMessageStartingWith("the embedded PostgreSQL did not start; the end of its log")
                .hasMessageContaining("shared_buffers")
                .satisfies(e -> assertThat(e.getMessage().lines().count()).isLessThanOrEqualTo(11));
        assertThat(cluster.resolve("postmaster.pid")).doesNotExist();
    }

    /**
     * initdb now makes the cluster beside its place and the start moves it there whole, so a first start
     * killed during initdb leaves its place empty (initdb writes PG_VERSION early, and a half-made cluster
     * with it was taken for made by every later start). What the killed initdb left is cleared away.
     */
    @Test
    void whatAKilledInitdbLeftIsClearedAndTheClusterMadeAgain() throws Exception {
        Path dir = RunningServer.testDataDir();
        Path leftover = dir.resolve("postgres.initdb");
        Files.createDirectories(leftover.resolve("base"));
        Files.writeString(leftover.resolve("PG_VERSION"), "17\n");
        try (LocalPostgres pg = LocalPostgres.start(dir);
             Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT 1")) {
            assertThat(rs.next()).isTrue();
        }
        assertThat(leftover).doesNotExist();
        assertThat(dir.resolve("postgres").resolve("PG_VERSION")).exists();
    }

    /**
     * A cluster that lost its PG_VERSION (a restore that missed a file, a hand gone wrong) is a cluster
     * still: its pg_control says so. It was deleted and an empty one made in its place, every workspace
     * and credential gone without a word; the start is refused naming what is missing, and the data kept.
     */
    @Test
    void aClusterWithoutItsVersionFileIsRefusedAndKept() throws Exception {
        Path dir = RunningServer.testDataDir();
        executeOn(dir, "CREATE TABLE kept (id int)");
        Path cluster = dir.resolve("postgres");
        Files.delete(cluster.resolve("PG_VERSION"));

        assertThatThrownBy(() -> LocalPostgres.start(dir).close()).isInstanceOf(StartRefusedException.class)
                .hasMessageContaining(cluster.resolve("PG_VERSION").toString())
                .hasMessageContaining("not replaced");
        assertThat(cluster.resolve("global").resolve("pg_control")).exists();

        Files.writeString(cluster.resolve("PG_VERSION"), "17\n");
        executeOn(dir, "SELECT count(*) FROM kept");
    }

    /** DATABASE_POOL_SIZE takes up to 500; a fixed max_connections of 200 refused the pool's last connections. */
    @Test
    void aLargePoolGetsTheConnectionsItTakesAndSomeToSpare() throws Exception {
        try (LocalPostgres pg = LocalPostgres.start(RunningServer.testDataDir(), 500);
             Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW max_connections")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(500 + LocalPostgres.OTHER_CONNECTIONS);
        }
    }

    @Test
    void aSecondServerOnOneDataDirIsRefusedAndTheFirstKeepsItsDatabase() throws Exception {
        Path dir = RunningServer.testDataDir();
        try (LocalPostgres first = LocalPostgres.start(dir)) {
            assertThatThrownBy(() -> LocalPostgres.start(dir).close()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("in use by another running SCIM server");
            // The kernel's lock is the process's: a refusal here must not have let it go for another process.
            assertThat(lockableByAnotherProcess(dir.resolve("server.lock"))).isFalse();
            try (Connection c = DriverManager.getConnection(first.jdbcUrl(), first.user(), first.password());
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT 1")) {
                assertThat(rs.next()).as("the first server's PostgreSQL still runs").isTrue();
            }
        }
        assertThat(lockableByAnotherProcess(dir.resolve("server.lock"))).as("released on close").isTrue();
    }

    /** Whether a child JVM gets the lock on {@code file} (then lets it go at once). */
    private static boolean lockableByAnotherProcess(Path file) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                DataDirLockProbe.class.getName(), file.toString()).inheritIO().start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the probe ended").isTrue();
        assertThat(child.exitValue()).as("the probe's answer: 0 locked, 3 refused").isIn(0, 3);
        return child.exitValue() == 0;
    }

    @Test
    void onlyTheSuperusersPasswordLetsAConnectionIn() throws Exception {
        Path dir = RunningServer.testDataDir();
        try (LocalPostgres pg = LocalPostgres.start(dir)) {
            assertRefused(pg, "");
            assertRefused(pg, "not-" + pg.password());
            assertThat(pg.password()).isEqualTo(Files.readString(dir.resolve("postgres-password")).strip());
            assertThat(Files.getPosixFilePermissions(dir.resolve("postgres-password")))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        }
        try (Database database = Database.embedded(dir, 2);
             Connection c = database.dataSource().getConnection();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM flyway_schema_history")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).as("the server's own pool connects and migrates").isPositive();
        }
    }

    @Test
    void aPasswordSetByAnEarlierVersionWithTheDefaultRoundsIsSetAgainWithOne() throws Exception {
        Path dir = RunningServer.testDataDir();
        try (LocalPostgres pg = LocalPostgres.start(dir);
             Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
             Statement s = c.createStatement()) {
            assertThat(verifierRounds(s)).as("a new cluster's verifier").isEqualTo(LocalPostgres.SCRAM_ITERATIONS);
            s.execute("CREATE TABLE kept (v text)");
            s.execute("INSERT INTO kept VALUES ('from before')");
            // What the earlier version left: PostgreSQL's default rounds, and its pg_hba.conf.
            s.execute("SET scram_iterations = 4096");
            s.execute("ALTER ROLE postgres PASSWORD '" + pg.password() + "'");
            assertThat(verifierRounds(s)).isEqualTo(4096);
        }
        Files.writeString(dir.resolve("postgres/pg_hba.conf"), """
                # The SCIM server puts this file back on start when it differs: only the superuser's
                # password, kept in DATA_DIR/postgres-password, lets a connection in.
                host    all    all    127.0.0.1/32    scram-sha-256
                """);
        try (LocalPostgres pg = LocalPostgres.start(dir);
             Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("from before");
            assertThat(verifierRounds(s)).isEqualTo(LocalPostgres.SCRAM_ITERATIONS);
            assertRefused(pg, "not-" + pg.password());
        }
    }

    @Test
    void aDataDirOfTheTrustLayoutIsUpgradedToPasswordsWithoutLosingData() throws Exception {
        Path dir = RunningServer.testDataDir();
        makeTrustLayout(dir);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        Logger ours = (Logger) LoggerFactory.getLogger("dev.scimserver");
        Level oursBefore = ours.getLevel();
        captureLogs(logs, ours);
        String password;
        try (LocalPostgres pg = LocalPostgres.start(dir)) {
            password = pg.password();
            assertRefused(pg, "");
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), password);
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("from before passwords");
            }
        } finally {
            rootLogger().detachAppender(logs);
            ours.setLevel(oursBefore);
        }
        assertThat(password).hasSizeGreaterThanOrEqualTo(32);
        assertThat(Files.readString(dir.resolve("postgres-password")).strip()).isEqualTo(password);
        assertThat(Files.getPosixFilePermissions(dir.resolve("postgres-password")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(dir.resolve("postgres/pg_hba.conf"))).doesNotContain("trust");
        assertThat(Files.readString(dir.resolve("postgres/server.log"), StandardCharsets.UTF_8))
                .doesNotContain(password);
        for (ILoggingEvent event : logs.list) {
            assertThat(event.getFormattedMessage() + (event.getThrowableProxy() == null ? ""
                    : ThrowableProxyUtil.asString(event.getThrowableProxy()))).doesNotContain(password);
        }
        try (LocalPostgres again = LocalPostgres.start(dir)) {
            assertThat(again.password()).as("the password is made once").isEqualTo(password);
        }
    }

    @Test
    void asRootADataDirThatNobodyCannotReachNamesTheDirectoryAndTheModeItNeeds() throws Exception {
        assumeTrue(LocalPostgres.isRoot(), "only root drops to 'nobody'; this JVM does not run as root");
        Path closed = RunningServer.testDataDir().resolve("closed");
        Files.createDirectories(closed);
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));

        assertThatThrownBy(() -> LocalPostgres.start(closed.resolve("data")).close())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'nobody'")
                .hasMessageContaining(closed + " (mode 0700, owner root)")
                .hasMessageContaining("chmod o+x " + closed);
        assertThat(closed.resolve("data/postgres-bin")).as("nothing unpacked before the check").doesNotExist();
    }

    /**
     * A restore that did not keep owners (cp -r as root) leaves the cluster root's, and PostgreSQL, run as
     * nobody, cannot read it: the refusal said only "did not start" above ten lines of an old log. It
     * names the owner and the chown that gives the cluster back.
     */
    @Test
    void asRootAClusterRestoredWithoutItsOwnerNamesTheOwnerAndTheChown() throws Exception {
        assumeTrue(LocalPostgres.isRoot(), "only root drops to 'nobody'; this JVM does not run as root");
        Path dir = RunningServer.testDataDir();
        LocalPostgres.start(dir).close();
        Path cluster = dir.resolve("postgres");
        java.nio.file.attribute.UserPrincipal root = cluster.getFileSystem().getUserPrincipalLookupService()
                .lookupPrincipalByName("root");
        Files.setOwner(cluster, root);

        assertThatThrownBy(() -> LocalPostgres.start(dir).close()).isInstanceOf(StartRefusedException.class)
                .hasMessageContaining(cluster + " belongs to root")
                .hasMessageContaining("chown -R nobody:");
        assertThat(cluster.resolve("postmaster.pid")).doesNotExist();
    }

    /**
     * A cluster as the code before passwords left it: a superuser without a password, pg_hba.conf
     * trusting every local connection, and no password file.
     */
    private static void makeTrustLayout(Path dir) throws Exception {
        executeOn(dir, "CREATE TABLE kept (v text)", "INSERT INTO kept VALUES ('from before passwords')",
                "ALTER ROLE postgres PASSWORD NULL");
        Files.writeString(dir.resolve("postgres/pg_hba.conf"), TRUST_HBA);
        Files.deleteIfExists(dir.resolve("postgres-password"));
    }

    /** The PBKDF2 rounds of the superuser's SCRAM verifier: {@code SCRAM-SHA-256$<rounds>:<salt>$...}. */
    private static int verifierRounds(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT split_part(split_part(rolpassword, '$', 2), ':', 1)::int "
                + "FROM pg_authid WHERE rolname = 'postgres'")) {
            assertThat(rs.next()).isTrue();
            return rs.getInt(1);
        }
    }

    /**
     * 28P01 is the server's "password authentication failed"; 08004 the driver's refusal to go on when
     * the server asks for a password it was not given.
     */
    private static void assertRefused(LocalPostgres pg, String password) {
        assertThatThrownBy(() -> DriverManager.getConnection(pg.jdbcUrl(), pg.user(), password).close())
                .as("a connection with the password '%s'", password)
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("password")
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isIn("28P01", "08004"));
    }

    private static void captureLogs(ListAppender<ILoggingEvent> logs, Logger ours) {
        logs.start();
        rootLogger().addAppender(logs);
        ours.setLevel(Level.TRACE);
    }

    private static Logger rootLogger() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
