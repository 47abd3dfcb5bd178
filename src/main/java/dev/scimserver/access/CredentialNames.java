package dev.scimserver.access;

import java.time.Instant;

/** The rules every administrator-given name (of a credential, of a workspace) and expiry follows. */
final class CredentialNames {
    static final int MAX_LENGTH = 100;

    private CredentialNames() {
    }

    /** A name of 1 to 100 characters, not blank, without control characters: it is shown in lists and logs. */
    static String check(String name) {
        return check("a credential's name", name);
    }

    /**
     * The same rule for any administrator-given name; {@code whose} starts the message ("a workspace's
     * name"). Characters are counted as a reader counts them (code points, so an emoji is one); a name
     * of spaces of any kind and invisible characters only (U+00A0, U+200B) is blank; a line or
     * paragraph separator breaks a list's line as a control character does; a bidirectional control
     * (U+202E, the right-to-left override, and its kin) makes a list or a log line read in an order
     * other than the one it holds, so that one name can pass for another. Hebrew and Arabic names
     * need none of them.
     */
    static String check(String whose, String name) {
        if (name == null || name.codePoints().allMatch(CredentialNames::invisible)
                || name.codePointCount(0, name.length()) > MAX_LENGTH
                || name.codePoints().anyMatch(CredentialNames::breaksTheLine)) {
            throw new AccessRuleException("name",
                    whose + " is 1 to " + MAX_LENGTH + " characters, not blank, without control characters");
        }
        return name;
    }

    private static boolean invisible(int c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.getType(c) == Character.FORMAT;
    }

    private static boolean breaksTheLine(int c) {
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                || isBidirectionalControl(c);
    }

    /** The embeddings, overrides and isolates of Unicode's bidirectional algorithm, and its three marks. */
    private static boolean isBidirectionalControl(int c) {
        return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E || c == 0x200F
                || c == 0x061C;
    }

    /** No expiry ({@code null}), or one after {@code now}. */
    static Instant checkExpiry(Instant expiresAt, Instant now) {
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw new AccessRuleException("expiresAt", "an expiry must lie in the future");
        }
        return expiresAt;
    }
}
