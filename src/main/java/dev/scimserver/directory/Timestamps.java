package dev.scimserver.directory;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The instants a resource's meta records (created, lastModified). */
final class Timestamps {
    private Timestamps() {
    }

    /** Now, in microseconds: what PostgreSQL keeps, so a value read back equals the one written. */
    static Instant now(Clock clock) {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * Now, for a change of what was last modified at {@code previous}; {@code previous} when the clock
     * reads earlier (another process's clock behind this one's, or a step back): an application reading
     * changes by {@code meta.lastModified gt} a watermark must see this one.
     */
    static Instant after(Instant previous, Clock clock) {
        Instant now = now(clock);
        return now.isBefore(previous) ? previous : now;
    }
}
