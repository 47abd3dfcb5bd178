package dev.scimserver.store;

import dev.scimserver.app.RunningServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The embedded PostgreSQL keeps its data in DATA_DIR across restarts, is a real PostgreSQL 17, and
 * says which directory is in its way when it runs as root and cannot reach DATA_DIR.
 */
@Tag("slow")
class LocalPostgresTest {

    @Test
    void dataSurvivesARestart() throws Exception {
        Path dir = RunningServer.testDataDir();
        try (LocalPostgres first = LocalPostgres.start(dir);
             Connection c = DriverManager.getConnection(first.jdbcUrl(), first.user(), "");
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kept (v text)");
            s.execute("INSERT INTO kept VALUES ('still here')");
        }
        try (LocalPostgres second = LocalPostgres.start(dir);
             Connection c = DriverManager.getConnection(second.jdbcUrl(), second.user(), "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT v, version(), lower('ÉCOLE') FROM kept")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("still here");
            assertThat(rs.getString(2)).startsWith("PostgreSQL 17");
            assertThat(rs.getString(3)).as("Unicode case folding").isEqualTo("école");
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
}
