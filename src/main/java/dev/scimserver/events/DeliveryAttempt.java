package dev.scimserver.events;

import java.time.Duration;
import java.time.Instant;

/** One attempt as the admin API lists it: which event, when, the status (0: none), how long, what failed. */
public record DeliveryAttempt(String eventId, Instant attemptedAt, int status, Duration duration, String error) {
}
