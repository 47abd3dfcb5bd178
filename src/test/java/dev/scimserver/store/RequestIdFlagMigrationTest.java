package dev.scimserver.store;

import dev.scimserver.activity.LoggedRequest;
import dev.scimserver.activity.RequestFilter;
import dev.scimserver.activity.TimeOrderedIds;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A log of the version before the writer flagged its request ids (V25), upgraded: no entry is
 * rewritten, every entry is still found by its request id, and the new column has the statistics
 * setting of the log's other columns (V23), in the partitions there were and in those made after.
 */
class RequestIdFlagMigrationTest {
    private static final UUID WORKSPACE = UUID.fromString("00000000-0000-0000-0000-0000000000c1");

    @Test
    void theEntriesLoggedBeforeAreFoundByTheirRequestIds() throws SQLException {
        try (ScratchDatabase scratch = ScratchDatabase.atVersion("25")) {
            scratch.execute("INSERT INTO workspaces (id, name, slug) VALUES ('" + WORKSPACE + "', 'C', 'c')");
            // Today's partition (UTC), which V17 made as it migrated.
            Instant day = Instant.parse(scratch.text("SELECT to_char(date_trunc('day', now(), 'UTC') "
                    + "AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"));
            String date = day.toString().substring(0, 10);
            String partition = "provisioning_log_" + date.replace("-", "");
            Instant received = day.plusSeconds(3600).plusNanos(123_456_000);
            String serverMade = TimeOrderedIds.next(received).toString();
            String clientsVersion7 = TimeOrderedIds.next(day).toString();
            List<String> requestIds = List.of(serverMade, clientsVersion7, "okta-7f3a.12_x");
            for (int i = 0; i < requestIds.size(); i++) {
                scratch.execute("INSERT INTO provisioning_log (id, received_at, workspace_id, method, path, status, "
                        + "duration_micros, request_id, request_bytes, response_bytes) VALUES ('"
                        + TimeOrderedIds.next(received) + "', '" + received.plusNanos(1000L * i) + "', '" + WORKSPACE
                        + "', 'GET', '/api/scim/v2/Users', 200, 1, '" + requestIds.get(i) + "', 0, 0)");
            }
            String file = "SELECT pg_relation_filenode('" + partition + "')";
            String fileBefore = scratch.text(file);

            scratch.migrate();

            assertThat(scratch.text(file)).as("the partition's file: no row rewritten").isEqualTo(fileBefore);
            assertThat(scratch.text("SELECT count(*) FROM provisioning_log WHERE NOT request_id_names_time"))
                    .isEqualTo("3");
            PostgresProvisioningLog log = new PostgresProvisioningLog(scratch.dataSource());
            for (String requestId : requestIds) {
                assertThat(log.search(WORKSPACE, RequestFilter.ANY.requestId(requestId), null, 10)).as(requestId)
                        .extracting(LoggedRequest::requestId).containsExactly(requestId);
            }

            String statistics = "SELECT attstattarget FROM pg_attribute WHERE attrelid = '%s'::regclass "
                    + "AND attname = 'request_id_names_time'";
            assertThat(scratch.text(String.format(statistics, partition))).isEqualTo("20");
            scratch.text("SELECT provisioning_log_upkeep('" + date + "'::date + 5, 0, '-infinity'::date)");
            String later = "provisioning_log_" + scratch.text("SELECT to_char('" + date + "'::date + 5, 'YYYYMMDD')");
            assertThat(scratch.text(String.format(statistics, later))).isEqualTo("20");
        }
    }
}
