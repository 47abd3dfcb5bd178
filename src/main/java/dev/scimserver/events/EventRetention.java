package dev.scimserver.events;

import java.time.Clock;
import java.time.Duration;

/**
 * Finished deliveries (delivered or dead) and their attempts are kept {@code SCIM_EVENTS_RETENTION_DAYS}
 * after they finished, then deleted in small batches along the index of finish times: each batch a
 * short transaction touching only old rows, so it never holds up the deliveries or the SCIM writes,
 * and no table-wide scan or rewrite is needed. The journal rows themselves are the journal's.
 */
public final class EventRetention {
    static final int BATCH = 1000;

    private final EventStore store;
    private final Duration keep;
    private final Clock clock;

    public EventRetention(EventStore store, Duration keep, Clock clock) {
        this.store = store;
        this.keep = keep;
        this.clock = clock;
    }

    /** Deletes what has expired, batch after batch; how many rows went. */
    public int prune() {
        int removed = 0;
        int batch;
        do {
            batch = store.pruneFinished(clock.instant().minus(keep), BATCH);
            removed += batch;
        } while (batch == BATCH);
        return removed;
    }
}
