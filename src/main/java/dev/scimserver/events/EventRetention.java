package dev.scimserver.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Finished deliveries (delivered or dead) and their attempts are kept {@code SCIM_EVENTS_RETENTION_DAYS}
 * after they finished, then deleted in small batches along the index of finish times; a delivery left
 * pending that long after it was last due ends dead first, and goes the same way. Each batch a
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

    /**
     * Ends the deliveries left unsent for the retention (their subscription paused, or a poll queue
     * nobody reads), which would otherwise grow without bound, then deletes what has expired, batch
     * after batch; how many rows were ended or went.
     */
    public int prune() {
        Instant before = clock.instant().minus(keep);
        String reason = "still unsent " + keep.toDays() + " days after it was due (SCIM_EVENTS_RETENTION_DAYS), "
                + "as when its subscription is paused or its poll queue unread; a replay sends it again";
        int changed = 0;
        int batch;
        do {
            batch = store.expireUnsent(before, reason, BATCH);
            changed += batch;
        } while (batch == BATCH);
        do {
            batch = store.pruneFinished(before, BATCH);
            changed += batch;
        } while (batch == BATCH);
        return changed;
    }
}
