package dev.scimserver.store;

import dev.scimserver.activity.LogEntry;
import dev.scimserver.activity.LoggedRequest;
import dev.scimserver.activity.Preconditions;
import dev.scimserver.activity.TimeOrderedIds;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the log's indexes cost as entries are appended (V25), on a day of one workspace's traffic. Its
 * entries are appended at the right edge of the workspace's index, whose pages should end as full as
 * a fresh build of the same entries leaves them: in newest-first order the
 * workspace's index settled at half full, twice the pages to write and to keep. And no entry whose
 * request id the server made is in the request id index.
 *
 * <p>The status, method and credential indexes are left out: a group of theirs (a status class, a
 * method, a credential) sits between others, where PostgreSQL splits a full page in halves whatever
 * the order.
 */
class LogIndexDensityTest {
    private static final int ENTRIES = 20_000;
    private static final int BATCH = 500;

    @Test
    void oneWorkspacesEntriesFillThePagesOfTheirIndexesAndServerMadeRequestIdsNone() throws SQLException {
        try (ScratchDatabase scratch = ScratchDatabase.atVersion("latest")) {
            scratch.execute("SELECT provisioning_log_upkeep(DATE '2031-03-02', 0, '-infinity')");
            PostgresProvisioningLog log = new PostgresProvisioningLog(scratch.dataSource());
            UUID workspace = UUID.randomUUID();
            Random random = new Random(7);
            Instant received = Instant.parse("2031-03-02T08:00:00Z");
            List<LogEntry> batch = new ArrayList<>();
            // A sync's traffic: mostly lookups, some creates, some misses, as the writer batches them.
            for (int i = 0; i < ENTRIES; i++) {
                received = received.plusMillis(1 + random.nextInt(3)).plusNanos(1000L * random.nextInt(1000));
                int kind = random.nextInt(20);
                boolean create = kind == 0;
                int status = create ? 201 : kind == 1 ? 404 : 200;
                batch.add(new LogEntry(new LoggedRequest(TimeOrderedIds.next(received), received, workspace,
                        kind == 2 ? "okta-old" : "okta", "192.0.2.1", create ? "POST" : "GET", "/api/scim/v2/Users",
                        create ? null : "filter=userName%20eq%20%22user" + i + "%40example.com%22", null, status,
                        null, null, 900, TimeOrderedIds.next(received).toString(), create ? 300 : 0, 600),
                        create ? "{\"userName\":\"user" + i + "\"}" : null, "{\"totalResults\":1}", false, Preconditions.NONE));
                if (batch.size() == BATCH) {
                    log.insert(batch);
                    batch.clear();
                }
            }

            String partition = "provisioning_log_20310302";
            SoftAssertions each = new SoftAssertions();
            String workspaceIndex = partition + "_workspace_id_received_at_id_idx";
            long appended = pages(scratch, workspaceIndex);
            scratch.execute("REINDEX INDEX " + workspaceIndex);
            long built = pages(scratch, workspaceIndex);
            each.assertThat(appended).as("workspace index: pages after appending, against " + built + " built")
                    .isLessThanOrEqualTo(built * 5 / 4);
            // An empty B-tree is its metapage and its root page.
            each.assertThat(pages(scratch, partition + "_workspace_id_request_id_idx")).as("request id index")
                    .isLessThanOrEqualTo(2);
            each.assertAll();
        }
    }

    private static long pages(ScratchDatabase scratch, String index) throws SQLException {
        return Long.parseLong(scratch.text("SELECT pg_relation_size('" + index + "') / 8192"));
    }
}
