package dev.scimserver.access;

/**
 * The credentials cannot be read or written because the database cannot be reached right now: not
 * the caller's fault and not a wrong credential, so a 503 to retry, never a 401.
 */
public final class CredentialsUnavailableException extends RuntimeException {
    public CredentialsUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
