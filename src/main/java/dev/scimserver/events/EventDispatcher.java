package dev.scimserver.events;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * This process's share of the pushed deliveries. One thread looks for due work when signalled (NOTIFY
 * at a commit, a finished attempt), when the next retry comes due, or at the latest every {@link
 * #FALLBACK_POLL}; it claims, per subscription, a batch while that subscription has fewer than {@link
 * #PER_SUBSCRIPTION} batches in flight and its workspace fewer than {@link #PER_WORKSPACE}, and only
 * while a worker is free to send it at once: a claimed batch never waits in a queue while its lease
 * runs out (it would be claimed again and sent twice). So a slow or dead receiver holds {@link
 * #PER_SUBSCRIPTION} threads at most, each for at most half a lease, a workspace's receivers a quarter
 * of the pool, and never a SCIM request. The database being down only pauses the loop: every failure
 * is logged once, and the next look tries again.
 */
public final class EventDispatcher implements AutoCloseable {
    /** Batches in flight per subscription and process. */
    static final int PER_SUBSCRIPTION = 2;
    /** Deliveries claimed, sent and recorded together: one claim and one write for many events. */
    static final int BATCH = 16;
    /** Threads that send; each mostly waits on a receiver. */
    static final int WORKERS = 64;
    /** Batches in flight per workspace and process: one tenant's slow receivers leave the rest to the others. */
    static final int PER_WORKSPACE = WORKERS / 4;
    /** Longer than an attempt's 10-second timeout and its bookkeeping, even on a loaded machine. */
    static final Duration LEASE = Duration.ofSeconds(30);
    static final Duration FALLBACK_POLL = Duration.ofSeconds(5);
    private static final Duration AFTER_FAILURE = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(EventDispatcher.class);

    private final EventStore store;
    private final EventMessages messages;
    private final Receiver receiver;
    private final RetrySchedule schedule;
    private final EventSignals signals;
    private final ThreadPoolExecutor workers;
    private final Map<UUID, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Map<UUID, AtomicInteger> inFlightPerWorkspace = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();
    private final Thread loop;
    private volatile boolean running = true;
    private boolean failing;

    public EventDispatcher(EventStore store, Representations representations, EventSigner signer,
                           WebhookSecrets secrets, Receiver receiver, RetrySchedule schedule, EventSignals signals,
                           Clock clock) {
        this.store = store;
        this.messages = new EventMessages(representations, signer, secrets, store, clock);
        this.receiver = receiver;
        this.schedule = schedule;
        this.signals = signals;
        // The loop claims no more batches than there are workers; the queue only holds a batch for the
        // moment a finished worker takes to come back to the pool.
        this.workers = new ThreadPoolExecutor(WORKERS, WORKERS, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(WORKERS), task -> daemon(task, "event-delivery"));
        this.workers.allowCoreThreadTimeOut(true);
        this.loop = daemon(this::run, "event-dispatcher");
    }

    public void start() {
        loop.start();
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    private void run() {
        while (running) {
            long seen = signals.generation();
            Duration wait;
            try {
                dispatchDue();
                wait = store.untilNextDue().filter(due -> due.compareTo(FALLBACK_POLL) < 0).orElse(FALLBACK_POLL);
                if (failing) {
                    LOG.info("event delivery resumed: the database answers again");
                    failing = false;
                }
            } catch (RuntimeException e) {
                if (!failing) {
                    LOG.warn("event delivery paused, retried every {} s: {}", AFTER_FAILURE.toSeconds(), e.toString());
                    failing = true;
                }
                wait = AFTER_FAILURE;
            }
            try {
                signals.awaitAfter(seen, wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void dispatchDue() {
        // Only this thread adds and raises the counters; one at zero has no batch that will lower it,
        // so it goes, and a deleted subscription or workspace leaves nothing behind.
        inFlight.values().removeIf(busy -> busy.get() == 0);
        inFlightPerWorkspace.values().removeIf(busy -> busy.get() == 0);
        for (Subscription subscription : store.subscriptionsWithDueDeliveries()) {
            if (total.get() >= WORKERS) {
                return;
            }
            AtomicInteger busy = inFlight.computeIfAbsent(subscription.id(), id -> new AtomicInteger());
            AtomicInteger workspaceBusy = inFlightPerWorkspace.computeIfAbsent(subscription.workspaceId(),
                    id -> new AtomicInteger());
            if (busy.get() >= PER_SUBSCRIPTION || workspaceBusy.get() >= PER_WORKSPACE) {
                continue;
            }
            long claimed = System.nanoTime();
            List<Delivery> batch = store.claim(subscription, BATCH, LEASE);
            if (batch.isEmpty()) {
                continue;
            }
            busy.incrementAndGet();
            workspaceBusy.incrementAndGet();
            total.incrementAndGet();
            workers.execute(() -> send(batch, claimed, busy, workspaceBusy));
        }
    }

    /**
     * Sends a claimed batch in order (a batch never holds two events of one resource) and records it in
     * one transaction. It stops at the first failure and once half the lease, counted from the claim, is
     * spent, so that no attempt outlives its lease; what it did not send is released for the next claim.
     * After a failure the rest waits the first retry's delay: released at once, it was claimed again at
     * once, and a receiver in trouble met one request per queued event in a burst. Not the failed
     * event's own (growing) delay: one event the receiver refuses must not hold back the others for
     * longer than a first retry.
     */
    private void send(List<Delivery> batch, long claimed, AtomicInteger busy, AtomicInteger workspaceBusy) {
        List<EventStore.Attempted> attempted = new ArrayList<>();
        try {
            for (Delivery delivery : batch) {
                if (!running || System.nanoTime() - claimed > LEASE.toNanos() / 2) {
                    break;
                }
                OutgoingMessage message;
                try {
                    message = messages.pushed(delivery);
                } catch (WebhookSecretUnavailableException e) {
                    // Nothing can be signed until the operator sets the key back: a failed attempt,
                    // shown in the deliveries, retried on the schedule, dead and paused like any other.
                    attempted.add(new EventStore.Attempted(delivery, DeliveryOutcome.failed(e.getMessage(),
                            Duration.ZERO), schedule.delayAfter(delivery.attempts() + 1)));
                    break;
                }
                DeliveryOutcome outcome = receiver.post(delivery.subscription().url(), message.contentType(),
                        message.headers(), message.body());
                if (!running && !outcome.acknowledged()) {
                    // Cut short by the shutdown, not failed by the receiver: the lease hands it on.
                    break;
                }
                attempted.add(new EventStore.Attempted(delivery, outcome,
                        outcome.acknowledged() ? null : schedule.delayAfter(delivery.attempts() + 1)));
                if (!outcome.acknowledged()) {
                    break;
                }
            }
            Subscription subscription = batch.get(0).subscription();
            if (attempted.stream().anyMatch(done -> done.outcome().status() == DeliveryOutcome.GONE)) {
                store.pause(subscription.workspaceId(), subscription.id(), "the receiver answered 410 Gone");
            }
            Duration unsentDueIn = attempted.stream().anyMatch(done -> done.retryIn() != null)
                    ? schedule.delayAfter(1) : Duration.ZERO;
            store.record(attempted, batch.subList(attempted.size(), batch.size()), unsentDueIn, RetrySchedule.GIVE_UP);
        } catch (RuntimeException e) {
            // The leases run out and the deliveries are claimed again: nothing is lost, at most sent twice.
            // Every event of the batch goes back, the ones already sent too, whose record was not kept.
            LOG.warn("{} events for subscription {} left to their leases, {} of them sent already and to be sent "
                    + "again: {}", batch.size(), batch.get(0).subscription().id(), attempted.size(), e.toString());
        } finally {
            busy.decrementAndGet();
            workspaceBusy.decrementAndGet();
            total.decrementAndGet();
            signals.signal();
        }
    }

    /** Stops looking for work; attempts under way end within their timeout or are taken over after their lease. */
    @Override
    public void close() {
        running = false;
        loop.interrupt();
        workers.shutdownNow();
    }
}
