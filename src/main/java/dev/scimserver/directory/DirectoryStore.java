package dev.scimserver.directory;

import java.util.function.Function;

/** Where the directory keeps its data; the work inside one callback is one database transaction. */
public interface DirectoryStore {

    /**
     * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws.
     * The transaction object must not escape the callback.
     */
    <T> T inTransaction(Function<DirectoryTransaction, T> work);

    /** Whether the database answers right now. */
    boolean isAvailable();
}
