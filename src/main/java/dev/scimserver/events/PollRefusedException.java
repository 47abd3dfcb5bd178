package dev.scimserver.events;

/**
 * A poll that would wait when no seat is free ({@link WaitingPolls}): {@code workspacesOwn} when its own
 * workspace has as many waiting as it may (the poller's to space out), else the server is full.
 */
public final class PollRefusedException extends RuntimeException {
    private final boolean workspacesOwn;

    PollRefusedException(boolean workspacesOwn, String message) {
        super(message);
        this.workspacesOwn = workspacesOwn;
    }

    public boolean workspacesOwn() {
        return workspacesOwn;
    }
}
