package dev.scimserver.access;

import java.time.Instant;
import java.util.UUID;

/** What authenticating a client needs of one of its secrets: its id, digest and expiry ({@code null}: none). */
public record StoredClientSecret(UUID id, SecretHash hash, Instant expiresAt) {

    boolean isActiveAt(Instant now) {
        return expiresAt == null || now.isBefore(expiresAt);
    }
}
