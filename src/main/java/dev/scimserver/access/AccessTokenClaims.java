package dev.scimserver.access;

import java.time.Instant;
import java.util.UUID;

/** What a checked access token says: the client it was issued to, the workspace it opens, its expiry. */
public record AccessTokenClaims(String clientId, UUID workspaceId, Instant expiresAt) {
}
