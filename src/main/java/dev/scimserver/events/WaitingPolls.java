package dev.scimserver.events;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The long polls that may wait at once, each holding a request thread while it waits: on Java 17,
 * where the server has no virtual threads, a pool of 250 platform threads, which 250 polls of one
 * workspace took, and every workspace's SCIM requests queued behind them. A workspace has one queue;
 * a few pollers wait on it at most, and all workspaces' waiting polls leave most threads free.
 */
final class WaitingPolls {
    static final int PER_WORKSPACE = 4;
    static final int IN_ALL = 64;

    private final Map<UUID, Integer> waitingByWorkspace = new HashMap<>();
    private int waiting;

    /** A seat for a poll of {@code workspaceId} that is about to wait; refused when none is free. */
    synchronized Seat take(UUID workspaceId) {
        if (waiting >= IN_ALL) {
            throw new PollRefusedException(false, "the server has " + IN_ALL + " polls waiting, as many as it "
                    + "lets wait at once; poll again in a few seconds");
        }
        int ofWorkspace = waitingByWorkspace.getOrDefault(workspaceId, 0);
        if (ofWorkspace >= PER_WORKSPACE) {
            throw new PollRefusedException(true, "this workspace has " + PER_WORKSPACE + " polls waiting, as many "
                    + "as it may have at once; poll again when one of them has its answer");
        }
        waitingByWorkspace.put(workspaceId, ofWorkspace + 1);
        waiting++;
        return () -> leave(workspaceId);
    }

    private synchronized void leave(UUID workspaceId) {
        waitingByWorkspace.computeIfPresent(workspaceId, (id, count) -> count == 1 ? null : count - 1);
        waiting--;
    }

    /** Left when the poll has its answer. */
    interface Seat extends AutoCloseable {
        @Override
        void close();
    }
}
