package dev.scimserver.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A start skips Flyway only when the database holds exactly the migrations this build brings, unchanged. */
class MigrationHistoryTest {
    @Test
    void theNewestVersionIsTheNewestScript() throws IOException {
        try (Stream<Path> scripts = Files.list(Path.of("src/main/resources/db/migration"))) {
            int newest = scripts.map(p -> p.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max().orElseThrow();
            assertThat(MigrationHistory.NEWEST).as("MigrationHistory.NEWEST after adding a migration").isEqualTo(newest);
        }
    }

    @Test
    void aDatabaseMigratedByFlywayIsCurrent() throws SQLException {
        try (ScratchDatabase scratch = ScratchDatabase.atVersion("latest")) {
            assertThat(MigrationHistory.current(scratch.dataSource())).isTrue();
        }
    }

    @Test
    void aMigrationNotYetAppliedIsFlywaysToApply() throws SQLException {
        try (ScratchDatabase scratch = ScratchDatabase.atVersion(Integer.toString(MigrationHistory.NEWEST - 1))) {
            assertThat(MigrationHistory.current(scratch.dataSource())).isFalse();
            scratch.migrate();
            assertThat(MigrationHistory.current(scratch.dataSource())).isTrue();
        }
    }

    @Test
    void aScriptChangedSinceItRanOrAFailedOneIsFlywaysToRefuse() throws SQLException {
        try (ScratchDatabase scratch = ScratchDatabase.atVersion("latest")) {
            scratch.execute("UPDATE flyway_schema_history SET checksum = checksum + 1 WHERE version = '2'");
            assertThat(MigrationHistory.current(scratch.dataSource())).isFalse();
            scratch.execute("UPDATE flyway_schema_history SET checksum = checksum - 1 WHERE version = '2'");
            scratch.execute("UPDATE flyway_schema_history SET success = false WHERE version = '"
                    + MigrationHistory.NEWEST + "'");
            assertThat(MigrationHistory.current(scratch.dataSource())).isFalse();
        }
    }

    @Test
    void aDatabaseWithoutHistoryIsNew() throws SQLException {
        try (ScratchDatabase scratch = ScratchDatabase.atVersion("latest")) {
            scratch.execute("DROP TABLE flyway_schema_history");
            assertThat(MigrationHistory.current(scratch.dataSource())).isFalse();
        }
    }

    /** Flyway only warns of it, and this older build would write the tables in their older shape. */
    @Test
    void aDatabaseMigratedFurtherThanThisBuildIsRefused() throws SQLException {
        try (ScratchDatabase scratch = ScratchDatabase.atVersion("latest")) {
            scratch.execute("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, "
                    + "checksum, installed_by, execution_time, success) SELECT max(installed_rank) + 1, '"
                    + (MigrationHistory.NEWEST + 1) + "', 'later', 'SQL', 'V" + (MigrationHistory.NEWEST + 1)
                    + "__later.sql', 0, current_user, 0, true FROM flyway_schema_history");
            assertThatThrownBy(() -> MigrationHistory.current(scratch.dataSource()))
                    .isInstanceOf(StartRefusedException.class).hasMessageContaining("migrated by a newer version");
        }
    }
}
