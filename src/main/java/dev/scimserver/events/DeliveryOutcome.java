package dev.scimserver.events;

import java.time.Duration;

/**
 * What one attempt to push an event got: the receiver's status ({@code 0} when none came: no
 * connection, a timeout, an address refused), how long it took, and what went wrong in words that
 * name no secret. A 2xx acknowledges the event.
 */
public record DeliveryOutcome(int status, Duration duration, String error) {
    static final int GONE = 410;

    public static DeliveryOutcome answered(int status, Duration duration) {
        boolean ok = status >= 200 && status < 300;
        return new DeliveryOutcome(status, duration, ok ? null : "the receiver answered " + status);
    }

    public static DeliveryOutcome failed(String error, Duration duration) {
        return new DeliveryOutcome(0, duration, error);
    }

    public boolean acknowledged() {
        return status >= 200 && status < 300;
    }
}
