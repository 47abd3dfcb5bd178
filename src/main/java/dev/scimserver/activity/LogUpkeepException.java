package dev.scimserver.activity;

/**
 * The database refused the log's upkeep, for the reason its message states (the database's SQLSTATE and
 * message: "out of shared memory" is what an operator can act on, the driver's exception class is not).
 */
public final class LogUpkeepException extends RuntimeException {
    public LogUpkeepException(String message, Throwable cause) {
        super(message, cause);
    }
}
