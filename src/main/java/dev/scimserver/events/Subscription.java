package dev.scimserver.events;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Where a workspace's events go and in which form. {@code events} empty means every event;
 * {@code notice} leaves the resource's representation out. {@code url} is null for a poll queue.
 * Paused, nothing is sent; what is due waits. Never carries the webhook secret.
 */
public record Subscription(UUID id, UUID workspaceId, URI url, DeliveryFormat format, List<EventType> events,
                           boolean notice, Instant createdAt, Instant pausedAt, String pauseReason,
                           Instant failingSince) {
    public Subscription {
        events = List.copyOf(events);
    }

    public boolean paused() {
        return pausedAt != null;
    }
}
