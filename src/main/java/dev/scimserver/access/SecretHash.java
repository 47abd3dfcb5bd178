package dev.scimserver.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The SHA-256 digest of a secret: what the database keeps instead of the secret (see
 * {@link SecretFormat} for why a fast digest is enough). Equality is checked in constant time; a
 * lookup by digest reveals at most something about the digest, never the secret behind it.
 */
public final class SecretHash {
    private static final int LENGTH = 32;

    private final byte[] digest;

    private SecretHash(byte[] digest) {
        this.digest = digest;
    }

    /** The digest of {@code secret}'s UTF-8 bytes. */
    public static SecretHash of(String secret) {
        try {
            return new SecretHash(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JVM", e);
        }
    }

    /** A digest as the database returns it. */
    public static SecretHash fromBytes(byte[] digest) {
        if (digest == null || digest.length != LENGTH) {
            throw new IllegalArgumentException("a SHA-256 digest has 32 bytes: " + (digest == null ? null : digest.length));
        }
        return new SecretHash(digest.clone());
    }

    public byte[] bytes() {
        return digest.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SecretHash that && MessageDigest.isEqual(digest, that.digest);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(digest);
    }

    /** Never the digest itself: even a digest is nothing for a log. */
    @Override
    public String toString() {
        return "SecretHash[redacted]";
    }
}
