package dev.scimserver.activity;

import dev.scimserver.scim.AsciiDigits;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;

/**
 * The opaque cursor of a page of the log: the position of the page's last entry and a digest of the
 * search it belongs to (the workspace and the filters), base64url. It carries no secret and grants
 * nothing: every search is confined to its workspace whatever the cursor says, so a cursor made up
 * by hand only moves within what the caller may read anyway. The digest is there for the honest
 * mistake: a cursor sent with other filters, or to another workspace, would answer a page of the
 * other search starting at a place it never reached, most often an empty one that reads as the end.
 */
final class LogCursor {
    private LogCursor() {
    }

    static String of(LogPosition position, UUID workspaceId, RequestFilter filter) {
        Instant at = position.receivedAt();
        long micros = at.getEpochSecond() * 1_000_000 + at.getNano() / 1_000;
        return Base64.getUrlEncoder().withoutPadding().encodeToString((micros + "." + position.id() + "."
                + digest(workspaceId, filter)).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@code null} for none (the first page); {@link InvalidLogQueryException} for text no page gave,
     * or a cursor of another search.
     */
    static LogPosition parse(String cursor, UUID workspaceId, RequestFilter filter) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        String[] parts;
        LogPosition position;
        try {
            parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\.", -1);
            long micros = AsciiDigits.parseLong(parts[0]);
            Instant at = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000),
                    Math.floorMod(micros, 1_000_000) * 1_000L);
            // No entry is written outside these years (the filters refuse them too); the driver would
            // turn a time before PostgreSQL's range into -infinity and answer an empty page.
            int year = at.atOffset(ZoneOffset.UTC).getYear();
            if (year < 1 || year > 9999 || parts.length < 2 || parts.length > 3) {
                throw new IllegalArgumentException("year " + year + ", " + parts.length + " parts");
            }
            position = new LogPosition(at, UUID.fromString(parts[1]));
        } catch (IllegalArgumentException | IndexOutOfBoundsException | java.time.DateTimeException e) {
            throw new InvalidLogQueryException("cursor", "cursor is not one this server gave: pass the nextCursor of "
                    + "the page before, unchanged");
        }
        if (parts.length == 2) {
            throw new InvalidLogQueryException("cursor", "the cursor was made by an earlier version of the server, "
                    + "before cursors named their search: start the walk again without a cursor");
        }
        if (!parts[2].equals(digest(workspaceId, filter))) {
            throw new InvalidLogQueryException("cursor", "the cursor belongs to another search: keep the workspace "
                    + "and every filter of the request that returned it, or start again without a cursor");
        }
        return position;
    }

    /** The search a cursor belongs to, in 16 characters: what tells an honest mistake, not a forgery. */
    private static String digest(UUID workspaceId, RequestFilter filter) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest((workspaceId + "\n" + filter)
                    .getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(hash, 12));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JVM", e);
        }
    }
}
