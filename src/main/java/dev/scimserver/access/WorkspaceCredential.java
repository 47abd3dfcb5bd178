package dev.scimserver.access;

import java.time.Instant;

/**
 * One bearer credential of a workspace as administrators see it, never its secret: a stored
 * {@link ApiToken}, or one of the environment's credentials of the Default Workspace, which the
 * environment configures and nobody can revoke here. Times are {@code null} when there is none (the
 * environment's have neither a creation nor an expiry).
 */
public record WorkspaceCredential(String id, String name, Kind kind, Instant createdAt, Instant expiresAt,
                                  Instant lastUsedAt, Instant revokedAt) {
    public enum Kind {
        /** A named token stored in the database, made and revoked by administrators. */
        API_TOKEN,
        /** {@code SCIM_BASIC_AUTH_USER}/{@code SCIM_BASIC_AUTH_PASS} or {@code SCIM_HEADER_AUTH_TOKEN}. */
        ENVIRONMENT
    }

    public boolean readOnly() {
        return kind == Kind.ENVIRONMENT;
    }

    static WorkspaceCredential of(ApiToken token) {
        return new WorkspaceCredential(token.id().toString(), token.name(), Kind.API_TOKEN, token.createdAt(),
                token.expiresAt(), token.lastUsedAt(), token.revokedAt());
    }

    static WorkspaceCredential environment(String id, String name, Instant lastUsedAt) {
        return new WorkspaceCredential(id, name, Kind.ENVIRONMENT, null, null, lastUsedAt, null);
    }
}
