package dev.scimserver.events;

import java.time.Instant;

/**
 * One event claimed for one subscription, with how many attempts it has had and the end of the claim's
 * lease, which also names the claim: an outcome is recorded only while that claim still holds.
 */
public record Delivery(Subscription subscription, ChangeEvent event, int attempts, Instant leaseEnd) {
}
