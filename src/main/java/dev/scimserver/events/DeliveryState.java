package dev.scimserver.events;

import java.util.Arrays;

/**
 * Where one event stands with one subscription, and the only moves allowed between the states: an
 * attempt leaves a pending delivery pending (retried later), delivered (acknowledged) or dead (failed
 * for the whole retry window, or refused by a poller's {@code setErrs}); replay makes a finished one
 * pending again. The store writes these names, and each of its statements that moves a delivery
 * names the state it moves from ({@code WHERE state = 'pending'}), so no other move can happen even
 * when two processes race: a late acknowledgement never revives a dead letter.
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

    public static DeliveryState named(String name) {
        return Arrays.stream(values()).filter(state -> state.wireName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("unknown delivery state: " + name));
    }
}
