package dev.scimserver.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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

    /**
     * A migration that has been released is never edited: Flyway keeps each applied script's checksum
     * (comments included) and refuses to start on a database whose history names another text, and
     * the database could not run the corrected text anyway. A correction is a new migration. Each
     * script's SHA-256 (of its text with LF line ends, whatever a checkout writes) is recorded in
     * released-migrations.sha256 when it is added; only a script not yet released may have its line
     * changed, and a migration added without its line fails here too.
     */
    @Test
    void noReleasedMigrationIsEdited() throws IOException, NoSuchAlgorithmException {
        Map<String, String> recorded = new TreeMap<>();
        for (String line : Files.readAllLines(Path.of("src/test/resources/released-migrations.sha256"))) {
            String[] digestAndName = line.trim().split("\\s+", 2);
            recorded.put(digestAndName[1], digestAndName[0]);
        }
        Map<String, String> scripts = new TreeMap<>();
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            for (Path script : files.toList()) {
                String text = Files.readString(script, StandardCharsets.UTF_8).replace("\r\n", "\n");
                scripts.put(script.getFileName().toString(), HexFormat.of().formatHex(
                        MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8))));
            }
        }
        List<String> differences = new ArrayList<>();
        scripts.forEach((name, digest) -> {
            if (!recorded.containsKey(name)) {
                differences.add(name + " has no line: add its digest when the migration is added");
            } else if (!recorded.get(name).equals(digest)) {
                differences.add(name + " was edited: correct a released migration in a new one, never in its own "
                        + "script");
            }
        });
        recorded.keySet().stream().filter(name -> !scripts.containsKey(name))
                .forEach(name -> differences.add(name + " is gone: a released migration is never removed or renamed"));
        assertThat(differences).as("src/test/resources/released-migrations.sha256").isEmpty();
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
