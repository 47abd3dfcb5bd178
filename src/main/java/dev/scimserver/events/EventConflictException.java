package dev.scimserver.events;

/** The request contradicts what exists (a second poll queue in one workspace): a 409. */
public final class EventConflictException extends RuntimeException {
    public EventConflictException(String message) {
        super(message);
    }
}
