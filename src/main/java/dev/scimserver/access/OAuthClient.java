package dev.scimserver.access;

import java.time.Instant;
import java.util.UUID;

/**
 * An OAuth 2.0 client of a workspace (RFC 6749 §2): {@code clientId} is its public identifier, the
 * one it sends; {@code id} is the row's own, by which administrators name it, and never part of the
 * OAuth exchange. {@code lastUsedAt} is
 * {@code null} until one of its access tokens is used, and may lag a minute behind.
 */
public record OAuthClient(UUID id, String clientId, UUID workspaceId, String name, Instant createdAt,
                          Instant lastUsedAt) {
}
