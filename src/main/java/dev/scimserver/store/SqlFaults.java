package dev.scimserver.store;

import dev.scimserver.directory.ConcurrentChangeException;
import dev.scimserver.scim.ScimException;
import dev.scimserver.scim.ScimType;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What PostgreSQL's failures mean, recognised by the SQLSTATE of the SQLExceptions behind them: a
 * lost connection, a statement cancelled, a transaction undone for a concurrent one, and a value the
 * request sent that the database refuses. Such a value is a 400, {@code invalidFilter} when a search's
 * filter carried it and {@code invalidValue} otherwise, whose detail names the SQLSTATE and never the
 * value, which PostgreSQL's own message quotes.
 */
final class SqlFaults {
    private static final String CONNECTION_EXCEPTION_CLASS = "08";
    /**
     * The server ended the session: admin_shutdown (a fast or smart stop, pg_terminate_backend),
     * crash_shutdown, cannot_connect_now (still starting). The connection is gone as with class 08.
     */
    private static final Set<String> ENDED_BY_THE_SERVER = Set.of("57P01", "57P02", "57P03");
    private static final String DATA_EXCEPTION_CLASS = "22";
    /** program_limit_exceeded: a value too long for its index entry. */
    private static final String TOO_LONG = "54000";
    private static final String DEADLOCK = "40P01";
    private static final String SERIALIZATION_FAILURE = "40001";
    /** query_canceled: the statement ran past the pool's statement_timeout, or an operator cancelled it. */
    private static final String CANCELLED = "57014";
    /** What a cancelled statement's 503 is logged with. */
    private static final String CANCELLED_STATEMENT = "PostgreSQL cancelled a statement of the request (it ran past its "
            + "statement_timeout, or an operator cancelled it); nothing of it was applied";
    /**
     * read_only_sql_transaction: the database takes no writes for now (a standby, a primary demoted,
     * {@code default_transaction_read_only} set by an operator).
     */
    private static final String READ_ONLY = "25006";
    /**
     * States of the database's own that pass, after which the same request may succeed: disk_full,
     * too_many_connections, io_error (a file could not be read or written). Not the rest of class 53:
     * out_of_memory and configuration_limit_exceeded (temp_file_limit) follow from what the statement
     * asks as much as from the database, and a retry would meet them every time.
     */
    private static final Set<String> PASSING = Set.of(READ_ONLY, "53100", "53300", "58030");

    private SqlFaults() {
    }

    /**
     * The first SQLException of {@code type} behind {@code failure} whose SQLSTATE {@code state}
     * accepts; a batch chains the statement's own as the next exception of the one it throws.
     */
    static <E extends SQLException> Optional<E> find(Throwable failure, Class<E> type, Predicate<String> state) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            for (SQLException s = t instanceof SQLException first ? first : null; s != null; s = s.getNextException()) {
                if (type.isInstance(s) && s.getSQLState() != null && state.test(s.getSQLState())) {
                    return Optional.of(type.cast(s));
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> sqlState(Throwable failure, Predicate<String> state) {
        return find(failure, SQLException.class, state).map(SQLException::getSQLState);
    }

    /** Whether {@code e} says the database could not be reached or the connection broke. */
    static boolean isConnectionFailure(Throwable e) {
        if (sqlState(e, state -> state.startsWith(CONNECTION_EXCEPTION_CLASS) || ENDED_BY_THE_SERVER.contains(state))
                .isPresent()) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Why the database could not serve the work behind {@code e}, when that is what happened: the
     * connection failed ({@link #isConnectionFailure}); PostgreSQL cancelled a statement, which ran
     * past its statement_timeout or an operator cancelled; or it refused the work for a state of its
     * own that passes ({@link #PASSING}), which a client's retry later may find gone. Either way the
     * transaction is gone, nothing of it applied; each store answers it as its own "unavailable" (503
     * with a time to retry).
     */
    static Optional<String> unavailability(Throwable e) {
        if (isConnectionFailure(e)) {
            return Optional.of("the database connection failed");
        }
        Optional<SQLException> passing = find(e, SQLException.class, PASSING::contains);
        if (passing.isPresent()) {
            // The server's message (logServerErrorDetail is off, so no row's values): "could not extend
            // file ...: No space left on device" says more to an operator than the state's name.
            String message = String.valueOf(passing.get().getMessage()).lines().findFirst().orElse("");
            return Optional.of((passing.get().getSQLState().equals(READ_ONLY) ? "the database takes no writes now "
                    + "(a standby, or set read-only)" : "the database cannot do the request's work for now")
                    + "; nothing of it was applied (SQLSTATE " + passing.get().getSQLState() + ": " + message + ")");
        }
        return sqlState(e, CANCELLED::equals).map(state -> CANCELLED_STATEMENT);
    }

    /** Whether the session that met {@code e} keeps what made it fail: read-only, it stays so. */
    static boolean outlivesItsCause(SQLException e) {
        return READ_ONLY.equals(e.getSQLState());
    }

    /**
     * What {@code e} means when PostgreSQL chose its transaction to undo for a concurrent one: a
     * deadlock's victim, or a serialization failure.
     */
    static Optional<ConcurrentChangeException> undoneForAConcurrentChange(RuntimeException e) {
        return sqlState(e, state -> state.equals(DEADLOCK) || state.equals(SERIALIZATION_FAILURE))
                .map(state -> new ConcurrentChangeException("PostgreSQL undid the transaction for a concurrent one: "
                        + (state.equals(DEADLOCK) ? "deadlock (SQLSTATE 40P01)"
                        : "serialization failure (SQLSTATE 40001)"), e));
    }

    /** Whether {@code e} is the database refusing a value: a data exception (class 22) or one too long for its index. */
    static boolean isRefusedValue(Throwable e) {
        return sqlState(e, state -> state.startsWith(DATA_EXCEPTION_CLASS) || state.equals(TOO_LONG)).isPresent();
    }

    /**
     * What {@code e} means when the database would not keep a value of the request: a data exception
     * (class 22: out of range, malformed, a character the database's encoding cannot hold) or a value
     * too long for its index (54000), answered 400 with {@code scimType}. Else {@code e} itself.
     */
    static RuntimeException asRefusedValue(RuntimeException e, ScimType scimType) {
        String value = scimType == ScimType.INVALID_FILTER ? "a filter value" : "a value";
        Optional<String> data = sqlState(e, state -> state.startsWith(DATA_EXCEPTION_CLASS));
        if (data.isPresent()) {
            return ScimException.badRequest(scimType, value + " of the request is out of range, malformed, or holds "
                    + "a character the database cannot store (SQLSTATE " + data.get() + ")");
        }
        if (sqlState(e, TOO_LONG::equals).isPresent()) {
            return ScimException.badRequest(scimType, value + " of the request is too long for the directory to "
                    + "store (SQLSTATE " + TOO_LONG + ")");
        }
        return e;
    }

    /** A search whose refused values can only come from its filter: 400 {@code invalidFilter}. */
    static <T> T refusingFilterValues(Supplier<T> search) {
        try {
            return search.get();
        } catch (RuntimeException e) {
            throw asRefusedValue(e, ScimType.INVALID_FILTER);
        }
    }
}
