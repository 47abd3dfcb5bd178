package dev.scimserver.events;

import java.util.Arrays;
import java.util.Set;

/**
 * Where one event stands with one subscription, and the only moves allowed between the states: an
 * attempt leaves a pending delivery pending (retried later), delivered (acknowledged) or dead (failed
 * for the whole retry window, or refused by a poller's {@code setErrs}); replay makes a finished one
 * pending again. The store writes these names; the transitions it performs are these.
 */
public enum DeliveryState {
    PENDING("pending"),
    DELIVERED("delivered"),
    DEAD("dead");

    private final String wireName;

    DeliveryState(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public boolean canBecome(DeliveryState next) {
        return allowedNext().contains(next);
    }

    private Set<DeliveryState> allowedNext() {
        return switch (this) {
            case PENDING -> Set.of(PENDING, DELIVERED, DEAD);
            case DELIVERED, DEAD -> Set.of(PENDING);
        };
    }

    public static DeliveryState named(String name) {
        return Arrays.stream(values()).filter(state -> state.wireName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("unknown delivery state: " + name));
    }
}
