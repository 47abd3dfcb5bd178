package dev.scimserver.access;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Signing-key storage in a list, for the unit tests; {@code PostgresSigningKeyStoreTest} tests the real one. */
final class InMemorySigningKeys implements SigningKeyStore {
    private final List<StoredSigningKey> keys = new ArrayList<>();
    private boolean unavailable;

    @Override
    public synchronized List<StoredSigningKey> signingKeys() {
        if (unavailable) {
            throw new CredentialsUnavailableException("the database connection failed", null);
        }
        return List.copyOf(keys);
    }

    /** Reads fail from now on as the real store's do while the database is away, or work again. */
    synchronized void unavailable(boolean unavailable) {
        this.unavailable = unavailable;
    }

    @Override
    public synchronized boolean insertActiveKeyIfNone(StoredSigningKey key) {
        if (keys.stream().anyMatch(k -> k.retiredAt() == null)) {
            return false;
        }
        return keys.add(key);
    }

    @Override
    public synchronized boolean rotateTo(StoredSigningKey key, Instant at) {
        keys.replaceAll(k -> k.retiredAt() != null ? k
                : new StoredSigningKey(k.kid(), k.publicJwk(), k.privateJwk(), k.createdAt(), at));
        return keys.add(key);
    }

    @Override
    public synchronized boolean replaceActive(String activeKid, StoredSigningKey key, Instant at) {
        if (keys.stream().noneMatch(k -> k.retiredAt() == null && k.kid().equals(activeKid))) {
            return false;
        }
        return rotateTo(key, at);
    }

    @Override
    public synchronized int deleteKeysRetiredBefore(Instant before) {
        int size = keys.size();
        keys.removeIf(k -> k.retiredAt() != null && k.retiredAt().isBefore(before));
        return size - keys.size();
    }

    /** What an operator does by hand to a key believed leaked. */
    synchronized void delete(String kid) {
        keys.removeIf(k -> k.kid().equals(kid));
    }

    synchronized int size() {
        return keys.size();
    }
}
