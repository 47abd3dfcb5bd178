package dev.scimserver.access;

import java.time.Instant;
import java.util.UUID;

/**
 * One secret of an OAuth client as administrators see it, never the secret itself. A client may
 * have several at once, so a secret is rotated without a gap. {@code expiresAt} and
 * {@code lastUsedAt} are {@code null} when there is none.
 */
public record ClientSecret(UUID id, UUID client, Instant createdAt, Instant expiresAt, Instant lastUsedAt) {
}
