package dev.scimserver.access;

import java.time.Instant;
import java.util.List;

/**
 * Storage of the signing keys every server process shares; at most one is active (not retired) at
 * a time, which the store guarantees even when processes race. Implementations throw
 * {@link CredentialsUnavailableException} when the database cannot be reached.
 */
public interface SigningKeyStore {
    /** Every stored key, the active one and the retired ones. */
    List<StoredSigningKey> signingKeys();

    /** Stores {@code key} as the active key unless there is one already; {@code false} then. */
    boolean insertActiveKeyIfNone(StoredSigningKey key);

    /**
     * In one transaction, retires the active key at {@code at} and makes {@code key} the active one;
     * {@code false} when a concurrent rotation won, whose key is then the active one.
     */
    boolean rotateTo(StoredSigningKey key, Instant at);

    /**
     * In one transaction, retires the key {@code activeKid} at {@code at} if it is still the active
     * one, and then makes {@code key} the active one; {@code false}, changing nothing, when it no
     * longer is (another process rotated first).
     */
    boolean replaceActive(String activeKid, StoredSigningKey key, Instant at);

    /** Deletes the keys retired before {@code before}; how many. */
    int deleteKeysRetiredBefore(Instant before);
}
