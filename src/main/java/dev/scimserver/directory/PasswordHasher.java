package dev.scimserver.directory;

/**
 * Turns a password into what the directory stores. Slow by design, so the directory calls it before a
 * write's transaction opens, never while the transaction holds the user's row lock (see {@link NewPassword}).
 */
public interface PasswordHasher {
    String hash(String password);

    /**
     * Whether {@code hash}, as {@link #hash} made it, is of {@code password}: as slow as a hash, so called
     * where a hash would be. A hash this hasher cannot read matches nothing.
     */
    boolean matches(String password, String hash);

    /**
     * bcrypt at {@link Bcrypt#COST}, from a maintained library, on half the cores at most: what the
     * server uses.
     */
    static PasswordHasher bcrypt() {
        return Bcrypt.SHARED;
    }
}
