package dev.scimserver.store;

import dev.scimserver.activity.LogEntry;
import dev.scimserver.activity.LogPosition;
import dev.scimserver.activity.LoggedRequest;
import dev.scimserver.activity.Preconditions;
import dev.scimserver.activity.RequestFilter;
import dev.scimserver.activity.TimeOrderedIds;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A search reads the log window after window of days, newest first: a statement over the whole log
 * planned and locked every daily partition, which a retention of years made more locks than
 * PostgreSQL's lock table holds. Pages come out as one statement gave them.
 */
class LogSearchWindowsTest {
    private static final UUID WORKSPACE = UUID.randomUUID();

    @Test
    void entriesSpreadOverMonthsComeNewestFirstAcrossWindowsAndPages() throws SQLException {
        try (ScratchDatabase scratch = ScratchDatabase.atVersion("latest")) {
            scratch.execute("SELECT provisioning_log_upkeep(current_date - 250, 252, '-infinity')");
            PostgresProvisioningLog log = new PostgresProvisioningLog(scratch.dataSource());
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            List<Instant> times = Stream.of(Duration.ofHours(1), Duration.ofDays(3), Duration.ofDays(20),
                    Duration.ofDays(60), Duration.ofDays(150), Duration.ofDays(240)).map(now::minus).toList();
            log.insert(times.stream().map(at -> entry(WORKSPACE, at)).toList());
            log.insert(List.of(entry(UUID.randomUUID(), now.minus(Duration.ofDays(2)))));

            assertThat(receivedAt(log.search(WORKSPACE, RequestFilter.ANY, null, 50))).isEqualTo(times);
            List<LoggedRequest> first = log.search(WORKSPACE, RequestFilter.ANY, null, 4);
            assertThat(receivedAt(first)).isEqualTo(times.subList(0, 4));
            LoggedRequest last = first.get(3);
            assertThat(receivedAt(log.search(WORKSPACE, RequestFilter.ANY, new LogPosition(last.receivedAt(),
                    last.id()), 4))).isEqualTo(times.subList(4, 6));
            RequestFilter between = new RequestFilter(now.minus(Duration.ofDays(100)), now.minus(Duration.ofDays(3)),
                    null, null, null, null, null);
            assertThat(receivedAt(log.search(WORKSPACE, between, null, 50))).isEqualTo(times.subList(2, 4));
        }
    }

    /** An id that names no time (an entry logged before ids named their millisecond) is looked for window by window. */
    @Test
    void anEntryWhoseIdNamesNoTimeIsFoundInWhicheverWindowHoldsIt() throws SQLException {
        try (ScratchDatabase scratch = ScratchDatabase.atVersion("latest")) {
            scratch.execute("SELECT provisioning_log_upkeep(current_date - 250, 252, '-infinity')");
            PostgresProvisioningLog log = new PostgresProvisioningLog(scratch.dataSource());
            Instant at = Instant.now().minus(Duration.ofDays(200)).truncatedTo(ChronoUnit.MICROS);
            UUID random = UUID.randomUUID();
            log.insert(List.of(new LogEntry(new LoggedRequest(random, at, WORKSPACE, null, null, "GET",
                    "/api/scim/v2/Users", null, null, 200, null, null, 1, "no-time", 0, 0), null, "{}", false,
                    Preconditions.NONE)));

            assertThat(log.find(WORKSPACE, random)).hasValueSatisfying(entry ->
                    assertThat(entry.request().receivedAt()).isEqualTo(at));
            assertThat(log.find(WORKSPACE, UUID.randomUUID())).isEmpty();
            assertThat(log.find(UUID.randomUUID(), random)).as("another workspace's").isEmpty();
        }
    }

    @Test
    void aWindowsStatementIsPlannedOverItsOwnDaysAlone() throws SQLException {
        try (ScratchDatabase scratch = ScratchDatabase.atVersion("latest")) {
            scratch.execute("SELECT provisioning_log_upkeep(DATE '2031-01-01', 120, '-infinity')");
            Instant from = Instant.parse("2031-03-01T00:00:00Z");
            PostgresProvisioningLog.Search search = PostgresProvisioningLog.Search.of(WORKSPACE, RequestFilter.ANY,
                    null, 50, new PostgresProvisioningLog.Window(from, from.plus(Duration.ofDays(7))));
            String plan = Jdbi.create(scratch.dataSource()).withHandle(handle ->
                    search.query(handle, "EXPLAIN (FORMAT JSON) " + search.sql()).mapTo(String.class).one());
            assertThat(plan.split("\"Relation Name\": \"provisioning_log_2031").length - 1).as(plan).isBetween(1, 7);
        }
    }

    private static LogEntry entry(UUID workspace, Instant at) {
        return new LogEntry(new LoggedRequest(TimeOrderedIds.next(at), at, workspace, null, null, "GET",
                "/api/scim/v2/Users", null, null, 200, null, null, 1, "windows", 0, 0), null, null, false,
                Preconditions.NONE);
    }

    private static List<Instant> receivedAt(List<LoggedRequest> found) {
        return found.stream().map(LoggedRequest::receivedAt).toList();
    }
}
