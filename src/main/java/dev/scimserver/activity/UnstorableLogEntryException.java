package dev.scimserver.activity;

/**
 * The database refused a value of a batch of log entries (a data exception, a value too long for its
 * index), where it would have taken the others: the batch may be stored in parts, so that the one
 * entry at fault is lost alone, never a whole batch of every workspace's requests with it.
 */
public final class UnstorableLogEntryException extends RuntimeException {
    public UnstorableLogEntryException(RuntimeException cause) {
        super("the database refused a value of a provisioning log entry", cause);
    }
}
