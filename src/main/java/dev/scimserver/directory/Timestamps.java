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
}
