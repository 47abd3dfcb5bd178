package dev.scimserver.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * RFC 8936 polling of a workspace's {@code set-poll} queue: acknowledgements ({@code ack}) and errors
 * ({@code setErrs}) first, then up to {@code maxEvents} tokens, waiting up to {@link #LONG_POLL} for
 * some unless {@code returnImmediately}. A token handed out and not acknowledged within {@link #LEASE}
 * is handed out again, with the same {@code jti}; a resource's next event waits for its previous one.
 */
public final class EventPolling {
    public static final int DEFAULT_MAX_EVENTS = 100;
    public static final int MAX_EVENTS = 1000;
    public static final Duration LONG_POLL = Duration.ofSeconds(20);
    static final Duration LEASE = Duration.ofSeconds(60);

    private final EventStore store;
    private final EventMessages messages;
    private final EventSignals signals;
    private final WaitingPolls waiting = new WaitingPolls();

    public EventPolling(EventStore store, Representations representations, EventSigner signer, EventSignals signals,
                        Clock clock) {
        this.store = store;
        this.messages = new EventMessages(representations, signer, null, store, clock);
        this.signals = signals;
    }

    /** What the poller sent; ids it names that are not ours are ignored, as RFC 8936 §2.4 lets us. */
    public record Request(List<String> ack, Map<String, String> errors, int maxEvents, boolean returnImmediately) {
    }

    public record Answer(Map<String, String> sets, boolean moreAvailable) {
    }

    /** {@code issuer}: the OAuth issuer of the URL the poll reached, which the tokens name. */
    public Answer poll(UUID workspaceId, Request request, String issuer) throws InterruptedException {
        Subscription queue = store.pollSubscription(workspaceId).orElseThrow(() -> new EventNotFoundException(
                "this workspace has no set-poll subscription; an administrator creates one"));
        EventIds ids = store.eventIds();
        store.acknowledge(queue.id(), named(ids, request.ack()));
        Map<EventIds.Named, String> errors = new LinkedHashMap<>();
        request.errors().forEach((id, error) -> {
            EventIds.Named event = ids.named(id);
            if (event != null) {
                errors.put(event, error);
            }
        });
        store.reject(queue.id(), errors);
        if (request.maxEvents() == 0) {
            // An acknowledgement-only poll (RFC 8936 section 2.4) still learns whether tokens wait for it.
            return new Answer(Map.of(), !queue.paused() && store.hasClaimable(queue));
        }
        Instant deadline = Instant.now().plus(LONG_POLL);
        WaitingPolls.Seat seat = null;
        try {
            while (true) {
                long seen = signals.generation();
                List<Delivery> offered = queue.paused() ? List.of() : store.claim(queue, request.maxEvents(), LEASE);
                Duration left = Duration.between(Instant.now(), deadline);
                if (!offered.isEmpty() || request.returnImmediately() || left.isNegative() || left.isZero()) {
                    Map<String, String> sets = new LinkedHashMap<>();
                    offered.forEach(delivery -> {
                        String id = ids.of(delivery.event().journalId(), delivery.event().occurredAt());
                        sets.put(id, messages.securityEventToken(queue, delivery.event(), id, issuer));
                    });
                    // RFC 8936 section 2.4.2: more SETs are available, not merely as many as asked for
                    // (fewer are handed out than asked for when they carry many member ids).
                    return new Answer(sets, !offered.isEmpty() && store.hasClaimable(queue));
                }
                if (seat == null) {
                    seat = waiting.take(workspaceId);
                }
                signals.awaitAfter(seen, left);
            }
        } finally {
            if (seat != null) {
                seat.close();
            }
        }
    }

    private static List<EventIds.Named> named(EventIds ids, List<String> eventIds) {
        List<EventIds.Named> named = new ArrayList<>();
        for (String id : eventIds) {
            EventIds.Named event = ids.named(id);
            if (event != null) {
                named.add(event);
            }
        }
        return named;
    }
}
