package dev.scimserver.directory;

/**
 * The password a write sets, already hashed. bcrypt is slow by design: hashed before the write's
 * transaction opens, it never runs while the transaction holds the user's row lock, and a Bulk that
 * replays its operations (see {@link DirectoryStore#inSingleCommit}) reuses the hash instead of paying
 * for it again. The hash never shows in {@link #toString()}.
 */
public final class NewPassword {
    /** The write sets no password: a create makes a user without one, a PUT or PATCH keeps the current one. */
    public static final NewPassword NONE = new NewPassword(null);

    private final String hash;

    private NewPassword(String hash) {
        this.hash = hash;
    }

    static NewPassword hashed(PasswordHasher hasher, String password) {
        return password == null ? NONE : new NewPassword(hasher.hash(password));
    }

    /**
     * The password a write sets, as the member has it already: the stored hash, which the password was
     * found to match, is a hash of it. The write stores that hash again only if another write has
     * changed the password in the meantime; otherwise the password changes nothing, no version nor event.
     */
    static NewPassword kept(String storedHash) {
        return new NewPassword(storedHash);
    }

    /** The hash to store; null for {@link #NONE}. */
    String hash() {
        return hash;
    }

    boolean isSet() {
        return hash != null;
    }

    @Override
    public String toString() {
        return hash == null ? "NewPassword[none]" : "NewPassword[hashed]";
    }
}
