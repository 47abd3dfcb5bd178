package dev.scimserver.directory;

import java.util.function.Function;

/** Where the directory keeps its data; the work inside one callback is one database transaction. */
public interface DirectoryStore {

    /**
     * Runs {@code work}, the change {@code actor} makes, in one transaction: committed when it
     * returns, rolled back when it throws; the change journal attributes it to {@code actor}. The
     * transaction object must not escape the callback.
     */
    <T> T inTransaction(Actor actor, Function<DirectoryTransaction, T> work);

    /**
     * Runs {@code work}, which only reads, without a transaction around it: each statement sees what
     * was committed when it started, which is all a READ COMMITTED transaction gives anyway, and a
     * lookup saves the round trip of its COMMIT. Not for a read that streams rows as they arrive:
     * a server-side cursor lives in a transaction.
     */
    <T> T read(Function<DirectoryTransaction, T> work);

    /** Runs {@code work}, which only reads, in a transaction of its own, so that its rows can stream as they arrive. */
    <T> T readStreaming(Function<DirectoryTransaction, T> work);

    /**
     * Runs {@code work}, the changes {@code actor} makes, whose {@link #inTransaction} calls then share one transaction and one
     * commit, each still atomic on its own (a savepoint): what makes a Bulk of a thousand creates
     * cost one commit instead of a thousand. Nothing is durable until {@code work} returns.
     * {@code work} may run several times (a store may first try without savepoints and replay with
     * them when an operation fails, and runs it again when a concurrent transaction undid it), so it
     * must build its results afresh on each run, and do nothing costly that does not depend on the
     * database (hash a password) inside it. An operation that meets a
     * {@link TransactionAbortedException} must let it pass: it is about the whole work, not about
     * that operation. A concurrent change that still undoes the last run ends as
     * {@link ConcurrentChangeException}.
     */
    <T> T inSingleCommit(Actor actor, java.util.function.Supplier<T> work);

    /** The Default Workspace, the one the environment's credentials act on; it always exists. */
    java.util.UUID defaultWorkspaceId();

    /** Whether the database answers right now. */
    boolean isAvailable();
}
