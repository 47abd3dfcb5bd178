package dev.scimserver.store;

import dev.scimserver.activity.LogEntry;
import dev.scimserver.activity.LoggedRequest;
import dev.scimserver.activity.Preconditions;
import dev.scimserver.activity.TimeOrderedIds;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An entry of the log is found by its id without the primary key V27 dropped: the workspace index
 * serves the lookup by the workspace (or none), the millisecond the id names and the id itself, in
 * the one partition of that millisecond, among a day's entries of two workspaces and of none, with the
 * next day's partition beside it.
 */
class LogEntryLookupPlanTest {
    private static final String FIRST_DAY = "provisioning_log_20310302";

    @Test
    void anEntryIsFoundThroughTheWorkspaceIndexOfItsDayAlone() throws SQLException {
        try (ScratchDatabase scratch = ScratchDatabase.atVersion("latest")) {
            scratch.execute("SELECT provisioning_log_upkeep(DATE '2031-03-02', 1, '-infinity')");
            PostgresProvisioningLog log = new PostgresProvisioningLog(scratch.dataSource());
            List<UUID> workspaces = List.of(UUID.randomUUID(), UUID.randomUUID());
            List<LogEntry> entries = new ArrayList<>();
            Instant received = Instant.parse("2031-03-02T20:00:00Z");
            for (int i = 0; i < 6_000; i++) {
                received = received.plusMillis(20);
                // One entry in ten was refused before a workspace was known.
                UUID workspace = i % 10 == 0 ? null : workspaces.get(i % 2);
                entries.add(new LogEntry(new LoggedRequest(TimeOrderedIds.next(received), received, workspace, "okta",
                        "192.0.2.1", "GET", "/api/scim/v2/Users", null, null, 200, null, null, 900,
                        TimeOrderedIds.next(received).toString(), 0, 600), null, "{\"totalResults\":0}", false, Preconditions.NONE));
            }
            log.insert(entries);
            scratch.execute("ANALYZE provisioning_log");

            LoggedRequest inWorkspace = entries.get(1_001).request();
            LoggedRequest inNone = entries.get(1_000).request();
            assertThat(plan(scratch, inWorkspace)).contains("\"Index Name\": \"" + FIRST_DAY
                    + "_workspace_id_received_at_id_idx\"", "(id = ").doesNotContain("\"Seq Scan\"", "20310303");
            assertThat(plan(scratch, inNone)).contains("\"Index Name\": \"" + FIRST_DAY
                    + "_workspace_id_received_at_id_idx\"", "(workspace_id IS NULL)", "(id = ")
                    .doesNotContain("\"Seq Scan\"", "20310303");
            assertThat(log.find(inWorkspace.workspaceId(), inWorkspace.id()).map(LogEntry::request))
                    .contains(inWorkspace);
            assertThat(log.find(null, inNone.id()).map(LogEntry::request)).contains(inNone);
        }
    }

    private static String plan(ScratchDatabase scratch, LoggedRequest entry) {
        Instant millisecond = TimeOrderedIds.madeAt(entry.id()).orElseThrow();
        return Jdbi.create(scratch.dataSource()).withHandle(handle -> {
            var explain = handle.createQuery("EXPLAIN (FORMAT JSON) "
                            + PostgresProvisioningLog.findSql(entry.workspaceId() != null,
                            PostgresProvisioningLog.IN_MILLISECOND))
                    .bind("id", entry.id())
                    .bind("from", CredentialDatabase.timestamp(millisecond))
                    .bind("to", CredentialDatabase.timestamp(millisecond.plusMillis(1)));
            if (entry.workspaceId() != null) {
                explain.bind("workspace", entry.workspaceId());
            }
            return explain.mapTo(String.class).one();
        });
    }
}
