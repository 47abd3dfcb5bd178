package dev.scimserver.store;

import dev.scimserver.activity.LogEntry;
import dev.scimserver.activity.LogEntryIds;
import dev.scimserver.activity.LoggedRequest;
import dev.scimserver.activity.RequestFilter;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The log's rows on real PostgreSQL: what a batch writes is what a search and a lookup read back. */
class PostgresProvisioningLogTest {
    private static final String AWKWARD = "tab\there, new\nline, return\r, back\\slash, \\N, \\t, é€😀, \"quoted\"";

    private final DataSource dataSource = CredentialTestDatabase.dataSource();
    private final PostgresProvisioningLog log = new PostgresProvisioningLog(dataSource);
    private final UUID workspace = CredentialTestDatabase.newWorkspace(dataSource);

    private LogEntry entry(Instant received, String text, String requestBody, String responseBody) {
        LoggedRequest request = new LoggedRequest(LogEntryIds.next(received), received, workspace, text, "192.0.2.1",
                "PATCH", "/api/scim/v2/Users/" + text, text, text, 400, text, text, 1234, text, 5, 6);
        return new LogEntry(request, requestBody, responseBody, false);
    }

    @Test
    void everyCharacterOfABatchReadsBackAsWritten() {
        Instant received = Instant.now().truncatedTo(ChronoUnit.MICROS);
        LogEntry awkward = entry(received, AWKWARD, "{\"a\":\"" + AWKWARD + "\"}", AWKWARD);
        LogEntry nulls = new LogEntry(new LoggedRequest(LogEntryIds.next(received.plusMillis(1)),
                received.plusMillis(1), workspace, null, null, "GET", "/api/scim/v2/Users", null, null, 200, null,
                null, 0, "r", 0, 0), null, null, true);

        log.insert(List.of(awkward, nulls));

        assertThat(log.find(workspace, awkward.request().id())).contains(awkward);
        assertThat(log.find(workspace, nulls.request().id())).contains(nulls);
        assertThat(log.search(workspace, RequestFilter.ANY, null, 10))
                .containsExactly(nulls.request(), awkward.request());
    }

    @Test
    void anEntryIsFoundByItsIdOnlyInItsWorkspace() {
        LogEntry entry = entry(Instant.now().truncatedTo(ChronoUnit.MICROS), "x", null, null);
        log.insert(List.of(entry));

        assertThat(log.find(CredentialTestDatabase.newWorkspace(dataSource), entry.request().id())).isEmpty();
        assertThat(log.find(null, entry.request().id())).isEmpty();
        assertThat(log.find(workspace, UUID.randomUUID())).isEmpty();
    }

    @Test
    void anOlderEntryWithARandomIdIsStillFound() {
        LogEntry fresh = entry(Instant.now().truncatedTo(ChronoUnit.MICROS), "older", "{}", "{}");
        LogEntry older = new LogEntry(new LoggedRequest(UUID.randomUUID(), fresh.request().receivedAt(), workspace,
                "older", "192.0.2.1", "PATCH", fresh.request().path(), null, null, 400, null, null, 1, "older", 2, 2),
                "{}", "{}", false);
        log.insert(List.of(older));

        assertThat(log.find(workspace, older.request().id())).contains(older);
    }
}
