package dev.scimserver.store;

import dev.scimserver.directory.ChangeContext;
import dev.scimserver.directory.DirectoryStore;
import dev.scimserver.directory.DirectoryTransaction;
import dev.scimserver.directory.DirectoryUnavailableException;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import javax.sql.DataSource;
import java.sql.SQLTransientConnectionException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The directory on PostgreSQL, through Jdbi; one callback is one READ COMMITTED transaction (the
 * pool sets the level once per connection: naming it per transaction made Jdbi read and restore it
 * with six extra round trips each time), or,
 * inside {@link #inSingleCommit}, one savepoint of the shared transaction.
 */
public final class PostgresDirectoryStore implements DirectoryStore {
    private final Jdbi jdbi;
    private final SettledRows settled = new SettledRows();
    /** The open transaction of the {@link #inSingleCommit} running on this thread, if any. */
    private final ThreadLocal<SingleCommit> batch = new ThreadLocal<>();

    /**
     * A single-commit transaction: whether its operations take savepoints, and whether an earlier
     * operation's savepoint is still open in it.
     */
    private static final class SingleCommit {
        final Handle handle;
        final boolean savepoints;
        boolean savepointOpen;

        SingleCommit(Handle handle, boolean savepoints) {
            this.handle = handle;
            this.savepoints = savepoints;
        }
    }

    /** An operation failed in a single commit run without savepoints: the run is undone and replayed with them. */
    private static final class OptimismFailed extends RuntimeException {
        OptimismFailed(RuntimeException cause) {
            super(cause);
        }
    }

    public PostgresDirectoryStore(DataSource dataSource) {
        this.jdbi = Jdbi.create(dataSource);
    }

    @Override
    public <T> T inTransaction(Function<DirectoryTransaction, T> work) {
        SingleCommit shared = batch.get();
        if (shared != null) {
            return inSavepoint(shared, work);
        }
        return translatingFailures(() -> jdbi.inTransaction(handle -> work.apply(
                new PostgresTransaction(handle, settled, ChangeContext.current().orElse(null)))));
    }

    @Override
    public <T> T read(Function<DirectoryTransaction, T> work) {
        if (batch.get() != null) {
            return inTransaction(work);
        }
        // The pool hands out connections in autocommit: each statement is its own transaction.
        return translatingFailures(() -> jdbi.withHandle(handle ->
                work.apply(new PostgresTransaction(handle, settled))));
    }

    /**
     * First without savepoints, on the bet that no operation fails (what an IdP's Bulk of creates
     * does): each operation then costs only its own statements. The first operation that fails
     * undoes the whole run, which is replayed from the start with a savepoint per operation, so a
     * failure undoes only its own operation. {@code work} builds its results afresh on each run.
     */
    @Override
    public <T> T inSingleCommit(Supplier<T> work) {
        if (batch.get() != null) {
            return work.get();
        }
        try {
            return singleCommit(work, false);
        } catch (OptimismFailed e) {
            return singleCommit(work, true);
        }
    }

    private <T> T singleCommit(Supplier<T> work, boolean savepoints) {
        return translatingFailures(() -> jdbi.inTransaction(handle -> {
            ChangeContext.current().ifPresent(context -> PostgresTransaction.describeChanges(handle, context));
            batch.set(new SingleCommit(handle, savepoints));
            try {
                return work.get();
            } finally {
                batch.remove();
            }
        }));
    }

    /**
     * One operation of a single-commit batch. Without savepoints, its failure ends the run (see
     * {@link #inSingleCommit}). With them, it has its own savepoint, so a failure undoes only it; the
     * previous operation's savepoint is released in the same round trip that opens this one, and the
     * last one goes with the commit. Released, not stacked: PostgreSQL walks the stack of open
     * savepoints on every row-visibility check.
     */
    private <T> T inSavepoint(SingleCommit batch, Function<DirectoryTransaction, T> work) {
        Handle handle = batch.handle;
        if (!batch.savepoints) {
            try {
                return work.apply(new PostgresTransaction(handle, settled));
            } catch (RuntimeException e) {
                throw new OptimismFailed(e);
            }
        }
        handle.execute(batch.savepointOpen ? "RELEASE SAVEPOINT operation; SAVEPOINT operation" : "SAVEPOINT operation");
        batch.savepointOpen = true;
        try {
            return work.apply(new PostgresTransaction(handle, settled));
        } catch (RuntimeException e) {
            // Rolling back to a savepoint keeps it open: the next operation releases it.
            handle.execute("ROLLBACK TO SAVEPOINT operation");
            throw e;
        }
    }

    private static <T> T translatingFailures(Supplier<T> work) {
        try {
            return work.get();
        } catch (ConnectionException e) {
            throw new DirectoryUnavailableException("the database cannot be reached", e);
        } catch (RuntimeException e) {
            if (isConnectionFailure(e)) {
                throw new DirectoryUnavailableException("the database connection failed", e);
            }
            throw e;
        }
    }

    static boolean isConnectionFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) {
                return true;
            }
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null
                    && sql.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean isAvailable() {
        try {
            return jdbi.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one() == 1);
        } catch (RuntimeException e) {
            return false;
        }
    }
}
