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

    /** The same rule for any administrator-given name; {@code whose} starts the message ("a workspace's name"). */
    static String check(String whose, String name) {
        if (name == null || name.isBlank() || name.length() > MAX_LENGTH
                || name.chars().anyMatch(Character::isISOControl)) {
            throw new AccessRuleException("name",
                    whose + " is 1 to " + MAX_LENGTH + " characters, not blank, without control characters");
        }
        return name;
    }

    /** No expiry ({@code null}), or one after {@code now}. */
    static Instant checkExpiry(Instant expiresAt, Instant now) {
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw new AccessRuleException("expiresAt", "an expiry must lie in the future");
        }
        return expiresAt;
    }
}
