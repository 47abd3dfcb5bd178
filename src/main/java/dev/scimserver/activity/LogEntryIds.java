package dev.scimserver.activity;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The ids of log entries: UUID version 7 (RFC 9562), whose first 48 bits are the millisecond the
 * request was received. Entries are written in the order they arrive, so every index that holds the id
 * grows at its right edge instead of taking each insert at a random page; and an entry's id alone says
 * which day's partition holds it.
 */
public final class LogEntryIds {
    private static final SecureRandom RANDOM = new SecureRandom();

    private LogEntryIds() {
    }

    /** A new id for an entry received at {@code receivedAt}. */
    public static UUID next(Instant receivedAt) {
        byte[] random = new byte[10];
        RANDOM.nextBytes(random);
        long millis = receivedAt.toEpochMilli();
        long high = (millis << 16) | 0x7000L | ((random[0] & 0x0FL) << 8) | (random[1] & 0xFFL);
        long low = 0x8000_0000_0000_0000L | (random[2] & 0x3FL) << 56;
        for (int i = 3; i < 10; i++) {
            low |= (random[i] & 0xFFL) << (8 * (9 - i));
        }
        return new UUID(high, low);
    }

    /** The millisecond a version 7 id was made in; empty for the random ids of older entries. */
    public static Optional<Instant> receivedMillisecond(UUID id) {
        if (id.version() != 7) {
            return Optional.empty();
        }
        return Optional.of(Instant.ofEpochMilli(id.getMostSignificantBits() >>> 16));
    }
}
