package dev.scimserver.events;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Where a workspace's events go and in which form. {@code events} empty means every event;
 * {@code notice} leaves the resource's representation out. {@code url} is null for a poll queue.
 * Paused, nothing is sent; what is due waits. Never carries the webhook secret: only how many times it
 * was replaced ({@code secretVersion}, from 1), when last, and until when the one it replaced still
 * signs beside it ({@code previousSecretUntil}, null when it no longer does).
 */
public record Subscription(UUID id, UUID workspaceId, URI url, DeliveryFormat format, List<EventType> events,
                           boolean notice, Instant createdAt, Instant pausedAt, String pauseReason,
                           Instant failingSince, int secretVersion, Instant secretRotatedAt,
                           Instant previousSecretUntil) {
    public Subscription {
        events = List.copyOf(events);
    }

    public boolean paused() {
        return pausedAt != null;
    }
}
