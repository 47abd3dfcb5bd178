package dev.scimserver.store;

/**
 * The server cannot start where it was started, for a reason its message states and its operator
 * fixes (a DATA_DIR in use or out of reach, a database it cannot reach): no bug, so no stack trace.
 */
public final class StartRefusedException extends IllegalStateException {
    public StartRefusedException(String message) {
        super(message);
    }

    public StartRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
