package dev.scimserver.access;

import java.time.Instant;

/**
 * A signing key as the database keeps it: its key id, the public and the private JWK (JSON), when
 * it was made and when it stopped signing ({@code null} while it is the active one).
 * {@link #toString()} never prints the private key.
 */
public record StoredSigningKey(String kid, String publicJwk, String privateJwk, Instant createdAt, Instant retiredAt) {
    @Override
    public String toString() {
        return "StoredSigningKey[kid=" + kid + ", createdAt=" + createdAt + ", retiredAt=" + retiredAt + "]";
    }
}
