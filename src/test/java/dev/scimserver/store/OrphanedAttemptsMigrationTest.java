package dev.scimserver.store;

import dev.scimserver.events.DeliveryFormat;
import dev.scimserver.events.Subscription;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Before V41 the retention deleted attempts apart from their deliveries, a batch of each an hour, and
 * left attempts whose delivery had gone; since V41 attempts leave only with their delivery. V43 deletes
 * those left behind, once, and keeps every attempt of a delivery still there.
 */
class OrphanedAttemptsMigrationTest {

    @Test
    void attemptsWithoutTheirDeliveryGoAndTheOthersStay() throws SQLException {
        try (ScratchDatabase scratch = ScratchDatabase.atVersion("42")) {
            UUID workspace = CredentialTestDatabase.newWorkspace(scratch.dataSource());
            Subscription subscription = new Subscription(UUID.randomUUID(), workspace,
                    URI.create("https://receiver.example/hook"), DeliveryFormat.WEBHOOK, List.of(), false, null, null,
                    null, null, 1, null, null);
            new PostgresEventStore(scratch.dataSource()).insert(subscription, new byte[] {0});
            scratch.execute("INSERT INTO change_journal (workspace_id, resource_type, resource_id, operation) "
                    + "VALUES ('" + workspace + "', 'User', gen_random_uuid(), 'update')");
            scratch.execute("INSERT INTO event_attempts (subscription_id, journal_id, status, duration_ms) "
                    + "SELECT subscription_id, journal_id, 500, 3 FROM event_deliveries "
                    + "UNION ALL SELECT '" + subscription.id() + "', -1, 500, 3");

            scratch.migrate();

            assertThat(scratch.text("SELECT string_agg(CASE WHEN journal_id = -1 THEN 'orphan' ELSE 'kept' END, ',') "
                    + "FROM event_attempts")).isEqualTo("kept");
        }
    }
}
