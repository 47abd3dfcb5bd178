package dev.scimserver.access;

import java.time.Instant;
import java.util.UUID;

/**
 * A workspace's named bearer token as administrators see it: never the secret, which exists only
 * in the {@link NewApiToken} returned when it is created. {@code expiresAt}, {@code lastUsedAt} and
 * {@code revokedAt} are {@code null} when there is none; {@code lastUsedAt} may lag a minute behind.
 */
public record ApiToken(UUID id, UUID workspaceId, String name, Instant createdAt, Instant expiresAt,
                       Instant lastUsedAt, Instant revokedAt) {

    /** Whether the token opens the workspace at {@code now}: not revoked and not yet expired. */
    public boolean isActiveAt(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }
}
