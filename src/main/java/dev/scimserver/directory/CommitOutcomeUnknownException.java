package dev.scimserver.directory;

/**
 * The connection to the database failed during a write's COMMIT, and the database could not be asked
 * afterwards whether the COMMIT took: the change may be applied or not (503). Unlike a
 * {@link TransactionAbortedException}, it does not promise that nothing was applied, so the client is
 * told to read the resource before sending the change again.
 */
public final class CommitOutcomeUnknownException extends RuntimeException {
    /** What a client is told. */
    public static final String ADVICE = "the connection to the database failed while the change was being committed, "
            + "and whether it was applied is not known: read the resource before sending the change again";

    public CommitOutcomeUnknownException(String message, Throwable cause) {
        super(message, cause);
    }
}
