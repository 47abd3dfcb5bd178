package dev.scimserver.events;

/** One event claimed for one subscription, with how many attempts it has had. */
public record Delivery(Subscription subscription, ChangeEvent event, int attempts) {
}
