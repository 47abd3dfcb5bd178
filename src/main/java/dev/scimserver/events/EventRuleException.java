package dev.scimserver.events;

/** A subscription request broke a rule (a URL refused, an unknown event type): a 400 naming the field. */
public final class EventRuleException extends RuntimeException {
    private final String field;

    EventRuleException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
