package dev.scimserver.directory;

/** The database cannot be reached right now; the client should retry later (503). */
public final class DirectoryUnavailableException extends TransactionAbortedException {
    public DirectoryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
