package dev.scimserver.activity;

import dev.scimserver.scim.AsciiDigits;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.UUID;

/**
 * The opaque cursor of a page of the log: the position of the page's last entry, base64url. It
 * carries no secret and grants nothing: every search is confined to its workspace whatever the
 * cursor says, so a cursor made up by hand only moves within what the caller may read anyway.
 */
final class LogCursor {
    private LogCursor() {
    }

    static String of(LogPosition position) {
        Instant at = position.receivedAt();
        long micros = at.getEpochSecond() * 1_000_000 + at.getNano() / 1_000;
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((micros + "." + position.id()).getBytes(StandardCharsets.UTF_8));
    }

    /** {@code null} for none (the first page); {@link InvalidLogQueryException} for text no page gave. */
    static LogPosition parse(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int dot = text.indexOf('.');
            long micros = AsciiDigits.parseLong(text.substring(0, dot));
            Instant at = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000),
                    Math.floorMod(micros, 1_000_000) * 1_000L);
            // No entry is written outside these years (the filters refuse them too); the driver would
            // turn a time before PostgreSQL's range into -infinity and answer an empty page.
            int year = at.atOffset(ZoneOffset.UTC).getYear();
            if (year < 1 || year > 9999) {
                throw new IllegalArgumentException("year " + year);
            }
            return new LogPosition(at, UUID.fromString(text.substring(dot + 1)));
        } catch (IllegalArgumentException | IndexOutOfBoundsException | java.time.DateTimeException e) {
            throw new InvalidLogQueryException("cursor", "cursor is not one this server gave: pass the nextCursor of "
                    + "the page before, unchanged");
        }
    }
}
