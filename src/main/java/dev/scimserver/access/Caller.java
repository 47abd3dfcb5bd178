package dev.scimserver.access;

import java.util.UUID;

/**
 * Who a SCIM request comes from, as its bearer credential says: the workspace it acts on and the
 * credential by kind, id and administrator-given name (never the secret), for the change journal and
 * the logs.
 */
public record Caller(UUID workspaceId, CredentialKind kind, UUID credentialId, String name) {
}
