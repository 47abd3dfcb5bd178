package dev.scimserver.events;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What the events need from storage. Claims are leases: a claimed delivery is nobody else's until its
 * lease ends, and a process that dies with it loses nothing but the lease. Times that several processes
 * compare (due, leased, failing since) are the database's, never a process's clock.
 */
public interface EventStore {
    /** The ids of this store's events, under the key its database keeps for every process. */
    EventIds eventIds();

    /**
     * Fails with {@link EventConflictException} for a second poll queue in the workspace; {@code false}
     * when the workspace was deleted meanwhile.
     */
    boolean insert(Subscription subscription, byte[] sealedSecret);

    List<Subscription> subscriptions(UUID workspaceId);

    Optional<Subscription> subscription(UUID workspaceId, UUID id);

    Optional<Subscription> pollSubscription(UUID workspaceId);

    /** A webhook's secrets as stored: the one that signs, and the one it replaced while that still signs. */
    SealedSecrets sealedSecrets(UUID subscriptionId);

    /**
     * A webhook's secret replaced by {@code sealedSecret}; the one it replaces goes on signing for
     * {@code overlap} (none when zero). Empty when the workspace has no such webhook subscription.
     */
    Optional<Subscription> replaceSecret(UUID workspaceId, UUID id, byte[] sealedSecret, Duration overlap);

    /** Pauses ({@code reason} not null) or resumes (null: and forgets the failures); false when there is none. */
    boolean pause(UUID workspaceId, UUID id, String reason);

    boolean delete(UUID workspaceId, UUID id);

    List<DeliveryAttempt> attempts(UUID subscriptionId, int limit);

    List<DeliveryRecord> deliveries(UUID subscriptionId, int limit);

    /** Every event of the workspace since {@code from} made pending again, dead letters included; how many. */
    int replay(Subscription subscription, Instant from);

    /** Pushed, unpaused subscriptions with a delivery due now. */
    List<Subscription> subscriptionsWithDueDeliveries();

    /** How long until the next retry of an unpaused pushed subscription comes due; empty when none waits. */
    Optional<Duration> untilNextDue();

    /**
     * Up to {@code max} due deliveries of {@code subscription}, oldest first, leased for {@code lease}:
     * never one whose resource has an older delivery still pending for this subscription. Fewer once the
     * member ids of those taken reach {@link #MEMBER_IDS_PER_CLAIM} (always one): a membership event
     * of a big group is as large as its list, and a claim's events are all held, and signed, at once.
     */
    List<Delivery> claim(Subscription subscription, int max, Duration lease);

    /**
     * About 2 MB of events' text, beside the one event that passes it: without a bound, a poll of a
     * hundred membership events of big groups ran the server out of heap (PostgresEventStoreTest).
     */
    int MEMBER_IDS_PER_CLAIM = 40_000;

    /** Whether a claim of the subscription would take a delivery now. */
    boolean hasClaimable(Subscription subscription);

    /** One attempt made; {@code retryIn} when it failed, null when acknowledged. */
    record Attempted(Delivery delivery, DeliveryOutcome outcome, Duration retryIn) {
    }

    /**
     * The attempts of one subscription's batch, in one transaction: each acknowledged one delivered,
     * each failed one tried again after its {@code retryIn} or dead once it has failed for {@code giveUp};
     * the subscription's failures forgotten after a success, or the subscription paused once it has
     * failed for {@code giveUp}; and the {@code unsent} deliveries' leases released, each due again no sooner
     * than {@code unsentDueIn} from now (not counted as an attempt).
     */
    void record(List<Attempted> attempted, List<Delivery> unsent, Duration unsentDueIn, Duration giveUp);

    /**
     * Acknowledged by a poller: delivered. Ids of other subscriptions' or unknown events, and of a
     * change of the same number but another time, are ignored.
     */
    void acknowledge(UUID subscriptionId, List<EventIds.Named> events);

    /** Refused by a poller ({@code setErrs}): dead, with its reason; matched as acknowledgements are. */
    void reject(UUID subscriptionId, Map<EventIds.Named, String> errors);

    /**
     * Removes up to {@code batch} deliveries finished before {@code before}, each with its attempts; how
     * many deliveries.
     */
    int pruneFinished(Instant before, int batch);

    /**
     * Ends as dead, with {@code reason}, up to {@code batch} deliveries still pending that were last due
     * before {@code before} and are not being sent: those of a paused subscription, or of a poll queue
     * nobody reads; how many.
     */
    int expireUnsent(Instant before, String reason, int batch);
}
