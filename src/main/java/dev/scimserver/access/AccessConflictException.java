package dev.scimserver.access;

/**
 * An administrative request is well formed but cannot be done in the present state: a slug that
 * another workspace has, deleting the Default Workspace, revoking a credential the environment
 * configures. A 409 wherever it is answered; the message says why and, where there is one, the way out.
 */
public final class AccessConflictException extends RuntimeException {
    AccessConflictException(String message) {
        super(message);
    }
}
