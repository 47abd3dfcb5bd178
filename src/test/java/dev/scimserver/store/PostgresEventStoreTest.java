package dev.scimserver.store;

import dev.scimserver.events.ChangeEvent;
import dev.scimserver.events.Delivery;
import dev.scimserver.events.DeliveryAttempt;
import dev.scimserver.events.DeliveryFormat;
import dev.scimserver.events.DeliveryOutcome;
import dev.scimserver.events.DeliveryRecord;
import dev.scimserver.events.DeliveryState;
import dev.scimserver.events.EventIds;
import dev.scimserver.events.EventStore.Attempted;
import dev.scimserver.events.Subscription;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.scimserver.events.EventStore.MEMBER_IDS_PER_CLAIM;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The delivery rows on real PostgreSQL: written by the journal's trigger, claimed per resource in
 * order, never by two claims at once, retried after their delay, taken over once a lease has ended.
 * On a database of its own: no server process delivers there.
 */
class PostgresEventStoreTest {
    private static final Duration LEASE = Duration.ofMinutes(1);
    private final DataSource dataSource = CredentialTestDatabase.separateDataSource();
    private final PostgresEventStore store = new PostgresEventStore(dataSource);
    private final UUID workspace = CredentialTestDatabase.newWorkspace(dataSource);
    private final Subscription subscription = new Subscription(UUID.randomUUID(), workspace,
            URI.create("https://receiver.example/hook"), DeliveryFormat.WEBHOOK, List.of(), false, null, null, null,
            null, 1, null, null);

    PostgresEventStoreTest() {
        store.insert(subscription, new byte[] {0});
    }

    /** Journal rows as the directory's triggers write them, in one statement (so one trigger run). */
    private void journal(UUID... resources) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO change_journal (workspace_id, "
                     + "resource_type, resource_id, operation) SELECT ?, 'User', r, 'update' FROM unnest(?::uuid[]) "
                     + "WITH ORDINALITY AS t(r, n) ORDER BY n")) {
            insert.setObject(1, workspace);
            insert.setArray(2, connection.createArrayOf("uuid", resources));
            insert.execute();
        }
    }

    /**
     * A claim holds every event it takes at once, and a membership event is as large as its list of
     * member ids: past {@code EventStore.MEMBER_IDS_PER_CLAIM} of them it takes no more, but always one.
     * (Each event of another group: a group's next event waits for its last.)
     */
    @Test
    void aClaimTakesNoMoreOnceItsEventsCarryManyMemberIds() throws SQLException {
        int half = MEMBER_IDS_PER_CLAIM / 2;
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO change_journal (workspace_id, "
                     + "resource_type, resource_id, operation, member_ids) "
                     + "SELECT ?, 'Group', gen_random_uuid(), 'member_add', "
                     + "ARRAY(SELECT gen_random_uuid() FROM generate_series(1, n)) "
                     + "FROM unnest(?::int[]) WITH ORDINALITY AS t(n, o) ORDER BY o")) {
            insert.setObject(1, workspace);
            insert.setArray(2, connection.createArrayOf("int", new Integer[] {
                    half + 1, half - 2, 1, MEMBER_IDS_PER_CLAIM * 2, 0, 3}));
            insert.execute();
        }
        List<Integer> sizes = new ArrayList<>();
        for (int claim = 0; claim < 4; claim++) {
            List<Delivery> claimed = store.claim(subscription, 16, LEASE);
            sizes.add(claimed.size());
            store.record(claimed.stream().map(PostgresEventStoreTest::acknowledged).toList(), List.of(),
                    Duration.ZERO, Duration.ofHours(24));
        }
        // The first three carry fewer ids than the bound, the fourth passes it alone; then the last two.
        assertThat(sizes).containsExactly(3, 1, 2, 0);
    }

    private static List<UUID> resources(List<Delivery> claimed) {
        return claimed.stream().map(delivery -> delivery.event().resourceId()).toList();
    }

    private static Attempted acknowledged(Delivery delivery) {
        return new Attempted(delivery, DeliveryOutcome.answered(204, Duration.ofMillis(3)), null);
    }

    /** Two events of one resource; the first sent, answered 503 and due again in an hour, the second behind it. */
    private void firstOfTwoEventsRetriedInAnHour() throws SQLException {
        UUID resource = UUID.randomUUID();
        journal(resource, resource);
        Delivery first = store.claim(subscription, 16, LEASE).get(0);
        store.record(List.of(failed(first, 503, Duration.ofHours(1))), List.of(), Duration.ZERO, Duration.ofHours(24));
    }

    /** An attempt the receiver answered with {@code status}, to be retried in {@code retryIn}. */
    private static Attempted failed(Delivery delivery, int status, Duration retryIn) {
        return new Attempted(delivery, DeliveryOutcome.answered(status, Duration.ofMillis(2)), retryIn);
    }

    /**
     * A change journalled since V44 is named with its time too: a restored database numbers its next
     * changes as the lost ones were, and those must not go out under ids receivers have seen.
     */
    @Test
    void anEventOfANewChangeIsNamedWithItsTime() throws SQLException {
        journal(UUID.randomUUID());
        ChangeEvent event = store.claim(subscription, 1, LEASE).get(0).event();
        EventIds ids = store.eventIds();
        String id = ids.of(event.journalId(), event.occurredAt());
        assertThat(ids.named(id).journalId()).isEqualTo(event.journalId());
        String sameNumberLater = ids.of(event.journalId(), event.occurredAt().plusMillis(1));
        assertThat(sameNumberLater).isNotEqualTo(id);

        // A poller's acknowledgement of a change of that number at another time (one a restore lost)
        // leaves this one claimed; its own id delivers it.
        store.acknowledge(subscription.id(), List.of(ids.named(sameNumberLater)));
        assertThat(store.deliveries(subscription.id(), 1)).singleElement()
                .satisfies(d -> assertThat(d.state()).isEqualTo(DeliveryState.PENDING));
        store.reject(subscription.id(), Map.of(ids.named(sameNumberLater), "not this one"));
        assertThat(store.deliveries(subscription.id(), 1).get(0).state()).isEqualTo(DeliveryState.PENDING);
        store.acknowledge(subscription.id(), List.of(ids.named(id)));
        assertThat(store.deliveries(subscription.id(), 1).get(0).state()).isEqualTo(DeliveryState.DELIVERED);
    }

    @Test
    void aSubscriptionOfAWorkspaceDeletedMeanwhileIsNotInserted() {
        // The admin API found the workspace, then it was deleted: the foreign key says so, not a 500.
        Subscription orphan = new Subscription(UUID.randomUUID(), UUID.randomUUID(), null, DeliveryFormat.SET_POLL,
                List.of(), false, null, null, null, null, 1, null, null);
        assertThat(store.insert(orphan, null)).isFalse();
        assertThat(store.insert(new Subscription(UUID.randomUUID(), workspace, null, DeliveryFormat.SET_POLL,
                List.of(), false, null, null, null, null, 1, null, null), null)).isTrue();
    }

    @Test
    void aResourcesNextEventWaitsUntilThePreviousOneIsAcknowledged() throws SQLException {
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        journal(first, first, second);
        List<Delivery> claimed = store.claim(subscription, 16, LEASE);
        assertThat(resources(claimed)).containsExactly(first, second);
        assertThat(store.claim(subscription, 16, LEASE)).as("leased, and the next one held back").isEmpty();

        store.record(List.of(acknowledged(claimed.get(0))), List.of(), Duration.ZERO, Duration.ofHours(24));
        List<Delivery> next = store.claim(subscription, 16, LEASE);
        assertThat(resources(next)).containsExactly(first);
        assertThat(next.get(0).event().journalId()).isGreaterThan(claimed.get(0).event().journalId());
    }

    @Test
    void aFailedDeliveryWaitsForItsRetryAndHoldsItsResourceBack() throws SQLException {
        firstOfTwoEventsRetriedInAnHour();
        assertThat(store.claim(subscription, 16, LEASE)).isEmpty();
        assertThat(store.untilNextDue()).hasValueSatisfying(due ->
                assertThat(due).isBetween(Duration.ofMinutes(50), Duration.ofHours(1)));
        assertThat(store.attempts(subscription.id(), 10)).singleElement()
                .satisfies(attempt -> assertThat(attempt.status()).isEqualTo(503));
    }

    @Test
    void unsentDeliveriesAreReleasedAndAnEndedLeaseIsTakenOver() throws SQLException {
        journal(UUID.randomUUID(), UUID.randomUUID());
        List<Delivery> claimed = store.claim(subscription, 16, LEASE);
        store.record(List.of(), List.of(claimed.get(0)), Duration.ZERO, Duration.ofHours(24));
        assertThat(resources(store.claim(subscription, 16, LEASE))).containsExactly(
                claimed.get(0).event().resourceId());

        journal(UUID.randomUUID());
        // A process that claimed and died: its lease has ended.
        Delivery abandoned = store.claim(subscription, 16, Duration.ofSeconds(-1)).get(0);
        Delivery takenOver = store.claim(subscription, 16, LEASE).get(0);
        assertThat(takenOver.event().journalId()).isEqualTo(abandoned.event().journalId());
    }

    @Test
    void afterAFailureTheBatchsUnsentDeliveriesWaitWithoutAnAttemptCounted() throws SQLException {
        journal(UUID.randomUUID(), UUID.randomUUID());
        List<Delivery> claimed = store.claim(subscription, 16, LEASE);
        store.record(List.of(failed(claimed.get(0), 500, Duration.ofHours(1))), List.of(claimed.get(1)),
                Duration.ofMinutes(5), Duration.ofHours(24));
        assertThat(store.claim(subscription, 16, LEASE)).as("neither is due at once").isEmpty();
        assertThat(store.untilNextDue()).hasValueSatisfying(due ->
                assertThat(due).isBetween(Duration.ofMinutes(4), Duration.ofMinutes(5)));
        assertThat(store.deliveries(subscription.id(), 10)).filteredOn(d -> d.eventId().equals(
                store.eventIds().of(claimed.get(1).event().journalId(), claimed.get(1).event().occurredAt()))).singleElement().satisfies(d -> assertThat(d.attempts()).isZero());
    }

    @Test
    void aLateOutcomeOfAClaimWhoseLeaseRanOutChangesNothingOfTheClaimThatTookOver() throws SQLException {
        journal(UUID.randomUUID());
        Delivery slow = store.claim(subscription, 16, Duration.ofSeconds(-1)).get(0);
        Delivery takenOver = store.claim(subscription, 16, LEASE).get(0);
        assertThat(takenOver.event().journalId()).isEqualTo(slow.event().journalId());
        store.record(List.of(failed(slow, 500, Duration.ofHours(1))), List.of(), Duration.ZERO, Duration.ofHours(24));
        store.record(List.of(acknowledged(takenOver)), List.of(), Duration.ZERO, Duration.ofHours(24));
        assertThat(store.deliveries(subscription.id(), 10)).singleElement().satisfies(d ->
                assertThat(d.state()).as("the late failure did not release the claim that took over")
                        .isEqualTo(DeliveryState.DELIVERED));
    }

    @Test
    void moreIsClaimableOnlyWhileADeliveryCouldBeHandedOutNow() throws SQLException {
        UUID first = UUID.randomUUID();
        journal(first, first, UUID.randomUUID());
        assertThat(store.claim(subscription, 1, LEASE)).hasSize(1);
        assertThat(store.hasClaimable(subscription)).as("the other resource's event").isTrue();
        assertThat(store.claim(subscription, 1, LEASE)).hasSize(1);
        assertThat(store.hasClaimable(subscription))
                .as("only the first resource's second event is left, behind its first").isFalse();
    }

    @Test
    void resumingForgetsTheFailuresAndMakesWhatWaitsDue() throws SQLException {
        journal(UUID.randomUUID());
        Delivery first = store.claim(subscription, 16, LEASE).get(0);
        store.record(List.of(failed(first, 500, Duration.ofHours(2))), List.of(), Duration.ZERO, Duration.ofHours(24));
        try (Connection connection = dataSource.getConnection();
             PreparedStatement longFailing = connection.prepareStatement("UPDATE event_deliveries SET "
                     + "first_failed_at = now() - interval '47 hours' WHERE subscription_id = ?")) {
            longFailing.setObject(1, subscription.id());
            longFailing.execute();
        }
        store.pause(workspace, subscription.id(), "every attempt failed for 24 hours");
        store.pause(workspace, subscription.id(), null);

        Delivery again = store.claim(subscription, 16, LEASE).get(0);
        assertThat(again.attempts()).as("the next failure is retried after the first delay, not the old backoff")
                .isZero();
        store.record(List.of(failed(again, 500, Duration.ofHours(2))), List.of(), Duration.ZERO, Duration.ofHours(24));
        assertThat(store.deliveries(subscription.id(), 10)).singleElement().satisfies(d ->
                assertThat(d.state()).as("a first failure since the resume, retried").isEqualTo(DeliveryState.PENDING));
    }

    @Test
    void deliveriesLeftUnsentPastTheRetentionEndDeadExceptOneBeingSent() throws SQLException {
        // A paused subscription, or a poll queue nobody reads, would keep its pending rows for ever.
        journal(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        Delivery beingSent = store.claim(subscription, 1, LEASE).get(0);
        assertThat(store.expireUnsent(java.time.Instant.now().minusSeconds(3600), "expired", 16))
                .as("nothing was due before the cut-off").isZero();
        // The database's other subscriptions (this class's other cases) have theirs ended too.
        assertThat(store.expireUnsent(java.time.Instant.now().plusSeconds(60), "expired", 100))
                .isGreaterThanOrEqualTo(2);
        assertThat(store.claim(subscription, 16, LEASE)).as("nothing left to send").isEmpty();
        assertThat(store.deliveries(subscription.id(), 10)).filteredOn(d -> !d.eventId().equals(
                store.eventIds().of(beingSent.event().journalId(), beingSent.event().occurredAt()))).hasSize(2).allSatisfy(d -> {
                    assertThat(d.state()).isEqualTo(DeliveryState.DEAD);
                    assertThat(d.lastError()).isEqualTo("expired");
                });
        store.record(List.of(acknowledged(beingSent)), List.of(), Duration.ZERO, Duration.ofHours(24));
        assertThat(store.deliveries(subscription.id(), 10)).filteredOn(d -> d.state() == DeliveryState.DELIVERED)
                .extracting(DeliveryRecord::eventId).containsExactly(store.eventIds().of(beingSent.event().journalId(), beingSent.event().occurredAt()));
    }

    @Test
    void aDeliveryHeldBackByAnEventStillRetriedIsNotEndedByTheRetention() throws SQLException {
        firstOfTwoEventsRetriedInAnHour();
        // The cut-off passes the held-back delivery's due time, not its predecessor's next retry.
        store.expireUnsent(java.time.Instant.now().plusSeconds(60), "expired", 100);
        assertThat(store.deliveries(subscription.id(), 10)).hasSize(2)
                .allSatisfy(d -> assertThat(d.state()).isEqualTo(DeliveryState.PENDING));
        // Once the predecessor's retry is past the cut-off too, both end.
        store.expireUnsent(java.time.Instant.now().plus(Duration.ofHours(2)), "expired", 100);
        assertThat(store.deliveries(subscription.id(), 10)).hasSize(2)
                .allSatisfy(d -> assertThat(d.state()).isEqualTo(DeliveryState.DEAD));
    }

    /**
     * A delivery leaves with its attempts, counted once: the attempts were deleted by their own age (a
     * delivery still retried lost the attempts that say why), and counted in the batch, so the retention's
     * loop took a full batch of both for a short one and stopped after it.
     */
    @Test
    void aFinishedDeliveryLeavesWithItsAttemptsAndAnUnfinishedOneKeepsItsOwn() throws SQLException {
        journal(UUID.randomUUID(), UUID.randomUUID());
        List<Delivery> claimed = store.claim(subscription, 16, LEASE);
        store.record(List.of(acknowledged(claimed.get(0)), failed(claimed.get(1), 500, Duration.ofHours(1))),
                List.of(), Duration.ZERO, Duration.ofHours(24));
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delivered = connection.prepareStatement("UPDATE event_deliveries SET finished_at = "
                     + "now() - interval '2 days' WHERE subscription_id = ? AND state = 'delivered'");
             PreparedStatement attempted = connection.prepareStatement("UPDATE event_attempts SET attempted_at = "
                     + "now() - interval '3 days' WHERE subscription_id = ?")) {
            delivered.setObject(1, subscription.id());
            delivered.execute();
            attempted.setObject(1, subscription.id());
            attempted.execute();
        }

        assertThat(store.pruneFinished(java.time.Instant.now().minus(Duration.ofDays(1)), 1000))
                .as("deliveries removed").isEqualTo(1);

        String retried = store.eventIds().of(claimed.get(1).event().journalId(), claimed.get(1).event().occurredAt());
        assertThat(store.deliveries(subscription.id(), 10)).extracting(DeliveryRecord::eventId).containsExactly(retried);
        assertThat(store.attempts(subscription.id(), 10)).extracting(DeliveryAttempt::eventId).containsExactly(retried);
    }

    /**
     * A replay that makes a finished delivery pending again, committing while the retention waits for the
     * row: READ COMMITTED checks the row's new version against the DELETE's own conditions only, and
     * the subquery's (finished, and long ago) were not among them, so the replayed event was deleted.
     */
    @Test
    void aDeliveryAReplayMadePendingWhileTheRetentionWaitedForItIsKept() throws Exception {
        journal(UUID.randomUUID());
        Delivery sent = store.claim(subscription, 16, LEASE).get(0);
        store.record(List.of(acknowledged(sent)), List.of(), Duration.ZERO, Duration.ofHours(24));
        CredentialTestDatabase.update(dataSource, "UPDATE event_deliveries SET finished_at = now() - interval '2 days' "
                + "WHERE subscription_id = ?", subscription.id());
        java.util.concurrent.CompletableFuture<Integer> pruned;
        try (Connection replay = dataSource.getConnection()) {
            replay.setAutoCommit(false);
            try (PreparedStatement pending = replay.prepareStatement("UPDATE event_deliveries SET state = 'pending', "
                    + "finished_at = NULL WHERE subscription_id = ?")) {
                pending.setObject(1, subscription.id());
                pending.execute();
            }
            pruned = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                    store.pruneFinished(java.time.Instant.now().minus(Duration.ofDays(1)), 1000));
            awaitWaitingForALock();
            replay.commit();
        }
        assertThat(pruned.get(30, java.util.concurrent.TimeUnit.SECONDS)).isZero();
        assertThat(store.deliveries(subscription.id(), 10)).extracting(DeliveryRecord::state)
                .containsExactly(DeliveryState.PENDING);
    }

    /**
     * Until a session of this database waits for a lock; asked outside any transaction, since a
     * transaction sees the activity statistics as they were when it first read them.
     */
    private void awaitWaitingForALock() throws Exception {
        for (int tries = 0; tries < 600; tries++) {
            try (Connection observer = dataSource.getConnection(); PreparedStatement waiting = observer.prepareStatement("SELECT count(*) FROM pg_stat_activity "
                    + "WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()");
                 var rs = waiting.executeQuery()) {
                rs.next();
                if (rs.getInt(1) > 0) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no session waited for a lock");
    }

    /**
     * A transaction that began first and waited for another's lock on the resource wrote its change
     * second: stamped with its start, that change went back in time against the other's.
     */
    @Test
    void aChangeWrittenAfterAnotherCarriesALaterTimeThoughItsTransactionBeganFirst() throws SQLException {
        UUID resource = UUID.randomUUID();
        try (Connection first = dataSource.getConnection(); Connection second = dataSource.getConnection()) {
            first.setAutoCommit(false);
            try (PreparedStatement begin = first.prepareStatement("SELECT now()")) {
                begin.execute();
            }
            journal(resource);
            try (PreparedStatement insert = first.prepareStatement("INSERT INTO change_journal (workspace_id, "
                    + "resource_type, resource_id, operation) VALUES (?, 'User', ?, 'update')")) {
                insert.setObject(1, workspace);
                insert.setObject(2, resource);
                insert.execute();
            }
            first.commit();
            try (PreparedStatement times = second.prepareStatement("SELECT bool_and(occurred_at >= previous) "
                    + "FROM (SELECT occurred_at, lag(occurred_at) OVER (ORDER BY id) AS previous FROM change_journal "
                    + "WHERE resource_id = ?) t")) {
                times.setObject(1, resource);
                try (var rs = times.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getBoolean(1)).as("times in the order of the changes").isTrue();
                }
            }
        }
    }

    /** The dispatcher lists the subscriptions due, then claims: one paused between the two sends nothing. */
    @Test
    void aSubscriptionPausedAfterItWasListedHasNothingClaimed() throws SQLException {
        journal(UUID.randomUUID());
        assertThat(store.pause(workspace, subscription.id(), "paused by an administrator")).isTrue();
        assertThat(store.hasClaimable(subscription)).isFalse();
        assertThat(store.claim(subscription, 16, LEASE)).isEmpty();
        store.pause(workspace, subscription.id(), null);
        assertThat(store.claim(subscription, 16, LEASE)).hasSize(1);
    }

    @Test
    void anAttemptEndingAfterItsSubscriptionWasDeletedRecordsNothing() throws SQLException {
        journal(UUID.randomUUID(), UUID.randomUUID());
        List<Delivery> inFlight = store.claim(subscription, 16, LEASE);
        assertThat(store.delete(workspace, subscription.id())).isTrue();
        store.record(List.of(acknowledged(inFlight.get(0)), failed(inFlight.get(1), 500, Duration.ofSeconds(5))),
                List.of(), Duration.ZERO, Duration.ofHours(24));
        assertThat(store.attempts(subscription.id(), 10)).isEmpty();
    }

    @Test
    void aReplayDuringAnAttemptIsNotUndoneByItsLateAcknowledgement() throws SQLException {
        journal(UUID.randomUUID());
        Delivery inFlight = store.claim(subscription, 16, LEASE).get(0);
        // The workspace's own creation is an event of the workspace too: replayed with it.
        assertThat(store.replay(subscription, java.time.Instant.EPOCH)).isEqualTo(2);
        store.record(List.of(acknowledged(inFlight)), List.of(), Duration.ZERO, Duration.ofHours(24));
        assertThat(store.claim(subscription, 16, LEASE)).extracting(delivery -> delivery.event().journalId())
                .contains(inFlight.event().journalId());
    }

    @Test
    void concurrentClaimsNeverTakeTheSameDelivery() throws Exception {
        UUID[] resources = new UUID[200];
        for (int i = 0; i < resources.length; i++) {
            resources[i] = UUID.randomUUID();
        }
        journal(resources);
        List<Long> taken = Collections.synchronizedList(new ArrayList<>());
        ExecutorService processes = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Void>> claimers = new ArrayList<>();
            for (int p = 0; p < 4; p++) {
                PostgresEventStore process = new PostgresEventStore(CredentialTestDatabase.separateDataSource());
                claimers.add(() -> {
                    List<Delivery> batch;
                    while (!(batch = process.claim(subscription, 7, LEASE)).isEmpty()) {
                        batch.forEach(delivery -> taken.add(delivery.event().journalId()));
                    }
                    return null;
                });
            }
            for (Future<Void> done : processes.invokeAll(claimers)) {
                done.get();
            }
        } finally {
            processes.shutdownNow();
        }
        assertThat(taken).hasSize(200).doesNotHaveDuplicates();
    }
}
