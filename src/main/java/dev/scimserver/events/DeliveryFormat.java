package dev.scimserver.events;

import java.util.Arrays;
import java.util.Optional;

/** How a subscription receives its events. */
public enum DeliveryFormat {
    /** JSON signed in the Standard Webhooks form, pushed. */
    WEBHOOK("webhook"),
    /** RFC 9967 security event tokens pushed as RFC 8935 describes. */
    SET_PUSH("set-push"),
    /** RFC 9967 security event tokens the application polls for (RFC 8936). */
    SET_POLL("set-poll");

    private final String wireName;

    DeliveryFormat(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public boolean pushed() {
        return this != SET_POLL;
    }

    public static Optional<DeliveryFormat> named(String name) {
        return Arrays.stream(values()).filter(format -> format.wireName.equals(name)).findFirst();
    }
}
