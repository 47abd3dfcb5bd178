package dev.scimserver.store;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

import java.sql.SQLException;
import java.time.Duration;

/**
 * The longer budget of an administrator's change to a whole workspace: deleting it, recomputing every
 * member's role for a new role source or new mappings, replaying its events, resuming a subscription
 * (every delivery waiting on it forgets its failures). Their work grows with the workspace or its
 * backlog (at a million members a role source switch was cancelled at the request's limit:
 * bench/RESULTS.md), and they are rare, asked for by a person who waits, where a request of an IdP
 * must not hold its connection long. So the transaction that runs one lets its statements run
 * {@link #TIMEOUT}, and its connection wait on the database as long, instead of
 * {@link Database#STATEMENT_TIMEOUT}.
 */
final class LongStatements {
    static final Duration TIMEOUT = Duration.ofMinutes(10);
    /** The socket's wait beyond the statement's: the database's own cancel arrives first. */
    private static final Duration SOCKET_MARGIN = Duration.ofSeconds(30);

    private LongStatements() {
    }

    /**
     * Gives the rest of {@code handle}'s transaction, which must be open, the longer budget. The
     * setting ends with the transaction; the pool puts the connection's socket timeout back when the
     * connection returns to it.
     */
    static void allow(Handle handle) {
        if (!handle.isInTransaction()) {
            throw new IllegalStateException("a long statement's budget is given to a transaction, and this handle has none");
        }
        handle.createQuery("SELECT set_config('statement_timeout', :timeout, true)")
                .bind("timeout", TIMEOUT.toMillis() + "ms").mapTo(String.class).one();
        try {
            handle.getConnection().setNetworkTimeout(Runnable::run, (int) TIMEOUT.plus(SOCKET_MARGIN).toMillis());
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException("cannot lengthen the connection's socket timeout", e, null);
        }
    }
}
