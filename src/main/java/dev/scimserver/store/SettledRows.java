package dev.scimserver.store;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.util.UUID;

/**
 * Rows that never change once the schema is migrated: the Default Workspace's id and the key
 * that signs cursors. Each is read once per process, on first use, instead of once per request.
 */
final class SettledRows {
    private volatile UUID defaultWorkspace;
    private volatile byte[] cursorSecret;

    /**
     * The id, read through {@code jdbi} the first time only: every request authenticated by the
     * environment's credentials needs it, and none should wait for a connection to learn it.
     */
    UUID defaultWorkspace(Jdbi jdbi) {
        UUID id = defaultWorkspace;
        return id != null ? id : jdbi.withHandle(this::defaultWorkspace);
    }

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
            secret = serverSecret(handle);
            cursorSecret = secret;
        }
        return secret.clone();
    }

    /**
     * The random secret V2 made, the same for every process on the database: cursors are signed with
     * it, and each other use derives a key of its own from it.
     */
    static byte[] serverSecret(Handle handle) {
        return handle.createQuery("SELECT secret FROM cursor_keys WHERE id = 1").mapTo(byte[].class).one();
    }
}
