package dev.scimserver.directory;

/**
 * The whole transaction of a piece of work is gone, or never began: nothing of it was applied, and no
 * operation inside it can be answered on its own. An operation of a {@link DirectoryStore#inSingleCommit}
 * that meets one lets it pass, for the store to undo and rerun the whole work, or to give it up.
 */
public abstract class TransactionAbortedException extends RuntimeException {
    protected TransactionAbortedException(String message, Throwable cause) {
        super(message, cause);
    }
}
