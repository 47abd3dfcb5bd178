package dev.scimserver.store;

import org.jdbi.v3.core.Handle;

import java.util.UUID;

/**
 * Rows that never change once the schema is migrated: the Default Workspace's id and the key
 * that signs cursors. Each is read once per process, on first use, instead of once per request.
 */
final class SettledRows {
    private volatile UUID defaultWorkspace;
    private volatile byte[] cursorSecret;

    UUID defaultWorkspace(Handle handle) {
        UUID id = defaultWorkspace;
        if (id == null) {
            id = handle.createQuery("SELECT id FROM workspaces WHERE is_default").mapTo(UUID.class).one();
            defaultWorkspace = id;
        }
        return id;
    }

    byte[] cursorSecret(Handle handle) {
        byte[] secret = cursorSecret;
        if (secret == null) {
            secret = handle.createQuery("SELECT secret FROM cursor_keys WHERE id = 1").mapTo(byte[].class).one();
            cursorSecret = secret;
        }
        return secret.clone();
    }
}
