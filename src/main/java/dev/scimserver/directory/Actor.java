package dev.scimserver.directory;

import java.util.UUID;

/**
 * Who acts on the directory, and where: the workspace every operation of a request is confined to,
 * and what the change journal records of it (the credential's name, never a secret; the request id;
 * the request line). The web adapter makes one per request from the credential that authenticated
 * it, and hands it to every operation: nothing reaches the store on the side.
 */
public record Actor(UUID workspaceId, String credential, String requestId, String request) {
    public Actor {
        if (workspaceId == null) {
            throw new IllegalStateException("an actor acts in a workspace: workspaceId is null");
        }
    }
}
