package dev.scimserver.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code Main} in a process of its own: how a start or an {@code admin} command that cannot go on ends. */
class MainTest {

    @Test
    void anAdminCommandWithADotEnvItCannotReadSaysWhyAndExitsTwo(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve(".env"), "# caf\u00e9\nSCIM_ADMIN_TOKEN=t\n".getBytes(StandardCharsets.ISO_8859_1));
        ServerProcess.Ended ended = ServerProcess.runToEnd(dir, Map.of(), "admin", "workspaces", "list");
        assertThat(ended.exitCode()).as(ended.output()).isEqualTo(2);
        assertThat(ended.output()).isEqualTo("error: .env line 1 is not UTF-8 text: save the file as UTF-8\n");
    }

    /** Any first argument but admin started the whole server: --help migrated the database of running ones. */
    @Test
    void anArgumentOtherThanAdminStartsNothing(@TempDir Path dir) {
        ServerProcess.Ended help = ServerProcess.runToEnd(dir, Map.of("DATA_DIR", dir.resolve("data").toString()),
                "--help");
        assertThat(help.exitCode()).as(help.output()).isZero();
        assertThat(help.output()).startsWith("usage: java -jar scim-server.jar ");
        ServerProcess.Ended typo = ServerProcess.runToEnd(dir, Map.of("DATA_DIR", dir.resolve("data").toString()),
                "amdin", "workspaces", "list");
        assertThat(typo.exitCode()).as(typo.output()).isEqualTo(2);
        assertThat(typo.output()).startsWith("error: unknown command 'amdin'\nusage: ");
        assertThat(dir.resolve("data")).as("no database made").doesNotExist();
    }

    @Test
    void aServerWithADotEnvItCannotParseSaysWhyAndExitsTwo(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(".env"), "SCIM_ADMIN_TOKEN=\"secret-value\n");
        ServerProcess.Ended ended = ServerProcess.runToEnd(dir, Map.of());
        assertThat(ended.exitCode()).as(ended.output()).isEqualTo(2);
        assertThat(ended.output()).contains("configuration error: .env line 1 opens a quote")
                .doesNotContain("secret-value", "Exception");
    }

    /**
     * LOG_FORMAT=json holds for the line that says why the configuration is refused too: a log shipper
     * reading JSON would otherwise drop the one line that says why the server never started.
     */
    @Test
    void aConfigurationErrorUnderJsonLogsIsOneJsonLine(@TempDir Path dir) throws IOException {
        ServerProcess.Ended ended = ServerProcess.runToEnd(dir, Map.of("LOG_FORMAT", "json",
                "SCIM_LOG_RETENTION_DAYS", "0"));
        assertThat(ended.exitCode()).as(ended.output()).isEqualTo(2);
        List<String> lines = ended.output().lines().toList();
        assertThat(lines).as(ended.output()).hasSize(1);
        JsonNode line = new ObjectMapper().readTree(lines.get(0));
        assertThat(line.path("level").asText()).isEqualTo("ERROR");
        assertThat(line.path("message").asText())
                .isEqualTo("configuration error: SCIM_LOG_RETENTION_DAYS must be between 1 and 3650, not 0");
    }

    /** A .env that cannot be read cannot say LOG_FORMAT; the process's environment still can. */
    @Test
    void aDotEnvItCannotParseUnderJsonLogsFromTheEnvironmentIsOneJsonLine(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(".env"), "SCIM_ADMIN_TOKEN=\"secret-value\n");
        ServerProcess.Ended ended = ServerProcess.runToEnd(dir, Map.of("LOG_FORMAT", "json"));
        assertThat(ended.exitCode()).as(ended.output()).isEqualTo(2);
        List<String> lines = ended.output().lines().toList();
        assertThat(lines).as(ended.output()).hasSize(1);
        assertThat(new ObjectMapper().readTree(lines.get(0)).path("message").asText())
                .startsWith("configuration error: .env line 1 opens a quote");
    }

    /** The single ERROR line a refused start logs, its only one, with no trace after it. */
    private static void assertRefusedInOneLine(ServerProcess.Ended ended, String message) {
        assertThat(ended.exitCode()).as(ended.output()).isEqualTo(1);
        List<String> errors = ended.output().lines().filter(line -> line.contains(" ERROR ")).toList();
        assertThat(errors).as(ended.output()).hasSize(1);
        assertThat(errors.get(0)).contains("the server could not start: " + message);
        assertThat(ended.output()).doesNotContain("\tat ", "Exception in thread");
    }

    @Test
    void aDatabaseItCannotReachEndsTheStartInOneLine(@TempDir Path dir) throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        ServerProcess.Ended ended = ServerProcess.runToEnd(dir, Map.of("PORT", "0",
                "DATABASE_URL", "postgres://u:pass-never-shown@127.0.0.1:" + closedPort + "/scim"));
        assertRefusedInOneLine(ended, "cannot reach the database");
        assertThat(ended.output()).doesNotContain("pass-never-shown");
    }

    @Test
    void aDataDirInUseEndsTheStartInOneLine(@TempDir Path dir) throws IOException {
        Path dataDir = RunningServer.testDataDir();
        try (FileChannel lock = FileChannel.open(dataDir.resolve("server.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock held = lock.lock()) {
            ServerProcess.Ended ended = ServerProcess.runToEnd(dir, Map.of("PORT", "0",
                    "DATA_DIR", dataDir.toString()));
            assertRefusedInOneLine(ended, "DATA_DIR " + dataDir.toRealPath() + " is in use");
        }
    }

    /** The embedded PostgreSQL was running when the port was found taken: it must not outlive the start. */
    @Test
    void aPortInUseEndsTheStartInOneLineAndStopsTheEmbeddedDatabase(@TempDir Path dir) throws IOException {
        Path dataDir = RunningServer.testDataDir();
        try (ServerSocket taken = new ServerSocket(0)) {
            ServerProcess.Ended ended = ServerProcess.runToEnd(dir, Map.of("PORT",
                    Integer.toString(taken.getLocalPort()), "DATA_DIR", dataDir.toString()));
            assertRefusedInOneLine(ended, "Port already in use");
        }
        assertThat(dataDir.resolve("postgres").resolve("postmaster.pid")).doesNotExist();
    }

    @Test
    void aDataDirThatIsAFileEndsTheStartInOneLine(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(RunningServer.testDataDir().resolve("not-a-directory"), "x");
        ServerProcess.Ended ended = ServerProcess.runToEnd(dir, Map.of("PORT", "0", "DATA_DIR", file.toString()));
        assertRefusedInOneLine(ended, "the embedded PostgreSQL cannot start under DATA_DIR " + file);
    }

    /** A database user without CREATE on the schema: Flyway's failure held the whole script, 55 lines. */
    @Test
    void aDatabaseUserThatMayNotCreateTablesEndsTheStartInOneLine(@TempDir Path dir) throws Exception {
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String database = "norights_" + suffix;
        try (Connection admin = DriverManager.getConnection(RunningServer.shared().jdbcUrl());
             Statement s = admin.createStatement()) {
            s.execute("CREATE ROLE " + database + " LOGIN PASSWORD 'no-rights-" + suffix + "'");
            s.execute("CREATE DATABASE " + database);
        }
        String url = RunningServer.shared().jdbcUrl().replaceFirst("/scim\\?.*", "/" + database)
                + "?user=" + database + "&password=no-rights-" + suffix;
        ServerProcess.Ended ended = ServerProcess.runToEnd(dir, Map.of("PORT", "0", "DATABASE_URL", url));
        assertRefusedInOneLine(ended, "the database user may not create the server's tables");
    }
    /**
     * A rollback, or a stale replica restarted, on a database a newer version migrated: Flyway only warned,
     * and the older server wrote the tables in their older shape.
     */
    @Test
    void aDatabaseMigratedByANewerVersionEndsTheStartInOneLine(@TempDir Path dir) throws Exception {
        String url = migratedDatabase("newer", "INSERT INTO flyway_schema_history (installed_rank, version, "
                + "description, type, script, checksum, installed_by, execution_time, success) SELECT max(installed_rank) "
                + "+ 1, '999', 'from the future', 'SQL', 'V999__from_the_future.sql', 1, 'postgres', 1, true "
                + "FROM flyway_schema_history");
        ServerProcess.Ended ended = ServerProcess.runToEnd(dir, Map.of("PORT", "0", "DATABASE_URL", url));
        assertRefusedInOneLine(ended, "the database was migrated by a newer version of the server (its schema is at "
                + "V999");
    }

    /** A script changed since it ran: Flyway's refusal came with seventy lines of its trace. */
    @Test
    void aMigrationHistoryThatDiffersFromTheScriptsEndsTheStartInOneLine(@TempDir Path dir) throws Exception {
        String url = migratedDatabase("changed", "UPDATE flyway_schema_history SET checksum = checksum + 1 "
                + "WHERE version = '12'");
        ServerProcess.Ended ended = ServerProcess.runToEnd(dir, Map.of("PORT", "0", "DATABASE_URL", url));
        assertRefusedInOneLine(ended, "the database's migration history does not match this version's migrations: ");
        assertThat(ended.output()).contains("version 12");
    }

    /** A database of its own on the shared server, migrated to this version, then {@code changed}; its URL. */
    private static String migratedDatabase(String prefix, String changed) throws SQLException {
        String database = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection admin = DriverManager.getConnection(RunningServer.shared().jdbcUrl());
             Statement s = admin.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
        String url = RunningServer.shared().jdbcUrl().replaceFirst("/scim\\?", "/" + database + "?");
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration").load().migrate();
        try (Connection connection = DriverManager.getConnection(url); Statement s = connection.createStatement()) {
            s.execute(changed);
        }
        return url;
    }
}
