package dev.scimserver.store;

import dev.scimserver.events.ChangeEvent;
import dev.scimserver.events.Delivery;
import dev.scimserver.events.DeliveryAttempt;
import dev.scimserver.events.DeliveryFormat;
import dev.scimserver.events.DeliveryOutcome;
import dev.scimserver.events.DeliveryRecord;
import dev.scimserver.events.DeliveryState;
import dev.scimserver.events.EventConflictException;
import dev.scimserver.events.EventIds;
import dev.scimserver.events.EventStore;
import dev.scimserver.events.EventStore.Attempted;
import dev.scimserver.events.EventType;
import dev.scimserver.events.SealedSecrets;
import dev.scimserver.events.Subscription;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.postgresql.util.PSQLException;

import javax.sql.DataSource;
import java.net.URI;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static dev.scimserver.store.CredentialDatabase.instant;
import static dev.scimserver.store.CredentialDatabase.timestamp;

/**
 * Subscriptions and deliveries in PostgreSQL (V18). The delivery rows are written by the journal's
 * trigger; here they are claimed ({@code FOR UPDATE SKIP LOCKED}, then a lease), finished, retried,
 * replayed and pruned. Every time compared across processes is the database's {@code now()}.
 */
public final class PostgresEventStore implements EventStore {
    /** Runs of a subscription's delete before a deadlock with the dispatcher is the caller's to see. */
    private static final int DELETE_RUNS = 3;
    private static final String SUBSCRIPTION_COLUMNS = "id, workspace_id, url, format, events, notice, created_at, "
            + "paused_at, pause_reason, failing_since, secret_version, secret_rotated_at, "
            + "CASE WHEN previous_secret_until > now() THEN previous_secret_until END AS previous_secret_until";
    private static final String FAILING_REASON = "every attempt failed for 24 hours";
    /**
     * An attempt's outcome is written only to a delivery still pending and claimed: a replay (or a
     * release) in the meantime cleared the claim, and a late acknowledgement must not finish the
     * delivery the replay asked for again.
     */
    /**
     * The deliveries of subscription {@code :s} (as {@code c}) a claim can take now: pending, due, not
     * leased, and none of an earlier event of their resource still pending; and the subscription not
     * paused, which the dispatcher saw when it listed the subscriptions due, but an administrator may
     * have paused since.
     */
    private static final String CLAIMABLE = "FROM event_deliveries c WHERE c.subscription_id = :s "
            + "AND EXISTS (SELECT 1 FROM event_subscriptions p WHERE p.id = :s AND p.paused_at IS NULL) "
            + "AND c.state = 'pending' AND c.next_attempt_at <= now() "
            + "AND (c.claimed_until IS NULL OR c.claimed_until < now()) "
            + "AND NOT EXISTS (SELECT 1 FROM event_deliveries e WHERE e.subscription_id = c.subscription_id "
            + "AND e.resource_id = c.resource_id AND e.state = 'pending' AND e.journal_id < c.journal_id) ";
    /** A polled delivery handed out and neither acknowledged nor replayed since (a poller answers by id). */
    private static final String STILL_CLAIMED = "state = 'pending' AND claimed_until IS NOT NULL";
    /**
     * A poller's id ({@code sent}: its journal number and time) names the delivery's change: the same
     * number, and the same time unless the id was made before ids held one (V44).
     */
    private static final String SENT_NAMES_IT = "j.id = d.journal_id AND (sent.micros = 0 "
            + "OR j.occurred_at = 'epoch'::timestamptz + sent.micros * interval '1 microsecond')";
    /**
     * A pushed delivery still under the claim that sent it (bound: its lease's end): once that lease has
     * run out and another claim has it, or a replay has released it, a late outcome changes nothing.
     */
    private static final String OWN_CLAIM = "state = 'pending' AND claimed_until = :lease";

    private final CredentialDatabase database;
    /** Read once, when first needed: the database may still be opening when the store is made. */
    private volatile EventIds eventIds;

    public PostgresEventStore(DataSource dataSource) {
        this.database = new CredentialDatabase(dataSource);
    }

    @Override
    public EventIds eventIds() {
        EventIds ids = eventIds;
        if (ids == null) {
            ids = database.withHandle(handle -> new EventIds(SettledRows.serverSecret(handle),
                    handle.createQuery("SELECT timed_after FROM event_id_form WHERE id = 1").mapTo(Long.class).one()));
            eventIds = ids;
        }
        return ids;
    }

    @Override
    public boolean insert(Subscription subscription, byte[] sealedSecret) {
        try {
            database.withHandle(handle -> {
                var insert = handle.createUpdate("INSERT INTO event_subscriptions (id, workspace_id, url, format, "
                                + "events, notice, secret) VALUES (?, ?, ?, ?, ?, ?, ?)")
                        .bind(0, subscription.id()).bind(1, subscription.workspaceId())
                        .bind(2, subscription.url() == null ? null : subscription.url().toString())
                        .bind(3, subscription.format().wireName())
                        .bind(5, subscription.notice()).bind(6, sealedSecret);
                if (subscription.events().isEmpty()) {
                    insert.bindNull(4, Types.ARRAY);
                } else {
                    insert.bindArray(4, String.class, subscription.events().stream().map(EventType::journalKind)
                            .toList());
                }
                return insert.execute();
            });
        } catch (UnableToExecuteStatementException e) {
            if (SqlFaults.find(e, PSQLException.class, "23505"::equals).isPresent()) {
                throw new EventConflictException("the workspace has a set-poll subscription already: one queue per "
                        + "workspace, polled with the workspace's credential");
            }
            if (SqlFaults.find(e, PSQLException.class, "23503"::equals).isPresent()) {
                return false;
            }
            throw e;
        }
        return true;
    }

    @Override
    public List<Subscription> subscriptions(UUID workspaceId) {
        return database.withHandle(handle -> handle.createQuery("SELECT " + SUBSCRIPTION_COLUMNS
                        + " FROM event_subscriptions WHERE workspace_id = ? ORDER BY created_at, id")
                .bind(0, workspaceId).map((rs, ctx) -> subscription(rs)).list());
    }

    @Override
    public Optional<Subscription> subscription(UUID workspaceId, UUID id) {
        return database.withHandle(handle -> handle.createQuery("SELECT " + SUBSCRIPTION_COLUMNS
                        + " FROM event_subscriptions WHERE workspace_id = ? AND id = ?")
                .bind(0, workspaceId).bind(1, id).map((rs, ctx) -> subscription(rs)).findOne());
    }

    @Override
    public Optional<Subscription> pollSubscription(UUID workspaceId) {
        return database.withHandle(handle -> handle.createQuery("SELECT " + SUBSCRIPTION_COLUMNS
                        + " FROM event_subscriptions WHERE workspace_id = ? AND format = 'set-poll'")
                .bind(0, workspaceId).map((rs, ctx) -> subscription(rs)).findOne());
    }

    @Override
    public SealedSecrets sealedSecrets(UUID subscriptionId) {
        return database.withHandle(handle -> handle.createQuery("SELECT secret_version, secret, CASE WHEN "
                        + "previous_secret_until > now() THEN previous_secret END AS previous_secret, "
                        + "previous_secret_until FROM event_subscriptions WHERE id = ? AND secret IS NOT NULL")
                .bind(0, subscriptionId).map((rs, ctx) -> {
                    byte[] previous = rs.getBytes("previous_secret");
                    return new SealedSecrets(rs.getInt("secret_version"), rs.getBytes("secret"), previous,
                            previous == null ? null : instant(rs, "previous_secret_until"));
                }).findOne()).orElseThrow(() -> new IllegalStateException("subscription " + subscriptionId
                + " has no secret"));
    }

    @Override
    public Optional<Subscription> replaceSecret(UUID workspaceId, UUID id, byte[] sealedSecret, Duration overlap) {
        // Within the overlap the replaced secret signs on; a secret already replaced before it is gone.
        return database.withHandle(handle -> handle.createUpdate("UPDATE event_subscriptions SET "
                        + "previous_secret = CASE WHEN :overlap > 0 THEN secret END, "
                        + "previous_secret_until = CASE WHEN :overlap > 0 THEN now() + make_interval(secs => :overlap) END, "
                        + "secret = :secret, secret_version = secret_version + 1, secret_rotated_at = now() "
                        + "WHERE workspace_id = :workspace AND id = :id AND secret IS NOT NULL")
                .bind("overlap", overlap.toSeconds()).bind("secret", sealedSecret).bind("workspace", workspaceId)
                .bind("id", id).execute()) == 0 ? Optional.empty() : subscription(workspaceId, id);
    }

    @Override
    public boolean pause(UUID workspaceId, UUID id, String reason) {
        if (reason == null) {
            // Resumed, the failures are forgotten for the deliveries too: each left with the time of its
            // first failure would die on its next one, however long ago that was, and each left with its
            // count of attempts would wait as long after its next failure as the count's backoff says.
            // An administrator's change whose work grows with the backlog, as a replay's does.
            return database.inTransaction(handle -> {
                LongStatements.allow(handle);
                if (handle.createUpdate("UPDATE event_subscriptions SET paused_at = NULL, pause_reason = NULL, "
                        + "failing_since = NULL WHERE workspace_id = ? AND id = ?").bind(0, workspaceId).bind(1, id)
                        .execute() == 0) {
                    return false;
                }
                handle.createUpdate("UPDATE event_deliveries SET first_failed_at = NULL, attempts = 0, "
                                + "next_attempt_at = least(next_attempt_at, now()) WHERE subscription_id = ? "
                                + "AND state = 'pending' AND (first_failed_at IS NOT NULL OR attempts > 0 "
                                + "OR next_attempt_at > now())")
                        .bind(0, id).execute();
                return true;
            });
        }
        return database.withHandle(handle -> handle.createUpdate("UPDATE event_subscriptions SET paused_at = "
                        + "coalesce(paused_at, now()), pause_reason = coalesce(pause_reason, ?) "
                        + "WHERE workspace_id = ? AND id = ?")
                .bind(0, reason).bind(1, workspaceId).bind(2, id).execute() == 1);
    }

    @Override
    public boolean delete(UUID workspaceId, UUID id) {
        // The delete's cascade locks the subscription's deliveries after the subscription, as the
        // recording of an attempt does; a writer meeting it the other way round has one of the two
        // undone by PostgreSQL, and the delete is then simply run again.
        for (int run = 1; ; run++) {
            try {
                return database.withHandle(handle -> handle.createUpdate("DELETE FROM event_subscriptions "
                        + "WHERE workspace_id = ? AND id = ?").bind(0, workspaceId).bind(1, id).execute() == 1);
            } catch (RuntimeException e) {
                if (run == DELETE_RUNS || SqlFaults.undoneForAConcurrentChange(e).isEmpty()) {
                    throw e;
                }
            }
        }
    }

    @Override
    public List<DeliveryAttempt> attempts(UUID subscriptionId, int limit) {
        EventIds ids = eventIds();
        return database.withHandle(handle -> handle.createQuery("SELECT a.journal_id, j.occurred_at, a.attempted_at, "
                        + "a.status, a.duration_ms, a.error FROM event_attempts a "
                        + "JOIN change_journal j ON j.id = a.journal_id WHERE a.subscription_id = ? "
                        + "ORDER BY a.id DESC LIMIT ?")
                .bind(0, subscriptionId).bind(1, limit)
                .map((rs, ctx) -> new DeliveryAttempt(ids.of(rs.getLong("journal_id"), instant(rs, "occurred_at")),
                        instant(rs, "attempted_at"),
                        rs.getInt("status"), Duration.ofMillis(rs.getInt("duration_ms")), rs.getString("error")))
                .list());
    }

    @Override
    public List<DeliveryRecord> deliveries(UUID subscriptionId, int limit) {
        EventIds ids = eventIds();
        return database.withHandle(handle -> handle.createQuery("SELECT d.journal_id, j.occurred_at, "
                        + "event_kind(j.resource_type, "
                        + "j.operation, j.changed_attributes) AS kind, "
                        + "d.state, d.attempts, d.next_attempt_at, d.finished_at, d.last_error FROM event_deliveries d "
                        + "JOIN change_journal j ON j.id = d.journal_id WHERE d.subscription_id = ? "
                        + "ORDER BY d.journal_id DESC LIMIT ?")
                .bind(0, subscriptionId).bind(1, limit)
                .map((rs, ctx) -> {
                    DeliveryState state = DeliveryState.named(rs.getString("state"));
                    return new DeliveryRecord(ids.of(rs.getLong("journal_id"), instant(rs, "occurred_at")),
                            EventType.ofJournalKind(rs.getString("kind")).wireName(), state, rs.getInt("attempts"),
                            state == DeliveryState.PENDING ? instant(rs, "next_attempt_at") : null,
                            instant(rs, "finished_at"), rs.getString("last_error"));
                })
                .list());
    }

    @Override
    public int replay(Subscription subscription, Instant from) {
        return database.inTransaction(handle -> {
            LongStatements.allow(handle);
            return handle.createUpdate("INSERT INTO event_deliveries (subscription_id, "
                    + "journal_id, resource_id) SELECT s.id, j.id, j.resource_id FROM event_subscriptions s "
                    + "JOIN change_journal j ON j.workspace_id = s.workspace_id WHERE s.id = ? AND j.occurred_at >= ? "
                    + "AND (s.events IS NULL OR event_kinds(j.resource_type, j.operation, j.changed_attributes) && s.events) "
                    + "ON CONFLICT (subscription_id, journal_id) DO UPDATE SET state = 'pending', attempts = 0, "
                    + "next_attempt_at = now(), claimed_until = NULL, first_failed_at = NULL, finished_at = NULL, "
                    + "last_error = NULL")
                    .bind(0, subscription.id()).bind(1, timestamp(from)).execute();
        });
    }

    @Override
    public List<Subscription> subscriptionsWithDueDeliveries() {
        return database.withHandle(handle -> handle.createQuery("SELECT " + SUBSCRIPTION_COLUMNS
                        + " FROM event_subscriptions s WHERE s.paused_at IS NULL AND s.format <> 'set-poll' AND EXISTS "
                        + "(SELECT 1 FROM event_deliveries d WHERE d.subscription_id = s.id AND d.state = 'pending' "
                        + "AND d.next_attempt_at <= now() AND (d.claimed_until IS NULL OR d.claimed_until < now()))")
                .map((rs, ctx) -> subscription(rs)).list());
    }

    @Override
    public Optional<Duration> untilNextDue() {
        return database.withHandle(handle -> handle.createQuery("SELECT floor(extract(epoch FROM min(due.at) - now()) "
                        + "* 1000)::bigint FROM event_subscriptions s CROSS JOIN LATERAL (SELECT d.next_attempt_at AS at "
                        + "FROM event_deliveries d WHERE d.subscription_id = s.id AND d.state = 'pending' "
                        + "AND d.next_attempt_at > now() ORDER BY d.next_attempt_at LIMIT 1) due "
                        + "WHERE s.paused_at IS NULL AND s.format <> 'set-poll'")
                .mapTo(Long.class).findOne().map(millis -> Duration.ofMillis(Math.max(0, millis))));
    }

    @Override
    public List<Delivery> claim(Subscription subscription, int max, Duration lease) {
        // Those locked beyond the member ids' bound are left as they were, claimable at once.
        return database.withHandle(handle -> handle.createQuery("WITH candidates AS (SELECT c.journal_id "
                        + CLAIMABLE + "ORDER BY c.journal_id LIMIT :max FOR UPDATE SKIP LOCKED), "
                        + "picked AS (SELECT s.journal_id FROM (SELECT k.journal_id, "
                        + "sum(coalesce(cardinality(j.member_ids), 0)) OVER (ORDER BY k.journal_id) "
                        + "- coalesce(cardinality(j.member_ids), 0) AS before FROM candidates k "
                        + "JOIN change_journal j ON j.id = k.journal_id) s WHERE s.before < :memberIds), "
                        + "claimed AS (UPDATE event_deliveries d SET claimed_until = now() + :lease * interval "
                        + "'1 millisecond' FROM picked WHERE d.subscription_id = :s AND d.journal_id = picked.journal_id "
                        + "RETURNING d.journal_id, d.attempts, d.claimed_until) "
                        + "SELECT j.id, j.workspace_id, j.resource_type, j.resource_id, j.operation, j.changed_attributes, "
                        + "j.member_ids, j.occurred_at, j.request_id, j.cause, claimed.attempts, claimed.claimed_until "
                        + "FROM claimed "
                        + "JOIN change_journal j ON j.id = claimed.journal_id ORDER BY j.id")
                .bind("s", subscription.id()).bind("max", max).bind("lease", lease.toMillis())
                .bind("memberIds", MEMBER_IDS_PER_CLAIM)
                .map((rs, ctx) -> new Delivery(subscription, event(rs), rs.getInt("attempts"),
                        instant(rs, "claimed_until"))).list());
    }

    @Override
    public boolean hasClaimable(Subscription subscription) {
        return database.withHandle(handle -> handle.createQuery("SELECT EXISTS (SELECT 1 " + CLAIMABLE + ")")
                .bind("s", subscription.id()).mapTo(Boolean.class).one());
    }

    @Override
    public void record(List<Attempted> attempted, List<Delivery> unsent, Duration unsentDueIn, Duration giveUp) {
        if (attempted.isEmpty() && unsent.isEmpty()) {
            return;
        }
        Delivery first = attempted.isEmpty() ? unsent.get(0) : attempted.get(0).delivery();
        UUID subscription = first.subscription().id();
        // One claim: every delivery of the batch has its lease.
        OffsetDateTime lease = timestamp(first.leaseEnd());
        List<Long> acknowledged = attempted.stream().filter(done -> done.retryIn() == null)
                .map(done -> done.delivery().event().journalId()).toList();
        List<Attempted> failed = attempted.stream().filter(done -> done.retryIn() != null).toList();
        database.inTransaction(handle -> {
            // A subscription deleted while its batch was out has nothing left to record, and its attempts
            // have no subscription to be listed under. Locked first and until the commit (as the update of
            // failing_since below locks it), the row cannot go meanwhile: a delete waits for this outcome,
            // then takes it away with the subscription.
            if (handle.createQuery("SELECT 1 FROM event_subscriptions WHERE id = ? FOR NO KEY UPDATE")
                    .bind(0, subscription).mapTo(Integer.class).findOne().isEmpty()) {
                return null;
            }
            if (!acknowledged.isEmpty()) {
                handle.createUpdate("UPDATE event_deliveries SET state = 'delivered', attempts = attempts + 1, "
                                + "finished_at = now(), claimed_until = NULL, last_error = NULL "
                                + "WHERE subscription_id = :s AND journal_id = ANY (:j) AND " + OWN_CLAIM)
                        .bind("s", subscription).bindArray("j", Long.class, acknowledged).bind("lease", lease)
                        .execute();
            }
            for (Attempted done : failed) {
                retryOrBury(handle, done, lease, giveUp);
            }
            if (!unsent.isEmpty()) {
                handle.createUpdate("UPDATE event_deliveries SET claimed_until = NULL, next_attempt_at = "
                                + "greatest(next_attempt_at, now() + :dueIn * interval '1 millisecond') "
                                + "WHERE subscription_id = :s AND journal_id = ANY (:j) AND " + OWN_CLAIM)
                        .bind("dueIn", unsentDueIn.toMillis()).bind("s", subscription).bindArray("j", Long.class,
                                unsent.stream().map(delivery -> delivery.event().journalId()).toList())
                        .bind("lease", lease).execute();
            }
            recordAttempts(handle, attempted);
            if (!acknowledged.isEmpty()) {
                handle.createUpdate("UPDATE event_subscriptions SET failing_since = NULL "
                        + "WHERE id = ? AND failing_since IS NOT NULL").bind(0, subscription).execute();
            } else if (!failed.isEmpty()) {
                handle.createUpdate("UPDATE event_subscriptions SET failing_since = coalesce(failing_since, now()), "
                                + "pause_reason = CASE WHEN paused_at IS NULL AND failing_since <= now() - :giveUp * "
                                + "interval '1 millisecond' THEN :reason ELSE pause_reason END, "
                                + "paused_at = CASE WHEN paused_at IS NULL AND failing_since <= now() - :giveUp * "
                                + "interval '1 millisecond' THEN now() ELSE paused_at END WHERE id = :s")
                        .bind("giveUp", giveUp.toMillis()).bind("reason", FAILING_REASON).bind("s", subscription)
                        .execute();
            }
            return null;
        });
    }

    /** Tried again later, or dead once the delivery has failed for {@code giveUp}. */
    private static void retryOrBury(Handle handle, Attempted done, OffsetDateTime lease, Duration giveUp) {
        handle.createUpdate("UPDATE event_deliveries SET attempts = attempts + 1, claimed_until = NULL, "
                        + "last_error = :error, first_failed_at = coalesce(first_failed_at, now()), "
                        + "next_attempt_at = now() + :retry * interval '1 millisecond', "
                        + "state = CASE WHEN first_failed_at <= now() - :giveUp * interval '1 millisecond' "
                        + "THEN 'dead' ELSE 'pending' END, "
                        + "finished_at = CASE WHEN first_failed_at <= now() - :giveUp * interval '1 millisecond' "
                        + "THEN now() END "
                        + "WHERE subscription_id = :s AND journal_id = :j AND " + OWN_CLAIM)
                .bind("error", done.outcome().error()).bind("retry", done.retryIn().toMillis())
                .bind("giveUp", giveUp.toMillis()).bind("s", done.delivery().subscription().id())
                .bind("j", done.delivery().event().journalId()).bind("lease", lease).execute();
    }

    private static void recordAttempts(Handle handle, List<Attempted> attempted) {
        if (attempted.isEmpty()) {
            return;
        }
        var batch = handle.prepareBatch("INSERT INTO event_attempts (subscription_id, journal_id, status, duration_ms, "
                + "error) VALUES (?, ?, ?, ?, ?)");
        for (Attempted done : attempted) {
            DeliveryOutcome outcome = done.outcome();
            batch.bind(0, done.delivery().subscription().id()).bind(1, done.delivery().event().journalId())
                    .bind(2, outcome.status() == 0 ? null : outcome.status())
                    .bind(3, (int) Math.min(Integer.MAX_VALUE, outcome.duration().toMillis())).bind(4, outcome.error())
                    .add();
        }
        batch.execute();
    }

    @Override
    public void acknowledge(UUID subscriptionId, List<EventIds.Named> events) {
        if (events.isEmpty()) {
            return;
        }
        database.withHandle(handle -> handle.createUpdate("UPDATE event_deliveries d SET state = 'delivered', "
                        + "attempts = d.attempts + 1, finished_at = now(), claimed_until = NULL "
                        + "FROM unnest(?, ?) AS sent(journal_id, micros), change_journal j "
                        + "WHERE d.subscription_id = ? AND d.journal_id = sent.journal_id AND " + SENT_NAMES_IT
                        + " AND d." + STILL_CLAIMED)
                .bindArray(0, Long.class, events.stream().map(EventIds.Named::journalId).toList())
                .bindArray(1, Long.class, events.stream().map(EventIds.Named::micros).toList())
                .bind(2, subscriptionId).execute());
    }

    @Override
    public void reject(UUID subscriptionId, Map<EventIds.Named, String> errors) {
        if (errors.isEmpty()) {
            return;
        }
        database.inTransaction(handle -> {
            var batch = handle.prepareBatch("UPDATE event_deliveries d SET state = 'dead', attempts = d.attempts + 1, "
                    + "finished_at = now(), claimed_until = NULL, last_error = ? "
                    + "FROM (SELECT ?::bigint AS journal_id, ?::bigint AS micros) sent, change_journal j "
                    + "WHERE d.subscription_id = ? AND d.journal_id = sent.journal_id AND " + SENT_NAMES_IT
                    + " AND d." + STILL_CLAIMED);
            errors.forEach((event, error) -> batch.bind(0, error).bind(1, event.journalId()).bind(2, event.micros())
                    .bind(3, subscriptionId).add());
            return batch.execute();
        });
    }

    @Override
    public int pruneFinished(Instant before, int batch) {
        // The attempts go with their delivery (V41), never by their own age: a delivery that died after
        // a day of retries keeps the attempts that say why for as long as it is kept. The DELETE states
        // the conditions again on the row it locks: a replay that made the row pending meanwhile
        // commits before the lock is had, and READ COMMITTED then checks the locked row's new version
        // against the DELETE's own conditions only, not the subquery's.
        return database.withHandle(handle -> handle.createQuery("WITH gone AS (DELETE FROM event_deliveries d "
                        + "USING (SELECT subscription_id, journal_id FROM event_deliveries WHERE state <> 'pending' "
                        + "AND finished_at < ? ORDER BY finished_at LIMIT ?) old WHERE d.subscription_id = "
                        + "old.subscription_id AND d.journal_id = old.journal_id AND d.state <> 'pending' AND "
                        + "d.finished_at < ? RETURNING d.subscription_id, d.journal_id), attempts AS (DELETE FROM "
                        + "event_attempts a USING gone WHERE a.subscription_id = gone.subscription_id AND "
                        + "a.journal_id = gone.journal_id) SELECT count(*) FROM gone")
                .bind(0, timestamp(before)).bind(1, batch).bind(2, timestamp(before)).mapTo(Integer.class).one());
    }

    @Override
    public int expireUnsent(Instant before, String reason, int batch) {
        // Each subscription's oldest due first, along its own range of the index of due times; a row a
        // process claims meanwhile is left to it (the lease is checked again on the locked row). A
        // delivery held back behind an older event of its resource that is still retried was never due:
        // it waits with it, and ends only once that one is past the cut-off too.
        return database.withHandle(handle -> handle.createUpdate("UPDATE event_deliveries d SET state = 'dead', "
                        + "finished_at = now(), claimed_until = NULL, last_error = :reason FROM (SELECT "
                        + "e.subscription_id, e.journal_id FROM event_subscriptions s CROSS JOIN LATERAL (SELECT "
                        + "p.subscription_id, p.journal_id FROM event_deliveries p WHERE p.subscription_id = s.id "
                        + "AND p.state = 'pending' AND p.next_attempt_at < :before AND NOT EXISTS (SELECT 1 FROM "
                        + "event_deliveries o WHERE o.subscription_id = p.subscription_id AND o.resource_id = "
                        + "p.resource_id AND o.state = 'pending' AND o.journal_id < p.journal_id "
                        + "AND o.next_attempt_at >= :before) ORDER BY p.next_attempt_at LIMIT :batch) e "
                        + "LIMIT :batch) old "
                        + "WHERE d.subscription_id = old.subscription_id AND d.journal_id = old.journal_id "
                        + "AND d.state = 'pending' AND (d.claimed_until IS NULL OR d.claimed_until < now())")
                .bind("reason", reason).bind("before", timestamp(before)).bind("batch", batch).execute());
    }

    private static Subscription subscription(ResultSet rs) throws SQLException {
        String url = rs.getString("url");
        Array kinds = rs.getArray("events");
        List<EventType> events = new ArrayList<>();
        if (kinds != null) {
            for (String kind : (String[]) kinds.getArray()) {
                events.add(EventType.ofJournalKind(kind));
            }
        }
        return new Subscription(rs.getObject("id", UUID.class), rs.getObject("workspace_id", UUID.class),
                url == null ? null : URI.create(url),
                DeliveryFormat.named(rs.getString("format")).orElseThrow(() ->
                        new IllegalStateException("unknown subscription format")),
                events, rs.getBoolean("notice"), instant(rs, "created_at"), instant(rs, "paused_at"),
                rs.getString("pause_reason"), instant(rs, "failing_since"), rs.getInt("secret_version"),
                instant(rs, "secret_rotated_at"), instant(rs, "previous_secret_until"));
    }

    private static ChangeEvent event(ResultSet rs) throws SQLException {
        Array members = rs.getArray("member_ids");
        return new ChangeEvent(rs.getLong("id"), rs.getObject("workspace_id", UUID.class),
                rs.getString("resource_type"), rs.getObject("resource_id", UUID.class), rs.getString("operation"),
                Arrays.asList((String[]) rs.getArray("changed_attributes").getArray()),
                members == null ? null : Arrays.asList((UUID[]) members.getArray()),
                instant(rs, "occurred_at"), rs.getString("request_id"), rs.getString("cause"));
    }
}
