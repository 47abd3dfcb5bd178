package dev.scimserver.app;

import dev.scimserver.activity.LogEntry;
import dev.scimserver.activity.LogRetention;
import dev.scimserver.activity.LoggedRequest;
import dev.scimserver.activity.MinuteCount;
import dev.scimserver.activity.Preconditions;
import dev.scimserver.activity.RequestRates;
import dev.scimserver.activity.TimeOrderedIds;
import dev.scimserver.store.PostgresProvisioningLog;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention on the real schema: days out of {@code SCIM_LOG_RETENTION_DAYS} leave with their daily
 * partition (no DELETE) and their minutes' counts, the days ahead get their partitions; and the
 * per-minute figures the console charts, as the log's writer stores them.
 */
class ProvisioningLogRetentionTest {
    private final PostgresProvisioningLog log = new PostgresProvisioningLog(WorkspaceFixtures.dataSource());

    @Test
    void daysOutOfRetentionAreDroppedWithTheirPartitionsAndDaysAheadAreMade() throws SQLException {
        RunningServer.shared();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate old = today.minusDays(40);
        // As the upkeep of a server that ran forty days ago made them.
        log.upkeep(old, 2, old.minusDays(365));
        // The recent rows' days: a minute ago is yesterday just after midnight, and a server that
        // started after midnight on a fresh database made no partition for yesterday.
        log.upkeep(today.minusDays(1), 3, old.minusDays(365));
        UUID oldEntry = insert(old.atStartOfDay().toInstant(ZoneOffset.UTC).plusSeconds(3600));
        UUID recentEntry = insert(Instant.now().minusSeconds(60));
        UUID workspace = WorkspaceFixtures.newWorkspace("retained");
        Instant oldMinute = old.atStartOfDay().toInstant(ZoneOffset.UTC).plusSeconds(7200);
        Instant recentMinute = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(2, ChronoUnit.MINUTES);
        log.insert(List.of(entry(workspace, oldMinute, 200), entry(workspace, recentMinute, 200)));
        assertThat(partitionExists(old)).isTrue();
        assertThat(countedMinutes(workspace)).containsExactly(oldMinute, recentMinute);

        int dropped = new LogRetention(log, 30, Clock.systemUTC()).run();

        assertThat(dropped).isGreaterThanOrEqualTo(3);
        for (int day = 0; day <= 2; day++) {
            assertThat(partitionExists(old.plusDays(day))).as("partition of " + old.plusDays(day)).isFalse();
        }
        for (int day = 0; day <= 2; day++) {
            assertThat(partitionExists(today.plusDays(day))).as("partition of " + today.plusDays(day)).isTrue();
        }
        assertThat(exists(oldEntry)).isFalse();
        assertThat(exists(recentEntry)).isTrue();
        assertThat(countedMinutes(workspace)).as("the dropped day's minutes went with it").containsExactly(recentMinute);
    }

    @Test
    void theLastDayIsCountedPerMinuteWithTheErrorsApart() throws SQLException {
        UUID workspace = WorkspaceFixtures.newWorkspace("rates");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        log.upkeep(today.minusDays(2), 2, today.minusDays(365));
        Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(5, ChronoUnit.MINUTES);
        log.insert(List.of(entry(workspace, minute.plusSeconds(1), 200), entry(workspace, minute.plusSeconds(2), 404)));
        log.insert(List.of(entry(workspace, minute.plusSeconds(3), 503),
                entry(workspace, minute.minus(25, ChronoUnit.HOURS), 200)));
        List<MinuteCount> rates = new RequestRates(log, Clock.systemUTC()).lastDay(workspace);
        assertThat(rates).hasSize(24 * 60);
        assertThat(rates.get(rates.size() - 1).minute()).isEqualTo(Instant.now().truncatedTo(ChronoUnit.MINUTES));
        assertThat(rates).filteredOn(count -> count.requests() > 0)
                .containsExactly(new MinuteCount(minute, 3, 1, 1));
    }

    private static UUID insert(Instant at) throws SQLException {
        UUID id = UUID.randomUUID();
        try (Connection connection = WorkspaceFixtures.dataSource().getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO provisioning_log (id, received_at, "
                     + "method, path, status, duration_micros, request_id, request_bytes, response_bytes) "
                     + "VALUES (?, ?, 'GET', '/api/scim/v2/Users', 200, 1, 'retention', 0, 0)")) {
            insert.setObject(1, id);
            insert.setTimestamp(2, Timestamp.from(at));
            insert.executeUpdate();
        }
        return id;
    }

    /** An entry as the log's writer stores it, counted in its minute. */
    private static LogEntry entry(UUID workspace, Instant at, int status) {
        return new LogEntry(new LoggedRequest(TimeOrderedIds.next(at), at, workspace, null, null, "GET",
                "/api/scim/v2/Users", null, null, status, null, null, 1, "retention", 0, 0), null, null, false, Preconditions.NONE);
    }

    private static List<Instant> countedMinutes(UUID workspace) throws SQLException {
        List<Instant> minutes = new ArrayList<>();
        try (Connection connection = WorkspaceFixtures.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT minute FROM request_minutes "
                     + "WHERE workspace_id = ? ORDER BY minute")) {
            select.setObject(1, workspace);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    minutes.add(rows.getTimestamp(1).toInstant());
                }
            }
        }
        return minutes;
    }

    private static boolean exists(UUID id) throws SQLException {
        try (Connection connection = WorkspaceFixtures.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT 1 FROM provisioning_log WHERE id = ?")) {
            select.setObject(1, id);
            try (ResultSet row = select.executeQuery()) {
                return row.next();
            }
        }
    }

    private static boolean partitionExists(LocalDate day) throws SQLException {
        try (Connection connection = WorkspaceFixtures.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            select.setString(1, "provisioning_log_" + day.toString().replace("-", ""));
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        }
    }
}
