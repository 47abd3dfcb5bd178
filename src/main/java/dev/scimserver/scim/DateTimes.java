package dev.scimserver.scim;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The dateTime values (RFC 7643 §2.3.5) this server reads: an xsd:dateTime with an offset, of a
 * year from 1 to 9999, with an offset under 16 hours. Java reads more (years to a billion, offsets
 * to 18 hours); PostgreSQL's timestamptz does not hold them (it refuses offsets of 16 hours or more,
 * and instants after the year 294276) and reads a year of five digits only without Java's '+',
 * so anything outside the four-digit years would reach the database to be refused there.
 */
public final class DateTimes {
    /** What a client is told a dateTime must look like. */
    public static final String EXPECTED = "an xsd:dateTime with an offset, like 2025-01-31T12:00:00Z, of a year "
            + "from 1 to 9999 and an offset under 16 hours";
    private static final int MAX_OFFSET_SECONDS = 16 * 3600 - 1;

    private DateTimes() {
    }

    /** The instant {@code text} writes, or empty when it is no dateTime this server takes. */
    public static Optional<OffsetDateTime> parse(String text) {
        OffsetDateTime parsed;
        try {
            parsed = OffsetDateTime.parse(text.trim());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
        int year = parsed.getYear();
        ZoneOffset offset = parsed.getOffset();
        if (year < 1 || year > 9999 || Math.abs(offset.getTotalSeconds()) > MAX_OFFSET_SECONDS) {
            return Optional.empty();
        }
        return Optional.of(parsed);
    }

}
