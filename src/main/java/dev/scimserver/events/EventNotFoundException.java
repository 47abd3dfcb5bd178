package dev.scimserver.events;

/** No such subscription in the workspace, or no poll queue for the credential's workspace: a 404. */
public final class EventNotFoundException extends RuntimeException {
    EventNotFoundException(String message) {
        super(message);
    }
}
