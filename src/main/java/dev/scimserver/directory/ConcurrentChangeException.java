package dev.scimserver.directory;

/**
 * PostgreSQL undid the transaction to let a concurrent one go on (a deadlock, a serialization failure):
 * nothing of it was applied and the same request may well succeed a moment later (503, Retry-After).
 */
public final class ConcurrentChangeException extends TransactionAbortedException {
    public ConcurrentChangeException(String message, Throwable cause) {
        super(message, cause);
    }
}
