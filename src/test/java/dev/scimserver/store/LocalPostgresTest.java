package dev.scimserver.store;

import dev.scimserver.app.RunningServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** The embedded PostgreSQL keeps its data in DATA_DIR across restarts, and is a real PostgreSQL 17. */
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
}
