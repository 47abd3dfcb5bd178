package dev.scimserver.events;

/** A subscription just made, with its webhook secret ({@code null} for SETs): shown in this answer only. */
public record NewSubscription(Subscription subscription, String secret) {
    @Override
    public String toString() {
        return "NewSubscription[" + subscription + "]";
    }
}
