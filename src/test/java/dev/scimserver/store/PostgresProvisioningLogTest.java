package dev.scimserver.store;

import dev.scimserver.activity.LogEntry;
import dev.scimserver.activity.LoggedRequest;
import dev.scimserver.activity.MinuteCount;
import dev.scimserver.activity.Preconditions;
import dev.scimserver.activity.RequestFilter;
import dev.scimserver.activity.RequestRates;
import dev.scimserver.activity.TimeOrderedIds;
import dev.scimserver.activity.UnstorableLogEntryException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The log's rows on real PostgreSQL: what a batch writes is what a search and a lookup read back, and
 * what the chart counts per minute.
 */
class PostgresProvisioningLogTest {
    private static final String AWKWARD = "tab\there, new\nline, return\r, back\\slash, \\N, \\t, é€😀, \"quoted\", "
            + "{braces,commas}, NULL";

    private final DataSource dataSource = CredentialTestDatabase.dataSource();
    private final PostgresProvisioningLog log = new PostgresProvisioningLog(dataSource);
    private final UUID workspace = CredentialTestDatabase.newWorkspace(dataSource);

    private LogEntry entry(Instant received, String text, String requestBody, String responseBody) {
        LoggedRequest request = new LoggedRequest(TimeOrderedIds.next(received), received, workspace, text, "192.0.2.1",
                "PATCH", "/api/scim/v2/Users/" + text, text, text, 400, text, text, 1234, text, 5, 6);
        return new LogEntry(request, requestBody, responseBody, false, Preconditions.NONE);
    }

    @Test
    void everyCharacterOfABatchReadsBackAsWritten() {
        Instant received = Instant.now().truncatedTo(ChronoUnit.MICROS);
        LogEntry awkward = entry(received, AWKWARD, "{\"a\":\"" + AWKWARD + "\"}", AWKWARD);
        LogEntry nulls = new LogEntry(new LoggedRequest(TimeOrderedIds.next(received.plusMillis(1)),
                received.plusMillis(1), workspace, null, null, "GET", "/api/scim/v2/Users", null, null, 200, null,
                null, 0, "r", 0, 0), null, null, true, Preconditions.NONE);

        // Texts that an array's literal spells specially: the word NULL, and nothing at all.
        LogEntry spelledNull = entry(received.plusMillis(2), "NULL", "", "NULL");

        log.insert(List.of(awkward, nulls, spelledNull));

        assertThat(log.find(workspace, awkward.request().id())).contains(awkward);
        assertThat(log.find(workspace, nulls.request().id())).contains(nulls);
        assertThat(log.find(workspace, spelledNull.request().id())).contains(spelledNull);
        assertThat(log.search(workspace, RequestFilter.ANY, null, 10))
                .containsExactly(spelledNull.request(), nulls.request(), awkward.request());
    }

    /**
     * A batch goes to PostgreSQL in chunks as it is written: a batch of many bodies spans several, and
     * a body as long as the log keeps (64 KiB and its mark) is longer than one.
     */
    @Test
    void aBatchLargerThanOneChunkAndABodyLargerThanOneReadBackWhole() {
        Instant received = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            String body = "{\"n\":" + i + ",\"é\":\"" + "x".repeat(1_500 + i) + "\"}";
            entries.add(entry(received.plusNanos(1_000L * i), "e" + i, body, body));
        }
        String longest = "é".repeat(32 * 1024) + "\n[cut at 64 KiB: the body had 100000 bytes]";
        entries.add(entry(received.plusMillis(1), "longest", longest, longest));
        entries.add(entry(received.plusMillis(2), "after", "{}", "{}"));

        log.insert(entries);

        for (LogEntry entry : entries) {
            assertThat(log.find(workspace, entry.request().id())).as(entry.request().credential()).contains(entry);
        }
    }

    /** A batch that PostgreSQL refuses at its end keeps none of it: here its last entry falls in no partition. */
    @Test
    void aBatchRefusedByPostgresKeepsNoneOfItsEntries() {
        Instant received = Instant.now().truncatedTo(ChronoUnit.MICROS);
        LogEntry first = entry(received, "first", "{}", "{}");
        LogEntry noPartition = entry(received.plus(3650, ChronoUnit.DAYS), "decade", "{}", "{}");

        assertThatThrownBy(() -> log.insert(List.of(first, noPartition))).isInstanceOf(RuntimeException.class);

        assertThat(log.find(workspace, first.request().id())).isEmpty();
    }

    /** A value PostgreSQL will not index is told apart from an outage: the batch may be stored in parts. */
    @Test
    void aValueTooLongForItsIndexIsReportedAsAnUnstorableEntry() {
        Instant received = Instant.now().truncatedTo(ChronoUnit.MICROS);
        // Random, as a repeated character would compress to an index entry of a few bytes.
        StringBuilder random = new StringBuilder();
        while (random.length() < 6_000) {
            random.append(UUID.randomUUID());
        }
        String longId = random.toString();
        LogEntry tooLong = new LogEntry(new LoggedRequest(TimeOrderedIds.next(received), received, workspace, null, null,
                "GET", "/api/scim/v2/Users/" + longId, null, longId, 404, null, null, 1, "too-long", 0, 0), null, null,
                false, Preconditions.NONE);
        assertThatThrownBy(() -> log.insert(List.of(entry(received, "beside", "{}", "{}"), tooLong)))
                .isInstanceOf(UnstorableLogEntryException.class);
    }

    /**
     * A batch that fails while it is written, after some of its chunks have gone to PostgreSQL, is
     * cancelled: none of it is kept, and the connection serves the next batch.
     */
    @Test
    void aBatchThatFailsWhileWrittenIsCancelledWhole() {
        Instant received = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            entries.add(entry(received.plusNanos(1_000L * i), "sent" + i, "{}", "x".repeat(4_000)));
        }
        LogEntry unwritable = new LogEntry(new LoggedRequest(TimeOrderedIds.next(received.plusMillis(1)),
                received.plusMillis(1), workspace, null, null, "GET", "/api/scim/v2/Users", null, null, 70_000, null,
                null, 1, "unwritable", 0, 0), null, null, false, Preconditions.NONE);
        entries.add(unwritable);

        assertThatThrownBy(() -> log.insert(entries)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("70000");

        assertThat(log.find(workspace, entries.get(0).request().id())).isEmpty();
        assertThat(log.search(workspace, RequestFilter.ANY, null, 10)).isEmpty();
        LogEntry next = entry(received.plusMillis(2), "next", "{}", "{}");
        log.insert(List.of(next));
        assertThat(log.find(workspace, next.request().id())).contains(next);
    }

    @Test
    void theChartCountsWhatTheLogHoldsPerWorkspaceAndMinute() {
        UUID other = CredentialTestDatabase.newWorkspace(dataSource);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        log.upkeep(today.minusDays(1), 2, today.minusDays(365));
        Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(3, ChronoUnit.MINUTES);
        // Batches as the writer makes them: workspaces, minutes and statuses mixed, a minute's entries
        // split over batches, the last microsecond of a minute, and an entry of no workspace.
        log.insert(List.of(logged(workspace, minute.plusSeconds(1), 200), logged(other, minute.plusSeconds(2), 500),
                logged(workspace, minute.plusSeconds(3), 404), logged(null, minute.plusSeconds(4), 401),
                logged(workspace, minute.plusSeconds(61), 201), logged(workspace, minute.plusSeconds(5), 503)));
        log.insert(List.of(logged(other, minute.plusSeconds(62), 409), logged(workspace, minute.plusSeconds(63), 400),
                logged(workspace, minute.plusSeconds(60).minus(1, ChronoUnit.MICROS), 204),
                logged(other, minute.plusSeconds(6), 200)));
        log.insert(List.of(logged(workspace, minute.plusSeconds(64), 502)));

        RequestRates rates = new RequestRates(log, Clock.systemUTC());
        for (UUID charted : List.of(workspace, other)) {
            assertThat(rates.lastDay(charted)).filteredOn(count -> count.requests() > 0).hasSize(2)
                    .containsExactlyElementsOf(countedFromTheLog(charted));
        }
        assertThat(rates.lastDay(workspace)).filteredOn(count -> count.requests() > 0).containsExactly(
                new MinuteCount(minute, 4, 1, 1), new MinuteCount(minute.plusSeconds(60), 3, 1, 1));
    }

    /**
     * A batch locks the minutes it counts in key order, whatever the order of its entries, so two
     * processes' batches never each hold a minute the other waits for. Here the first minute by key is
     * held elsewhere: the batch, its entries in the other order, waits for it without having taken the
     * second.
     */
    @Test
    void aBatchLocksItsMinutesInKeyOrder() throws Exception {
        UUID other = CredentialTestDatabase.newWorkspace(dataSource);
        Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(2, ChronoUnit.MINUTES);
        log.insert(List.of(logged(workspace, minute, 200), logged(other, minute, 200)));
        Jdbi jdbi = Jdbi.create(dataSource);
        UUID first = jdbi.withHandle(h -> h.createQuery("SELECT least(?, ?)").bind(0, workspace).bind(1, other)
                .mapTo(UUID.class).one());
        UUID second = first.equals(workspace) ? other : workspace;
        CompletableFuture<Void> batch;
        try (Handle holder = jdbi.open(); Handle prober = jdbi.open()) {
            holder.begin();
            assertThat(lockMinute(holder, first, minute, "")).isEqualTo(1);
            batch = CompletableFuture.runAsync(() -> log.insert(List.of(logged(second, minute.plusSeconds(1), 200),
                    logged(first, minute.plusSeconds(1), 200))));
            awaitWaiterOn(prober, holder.createQuery("SELECT pg_backend_pid()").mapTo(Integer.class).one());
            prober.begin();
            assertThat(lockMinute(prober, second, minute, " NOWAIT")).as("the second minute is still free")
                    .isEqualTo(1);
            prober.rollback();
            holder.rollback();
        }
        batch.get();
        RequestRates rates = new RequestRates(log, Clock.systemUTC());
        for (UUID charted : List.of(first, second)) {
            assertThat(rates.lastDay(charted)).filteredOn(count -> count.requests() > 0)
                    .containsExactly(new MinuteCount(minute, 2, 0, 0));
        }
    }

    private static long lockMinute(Handle handle, UUID workspaceId, Instant minute, String wait) {
        return handle.createQuery("SELECT requests FROM request_minutes WHERE workspace_id = ? AND minute = ? "
                + "FOR UPDATE" + wait).bind(0, workspaceId).bind(1, minute.atOffset(ZoneOffset.UTC))
                .mapTo(Long.class).one();
    }

    /** Until a session waits for a lock that the session {@code pid} holds. */
    private static void awaitWaiterOn(Handle prober, int pid) throws InterruptedException {
        for (int attempt = 0; attempt < 1_000; attempt++) {
            if (prober.createQuery("SELECT count(*) FROM pg_stat_activity WHERE ? = ANY (pg_blocking_pids(pid))")
                    .bind(0, pid).mapTo(Long.class).one() > 0) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no session waited for the held minute");
    }

    private static LogEntry logged(UUID workspaceId, Instant received, int status) {
        return new LogEntry(new LoggedRequest(TimeOrderedIds.next(received), received, workspaceId, null, null, "GET",
                "/api/scim/v2/Users", null, null, status, null, null, 1, "chart", 0, 0), null, null, false, Preconditions.NONE);
    }

    /** The workspace's minutes of the last hour counted from its log entries, as the chart once counted them. */
    private List<MinuteCount> countedFromTheLog(UUID workspaceId) {
        return Jdbi.create(dataSource).withHandle(h -> h.createQuery("SELECT date_trunc('minute', received_at) "
                        + "AS minute, count(*) AS requests, count(*) FILTER (WHERE status BETWEEN 400 AND 499) "
                        + "AS client_errors, count(*) FILTER (WHERE status >= 500) AS server_errors "
                        + "FROM provisioning_log WHERE workspace_id = ? AND received_at >= now() - interval '1 hour' "
                        + "GROUP BY 1 ORDER BY 1")
                .bind(0, workspaceId)
                .map((rs, ctx) -> new MinuteCount(rs.getObject("minute", OffsetDateTime.class).toInstant(),
                        rs.getLong("requests"), rs.getLong("client_errors"), rs.getLong("server_errors")))
                .list());
    }

    @Test
    void anEntryIsFoundByItsIdOnlyInItsWorkspace() {
        LogEntry entry = entry(Instant.now().truncatedTo(ChronoUnit.MICROS), "x", null, null);
        log.insert(List.of(entry));

        assertThat(log.find(CredentialTestDatabase.newWorkspace(dataSource), entry.request().id())).isEmpty();
        assertThat(log.find(null, entry.request().id())).isEmpty();
        assertThat(log.find(workspace, UUID.randomUUID())).isEmpty();
    }

    /** What the writer asks before it tries a batch again whose commit went unacknowledged. */
    @Test
    void anEntryIsHeldOnceStoredInItsWorkspaceOrInNone() {
        Instant received = Instant.now().truncatedTo(ChronoUnit.MICROS);
        LogEntry attributed = logged(workspace, received, 200);
        LogEntry unattributed = logged(null, received, 401);
        assertThat(log.holds(attributed.request())).isFalse();
        log.insert(List.of(attributed, unattributed));
        assertThat(log.holds(attributed.request())).isTrue();
        assertThat(log.holds(unattributed.request())).isTrue();
        assertThat(log.holds(logged(workspace, received, 200).request())).as("another id").isFalse();
    }

    @Test
    void anOlderEntryWithARandomIdIsStillFound() {
        LogEntry fresh = entry(Instant.now().truncatedTo(ChronoUnit.MICROS), "older", "{}", "{}");
        LogEntry older = new LogEntry(new LoggedRequest(UUID.randomUUID(), fresh.request().receivedAt(), workspace,
                "older", "192.0.2.1", "PATCH", fresh.request().path(), null, null, 400, null, null, 1, "older", 2, 2),
                "{}", "{}", false, Preconditions.NONE);
        log.insert(List.of(older));

        assertThat(log.find(workspace, older.request().id())).contains(older);
    }

    @Test
    void everyKindOfRequestIdFindsItsEntriesAndOnlyIdsNamingTheirMillisecondStayOutOfTheIndex() {
        // A whole millisecond, so that the first entries below, microseconds apart, share it.
        Instant received = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String clientsVersion7 = TimeOrderedIds.next(received.minusSeconds(3600)).toString();
        String serverMade = TimeOrderedIds.next(received).toString();
        // The server's id of one request, and ids clients sent: made at another time, the server's own
        // in upper case, a random UUID (as the server made them before), and any text.
        List<String> ids = List.of(serverMade, clientsVersion7, serverMade.toUpperCase(Locale.ROOT),
                UUID.randomUUID().toString(), "okta-7f3a.12_x");
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            Instant at = received.plusNanos(1000L * i);
            entries.add(new LogEntry(new LoggedRequest(TimeOrderedIds.next(at), at, workspace, null, null, "GET",
                    "/api/scim/v2/Users", null, null, 200, null, null, 1, ids.get(i), 0, 0), null, null, false, Preconditions.NONE));
        }
        // A client may send the id the server made for another request: both entries are found.
        entries.add(new LogEntry(new LoggedRequest(TimeOrderedIds.next(received.plusMillis(5)),
                received.plusMillis(5), workspace, null, null, "GET", "/api/scim/v2/Groups", null, null, 200, null,
                null, 1, serverMade, 0, 0), null, null, false, Preconditions.NONE));
        log.insert(entries);

        assertThat(log.search(workspace, RequestFilter.ANY.requestId(serverMade), null, 10))
                .containsExactly(entries.get(5).request(), entries.get(0).request());
        for (int i = 1; i < ids.size(); i++) {
            assertThat(log.search(workspace, RequestFilter.ANY.requestId(ids.get(i)), null, 10)).as(ids.get(i))
                    .containsExactly(entries.get(i).request());
        }
        // The upper-case id names the millisecond of its entry too: it is found there, unindexed.
        assertThat(requestIdsInTheIndex()).containsExactly(clientsVersion7, ids.get(3), ids.get(4), serverMade);
    }

    /** Entries written before V26 have the flag false: V25's condition still keeps the server's ids out. */
    @Test
    void anEntryWrittenBeforeTheWriterFlaggedItsRequestIdIsFoundOutsideTheIndex() {
        Instant received = Instant.now().truncatedTo(ChronoUnit.MICROS);
        String requestId = TimeOrderedIds.next(received).toString();
        LogEntry entry = new LogEntry(new LoggedRequest(TimeOrderedIds.next(received), received, workspace, null,
                null, "GET", "/api/scim/v2/Users", null, null, 200, null, null, 1, requestId, 0, 0), null, null, false, Preconditions.NONE);
        log.insert(List.of(entry));
        Jdbi.create(dataSource).useHandle(h -> h.createUpdate("UPDATE provisioning_log SET request_id_names_time = "
                + "false WHERE workspace_id = ?").bind(0, workspace).execute());

        assertThat(requestIdsInTheIndex()).isEmpty();
        assertThat(log.search(workspace, RequestFilter.ANY.requestId(requestId), null, 10))
                .containsExactly(entry.request());
    }

    /** The request ids of the workspace's entries that meet the request id index's condition, oldest first. */
    private List<String> requestIdsInTheIndex() {
        return Jdbi.create(dataSource).withHandle(h -> h.createQuery("SELECT request_id FROM provisioning_log "
                        + "WHERE workspace_id = ? AND NOT request_id_names_time "
                        + "AND NOT provisioning_log_request_id_names_time(request_id, received_at) ORDER BY received_at")
                .bind(0, workspace).mapTo(String.class).list());
    }
}
