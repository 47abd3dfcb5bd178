package dev.scimserver.directory;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.scimserver.scim.ScimException;

import java.nio.charset.StandardCharsets;

/** bcrypt, from a maintained library; the cost is the price every password set pays. */
final class Bcrypt implements PasswordHasher {
    /** One set of slots for the whole process, whatever hashes through it. */
    static final PasswordHasher SHARED = new HashingSlots(new Bcrypt(), HashingSlots.halfTheCores());
    static final int COST = 10;
    /** bcrypt reads at most 72 bytes; longer secrets are refused rather than silently truncated. */
    static final int MAX_BYTES = 72;

    private Bcrypt() {
    }

    @Override
    public String hash(String password) {
        return new String(BCrypt.withDefaults().hash(COST, bytesOf(password)), StandardCharsets.UTF_8);
    }

    @Override
    public boolean matches(String password, String hash) {
        byte[] bytes = bytesOf(password);
        try {
            return BCrypt.verifyer().verify(bytes, hash.getBytes(StandardCharsets.UTF_8)).verified;
        } catch (IllegalArgumentException e) {
            // An empty hash, which the library refuses rather than answering that it does not match.
            return false;
        }
    }

    private static byte[] bytesOf(String password) {
        byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_BYTES) {
            throw ScimException.invalidValue("password longer than " + MAX_BYTES + " bytes");
        }
        return bytes;
    }
}
