package dev.scimserver.events;

import java.time.Instant;

/** A delivery's state as the admin API lists it: dead letters are those in {@link DeliveryState#DEAD}. */
public record DeliveryRecord(String eventId, String type, DeliveryState state, int attempts, Instant nextAttemptAt,
                             Instant finishedAt, String lastError) {
}
