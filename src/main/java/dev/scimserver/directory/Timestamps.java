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
     * Now, for a change of what was last modified at {@code previous}; a microsecond after {@code
     * previous} when the clock does not read later (another process's clock behind this one's, or a step
     * back): an application that read the version before and reads changes by {@code meta.lastModified
     * gt} its time must see this one.
     */
    static Instant after(Instant previous, Clock clock) {
        Instant now = now(clock);
        return now.isAfter(previous) ? now : previous.plus(1, ChronoUnit.MICROS);
    }
}
