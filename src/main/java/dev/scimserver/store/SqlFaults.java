package dev.scimserver.store;

import dev.scimserver.directory.DirectoryTransaction;
import dev.scimserver.scim.ScimException;
import dev.scimserver.scim.ScimType;

import java.sql.SQLException;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The failures of PostgreSQL that a request's values cause, recognised by SQLSTATE and answered as
 * the client's fault. A data exception (class 22: a value out of range, in a format the type
 * refuses, or a character the database's encoding cannot hold) is a 400, {@code invalidFilter}
 * when a search's filter carried the value and {@code invalidValue} otherwise; the detail names
 * the SQLSTATE and never the value, which PostgreSQL's own message quotes.
 */
final class SqlFaults {
    private static final String DATA_EXCEPTION_CLASS = "22";

    private SqlFaults() {
    }

    /** {@code work} with every data exception it meets answered as 400 {@code invalidValue}. */
    static <T> Function<DirectoryTransaction, T> refusingValues(Function<DirectoryTransaction, T> work) {
        return tx -> refusing(ScimType.INVALID_VALUE, () -> work.apply(tx));
    }

    /** A search whose data exceptions can only come from its filter's values: 400 {@code invalidFilter}. */
    static <T> T refusingFilterValues(Supplier<T> search) {
        return refusing(ScimType.INVALID_FILTER, search);
    }

    private static <T> T refusing(ScimType scimType, Supplier<T> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            SQLException data = find(e, SqlFaults::isDataException);
            if (data == null) {
                throw e;
            }
            String value = scimType == ScimType.INVALID_FILTER ? "a filter value" : "a value";
            throw ScimException.badRequest(scimType, value + " of the request is out of range, malformed, or holds "
                    + "a character the database cannot store (SQLSTATE " + data.getSQLState() + ")");
        }
    }

    private static boolean isDataException(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith(DATA_EXCEPTION_CLASS);
    }

    /**
     * The first SQLException behind {@code failure} that {@code wanted} accepts, or null; a batch
     * chains the statement's own as the next exception of the one it throws.
     */
    static SQLException find(Throwable failure, Predicate<SQLException> wanted) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            for (SQLException s = t instanceof SQLException first ? first : null; s != null; s = s.getNextException()) {
                if (wanted.test(s)) {
                    return s;
                }
            }
        }
        return null;
    }
}
