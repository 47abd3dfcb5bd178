package dev.scimserver.events;

import dev.scimserver.scim.CanonicalUuids;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A workspace's subscriptions as administrators manage them: made (a webhook's secret returned once),
 * listed, paused, resumed, deleted, their recent attempts and deliveries read, and their events replayed
 * from a time on. A security event token subscription receives the directory's changes only: RFC 9967
 * has no event for a workspace's administration.
 */
public final class Subscriptions {
    private static final String WORKSPACE_DELETED = "the workspace no longer exists: it was deleted meanwhile";

    static final int MAX_LISTED = 100;
    /** How long a replaced webhook secret may sign on: a week, time for a receiver's slowest deployment. */
    public static final Duration MAX_SECRET_OVERLAP = Duration.ofDays(7);
    /** How long it does when the administrator does not say. */
    public static final Duration DEFAULT_SECRET_OVERLAP = Duration.ofHours(24);

    private final EventStore store;
    private final WebhookSecrets secrets;
    private final ReceiverUrls urls;
    private final Runnable wake;

    /** {@code wake} tells this process's dispatcher that there may be work (a resume, a replay). */
    public Subscriptions(EventStore store, WebhookSecrets secrets, ReceiverUrls urls, Runnable wake) {
        this.store = store;
        this.secrets = secrets;
        this.urls = urls;
        this.wake = wake;
    }

    public NewSubscription create(UUID workspaceId, String url, String format, List<String> events, boolean notice) {
        DeliveryFormat how = DeliveryFormat.named(format == null ? "" : format).orElseThrow(() ->
                new EventRuleException("format", "format must be webhook, set-push or set-poll"));
        URI receiver = null;
        if (how.pushed()) {
            receiver = urls.checked(url);
        } else if (url != null) {
            throw new EventRuleException("url", "a set-poll subscription has no url: the application polls");
        }
        List<EventType> types = types(events, how);
        Subscription subscription = new Subscription(UUID.randomUUID(), workspaceId, receiver, how, types, notice,
                null, null, null, null, 1, null, null);
        String secret = how == DeliveryFormat.WEBHOOK ? secrets.generate() : null;
        // The workspace can go between the caller's lookup and the insert, or right after it (its
        // subscriptions go with it): either way the subscription is not there to answer.
        if (!store.insert(subscription, secret == null ? null : secrets.seal(secret, subscription.id().toString()))) {
            throw new EventNotFoundException(WORKSPACE_DELETED);
        }
        Subscription stored = store.subscription(workspaceId, subscription.id()).orElseThrow(() ->
                new EventNotFoundException(WORKSPACE_DELETED));
        return new NewSubscription(stored, secret);
    }

    private static List<EventType> types(List<String> names, DeliveryFormat format) {
        List<EventType> types = new ArrayList<>();
        boolean tokens = format != DeliveryFormat.WEBHOOK;
        if (names == null || names.isEmpty()) {
            if (tokens) {
                for (EventType type : EventType.values()) {
                    type.rfc9967().ifPresent(uri -> types.add(type));
                }
            }
            return types;
        }
        for (String name : names) {
            EventType type = EventType.named(name == null ? "" : name).orElseThrow(() -> new EventRuleException(
                    "events", "events: unknown event type; known are " + String.join(", ", EventType.wireNames())));
            if (tokens && type.rfc9967().isEmpty()) {
                throw new EventRuleException("events", "events: " + type.wireName() + " has no RFC 9967 event; "
                        + "it is delivered by webhook only");
            }
            if (!types.contains(type)) {
                types.add(type);
            }
        }
        return types;
    }

    public List<Subscription> list(UUID workspaceId) {
        return store.subscriptions(workspaceId);
    }

    public Subscription get(UUID workspaceId, String id) {
        return CanonicalUuids.parse(id).flatMap(uuid -> store.subscription(workspaceId, uuid))
                .orElseThrow(() -> new EventNotFoundException("no subscription with this id in the workspace"));
    }

    /**
     * A webhook's secret replaced by a new one, returned here and nowhere else; the replaced secret signs
     * beside it for {@code overlap} (zero: it stops at once, for a secret that leaked), up to
     * {@link #MAX_SECRET_OVERLAP}, so that receivers can take the new one without missing a delivery.
     */
    public NewSubscription replaceSecret(UUID workspaceId, String id, Duration overlap) {
        if (overlap.isNegative() || overlap.compareTo(MAX_SECRET_OVERLAP) > 0) {
            throw new EventRuleException("previousSecretHours", "previousSecretHours must be from 0 to "
                    + MAX_SECRET_OVERLAP.toHours());
        }
        Subscription subscription = get(workspaceId, id);
        if (subscription.format() != DeliveryFormat.WEBHOOK) {
            // The subscription's state, not the request, is what conflicts: 409, naming no field of the request.
            throw new EventConflictException("only a webhook subscription has a secret; a "
                    + subscription.format().wireName() + " subscription is signed with the server's keys");
        }
        String secret = secrets.generate();
        Subscription replaced = store.replaceSecret(workspaceId, subscription.id(),
                secrets.seal(secret, subscription.id().toString()), overlap)
                .orElseThrow(() -> new EventNotFoundException("no subscription with this id in the workspace"));
        return new NewSubscription(replaced, secret);
    }

    public Subscription pause(UUID workspaceId, String id) {
        return setPaused(workspaceId, id, "paused by an administrator");
    }

    /** Resumed, with its failures forgotten: what was due is sent at once. */
    public Subscription resume(UUID workspaceId, String id) {
        Subscription resumed = setPaused(workspaceId, id, null);
        wake.run();
        return resumed;
    }

    private Subscription setPaused(UUID workspaceId, String id, String reason) {
        Subscription subscription = get(workspaceId, id);
        store.pause(workspaceId, subscription.id(), reason);
        return get(workspaceId, id);
    }

    public void delete(UUID workspaceId, String id) {
        if (!store.delete(workspaceId, get(workspaceId, id).id())) {
            throw new EventNotFoundException("no subscription with this id in the workspace");
        }
    }

    public List<DeliveryAttempt> attempts(UUID workspaceId, String id) {
        return store.attempts(get(workspaceId, id).id(), MAX_LISTED);
    }

    public List<DeliveryRecord> deliveries(UUID workspaceId, String id) {
        return store.deliveries(get(workspaceId, id).id(), MAX_LISTED);
    }

    /** Every event since {@code from} sent again (each with its own id), dead letters included; how many. */
    public int replay(UUID workspaceId, String id, Instant from) {
        if (from == null) {
            throw new EventRuleException("from", "from is required: the time to replay the events from");
        }
        int replayed = store.replay(get(workspaceId, id), from);
        wake.run();
        return replayed;
    }
}
