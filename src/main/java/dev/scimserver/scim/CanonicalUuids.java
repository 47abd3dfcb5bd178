package dev.scimserver.scim;

import java.util.Optional;
import java.util.UUID;

/**
 * Ids this server gives (resources, workspaces' credentials, subscriptions) as a client sends them
 * back. UUID.fromString is lenient: it takes shortened groups ("1-1-1-1-1"), a sign before a group
 * ("+0000000-…") and hex digits beyond a group's width, so many texts would name one id, and an id in
 * a log or a filter would not be the text the server gave. Only the canonical 8-4-4-4-12 form is an
 * id; either case of its hex digits, because the form is defined case-insensitively (RFC 9562 §4) and
 * an administrator or a client may have upper-cased what it copied.
 */
public final class CanonicalUuids {
    private CanonicalUuids() {
    }

    /** The UUID {@code text} writes in canonical form, or empty for any other text, null included. */
    public static Optional<UUID> parse(String text) {
        if (text == null || text.length() != 36) {
            return Optional.empty();
        }
        try {
            UUID parsed = UUID.fromString(text);
            return parsed.toString().equalsIgnoreCase(text) ? Optional.of(parsed) : Optional.empty();
        } catch (IllegalArgumentException notAUuid) {
            return Optional.empty();
        }
    }
}
