package dev.scimserver.access;

/**
 * What an administrative request names does not exist: no workspace with that slug, no credential
 * with that id in the workspace. A 404 wherever it is answered; the message says what was missing.
 */
public final class AccessNotFoundException extends RuntimeException {
    AccessNotFoundException(String message) {
        super(message);
    }
}
