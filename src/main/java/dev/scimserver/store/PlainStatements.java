package dev.scimserver.store;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.postgresql.PGStatement;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The statements every write of users and groups runs (its locked read with the role policy, the
 * policy a create reads, the inserts, the updates, the member locks and the membership rows) and the
 * rows of a search's page ({@link #list}), sent on the transaction's connection with their values
 * bound by position; those written with names are made positional once ({@link NamedSql}). For each
 * statement Jdbi copies its configuration, parses the named parameters, looks up an argument factory
 * per value and runs its customizers: on these statements that was a large share of the server's CPU
 * (bench/RESULTS.md, 2026-12-05). Other reads, and every other statement, stay with Jdbi. A failure
 * comes out as Jdbi's would, the driver's SQLException inside an UnableToExecuteStatementException
 * naming the statement (never its values), so a unique violation is still the client's 409 and an
 * outage still the transaction's.
 */
final class PlainStatements {
    private final Handle handle;
    private final JournalSettings journal;

    PlainStatements(Handle handle, JournalSettings journal) {
        this.handle = handle;
        this.journal = journal;
    }

    /** Runs {@code sql}, its {@code ?} bound to {@code values} in order; the rows it changed. */
    int update(String sql, Object... values) {
        journal.sendPending();
        try (PreparedStatement statement = prepare(sql, values)) {
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    /**
     * Runs the statements of {@code rows}, all of one statement, as one batch: the driver sends them
     * together and waits once. Answers the rows each changed.
     */
    int[] batch(NamedSql statement, List<NamedSql.Values> rows) {
        journal.sendPending();
        try (PreparedStatement batch = handle.getConnection().prepareStatement(statement.sql())) {
            for (NamedSql.Values row : rows) {
                bindAll(handle.getConnection(), batch, row.positional());
                batch.addBatch();
            }
            return batch.executeBatch();
        } catch (SQLException e) {
            throw failed(statement.sql(), e);
        }
    }

    /** The first row the statement of {@code values} returns, read by {@code reader}; empty when none. */
    <T> Optional<T> first(NamedSql.Values values, RowReader<T> reader) {
        journal.sendPending();
        String sql = values.statement().sql();
        try (PreparedStatement statement = prepare(sql, values.positional());
             ResultSet rows = statement.executeQuery()) {
            return rows.next() ? Optional.of(reader.read(rows)) : Optional.empty();
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    /** The first column of every row the statement of {@code values} returns, each a UUID. */
    List<UUID> uuids(NamedSql.Values values) {
        return uuids(values.statement().sql(), values.positional());
    }

    /** The first column of every row {@code sql} returns, each a UUID. */
    List<UUID> uuids(String sql, Object... values) {
        journal.sendPending();
        try (PreparedStatement statement = prepare(sql, values); ResultSet rows = statement.executeQuery()) {
            List<UUID> found = new ArrayList<>();
            while (rows.next()) {
                found.add(rows.getObject(1, UUID.class));
            }
            return found;
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    private static UnableToExecuteStatementException failed(String sql, SQLException e) {
        return new UnableToExecuteStatementException(e.getMessage() + " [statement: \"" + sql + "\"]", e, null);
    }

    /**
     * Every row {@code sql} returns on {@code connection}, its {@code ?} bound to {@code values} in
     * order, each read by {@code reader}; planned for its values on every run when {@code
     * plannedPerValue} (as {@link PageSql#planForValues} has Jdbi do). A read: nothing of the journal's
     * is sent with it.
     */
    static <T> List<T> list(Connection connection, String sql, List<Object> values, boolean plannedPerValue,
                            RowReader<T> reader) {
        try (PreparedStatement statement = prepare(connection, sql, values.toArray())) {
            if (plannedPerValue) {
                statement.unwrap(PGStatement.class).setPrepareThreshold(0);
            }
            try (ResultSet rows = statement.executeQuery()) {
                List<T> read = new ArrayList<>();
                while (rows.next()) {
                    read.add(reader.read(rows));
                }
                return read;
            }
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    private PreparedStatement prepare(String sql, Object[] values) throws SQLException {
        return prepare(handle.getConnection(), sql, values);
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object[] values) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            bindAll(connection, statement, values);
            return statement;
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
    }

    private static void bindAll(Connection connection, PreparedStatement statement, Object[] values)
            throws SQLException {
        for (int i = 0; i < values.length; i++) {
            bind(connection, statement, i + 1, values[i]);
        }
    }

    /** Each value as Jdbi binds it: text as varchar, a null text as a null varchar, UUIDs as uuid. */
    private static void bind(Connection connection, PreparedStatement statement, int index, Object value)
            throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else if (value instanceof String text) {
            statement.setString(index, text);
        } else if (value instanceof Long number) {
            statement.setLong(index, number);
        } else if (value instanceof BigDecimal number) {
            statement.setBigDecimal(index, number);
        } else if (value instanceof Boolean flag) {
            statement.setBoolean(index, flag);
        } else if (value instanceof UUID id) {
            statement.setObject(index, id);
        } else if (value instanceof UUID[] ids) {
            statement.setArray(index, connection.createArrayOf("uuid", ids));
        } else if (value instanceof OffsetDateTime time) {
            statement.setObject(index, time);
        } else if (value instanceof Integer number) {
            statement.setInt(index, number);
        } else {
            throw new IllegalArgumentException("no plain binding for " + value.getClass().getName());
        }
    }

    /** Reads one row of a result, at the row the result stands on. */
    @FunctionalInterface
    interface RowReader<T> {
        T read(ResultSet row) throws SQLException;
    }
}
