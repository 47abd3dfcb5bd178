package dev.scimserver.directory;

import at.favre.lib.crypto.bcrypt.BCrypt;

import java.nio.charset.StandardCharsets;

/** bcrypt, from a maintained library; the cost is the price every create with a password pays. */
final class PasswordHasher {
    static final int COST = 10;
    /** bcrypt reads at most 72 bytes; longer secrets are refused rather than silently truncated. */
    static final int MAX_BYTES = 72;

    private PasswordHasher() {
    }

    static String hash(String password) {
        byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_BYTES) {
            throw dev.scimserver.scim.ScimException.invalidValue("password longer than " + MAX_BYTES + " bytes");
        }
        return new String(BCrypt.withDefaults().hash(COST, bytes), StandardCharsets.UTF_8);
    }
}
