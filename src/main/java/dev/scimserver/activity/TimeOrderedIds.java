package dev.scimserver.activity;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Ids that sort by the time they were made: UUID version 7 (RFC 9562), whose first 48 bits are a
 * millisecond. The provisioning log's entries take the millisecond their request was received, and so
 * does the request id the server makes when the client sent none. Entries are written in the order
 * they arrive, so every index that holds either id grows at its right edge instead of taking each
 * insert at a random page that must be read, dirtied and written again; and an entry's id alone says
 * which day's partition holds it.
 */
public final class TimeOrderedIds {
    private static final SecureRandom RANDOM = new SecureRandom();

    private TimeOrderedIds() {
    }

    /** A new id of the millisecond of {@code at}: when the request it names was received. */
    public static UUID next(Instant at) {
        byte[] random = new byte[10];
        RANDOM.nextBytes(random);
        long millis = at.toEpochMilli();
        long high = (millis << 16) | 0x7000L | ((random[0] & 0x0FL) << 8) | (random[1] & 0xFFL);
        long low = 0x8000_0000_0000_0000L | (random[2] & 0x3FL) << 56;
        for (int i = 3; i < 10; i++) {
            low |= (random[i] & 0xFFL) << (8 * (9 - i));
        }
        return new UUID(high, low);
    }

    /**
     * The millisecond a version 7 id in text was made in; empty for any other text. Lenient as
     * {@link UUID#fromString} is: whatever the log's SQL reads as such an id (V25), lower case and
     * canonical, this reads too, and to the same millisecond.
     */
    public static Optional<Instant> madeAt(String id) {
        if (id.length() != 36) {
            return Optional.empty();
        }
        try {
            return madeAt(UUID.fromString(id));
        } catch (IllegalArgumentException notAnId) {
            return Optional.empty();
        }
    }

    /**
     * Whether {@code id} reads as a version 7 id of the millisecond of {@code at}, as the id the server
     * makes for a request names the millisecond it was received in. Such an id is found by that
     * millisecond, as {@link #madeAt(String)} reads it from the id searched for.
     */
    public static boolean namesMillisecondOf(String id, Instant at) {
        return madeAt(id).filter(made -> made.toEpochMilli() == at.toEpochMilli()).isPresent();
    }

    /** The millisecond a version 7 id was made in; empty for random ids (those of older entries). */
    public static Optional<Instant> madeAt(UUID id) {
        if (id.version() != 7) {
            return Optional.empty();
        }
        return Optional.of(Instant.ofEpochMilli(id.getMostSignificantBits() >>> 16));
    }
}
