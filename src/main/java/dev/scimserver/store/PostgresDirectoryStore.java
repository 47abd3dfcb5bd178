package dev.scimserver.store;

import dev.scimserver.directory.Actor;
import dev.scimserver.directory.ConcurrentChangeException;
import dev.scimserver.directory.DirectoryStore;
import dev.scimserver.directory.DirectoryTransaction;
import dev.scimserver.directory.DirectoryUnavailableException;
import dev.scimserver.directory.TransactionAbortedException;
import dev.scimserver.scim.ScimType;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.jdbi.v3.core.statement.StatementException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The directory on PostgreSQL, through Jdbi; one callback is one READ COMMITTED transaction (the
 * pool sets the level once per connection: naming it per transaction made Jdbi read and restore it
 * with six extra round trips each time), or,
 * inside {@link #inSingleCommit}, one savepoint of the shared transaction.
 */
public final class PostgresDirectoryStore implements DirectoryStore {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresDirectoryStore.class);
    /** How often a write (one transaction or a single commit) runs at most while concurrent ones keep undoing it. */
    static final int WRITE_ATTEMPTS = 3;
    /**
     * The pause before the nth rerun is drawn from [n, 2n) times this: long enough for the transaction
     * that won to commit, and random, so that two victims of one deadlock do not meet again in step.
     */
    private static final long RERUN_PAUSE_MILLIS = 25;

    /** How long the health probe's own connection may take to open and to answer. */
    private static final int OUTSIDE_THE_POOL_SECONDS = 2;

    private final DataSource dataSource;
    private final Jdbi jdbi;
    private final LostCommits lostCommits;
    private final SettledRows settled = new SettledRows();
    private final KnownTotals totals = new KnownTotals();
    /** The open transaction of the {@link #inSingleCommit} running on this thread, if any. */
    private final ThreadLocal<SingleCommit> batch = new ThreadLocal<>();

    /**
     * A single-commit transaction: whether its operations take savepoints, whether an earlier
     * operation's savepoint is still open in it, and what undid it, once something has.
     */
    private static final class SingleCommit {
        final Handle handle;
        final boolean savepoints;
        boolean savepointOpen;
        /** Every later operation, and the commit, fail with it: an operation may not swallow the end of its transaction. */
        TransactionAbortedException abortedBy;

        SingleCommit(Handle handle, boolean savepoints) {
            this.handle = handle;
            this.savepoints = savepoints;
        }
    }

    /** An operation failed in a single commit run without savepoints: the run is undone and replayed with them. */
    private static final class OptimismFailed extends TransactionAbortedException {
        OptimismFailed(RuntimeException cause) {
            super("an operation failed in a single commit without savepoints", cause);
        }
    }

    public PostgresDirectoryStore(DataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbi = Statements.jdbi(dataSource);
        this.lostCommits = new LostCommits(dataSource, jdbi);
    }

    /** A value of the request the database refuses is the client's 400, in each operation of a Bulk too. */
    @Override
    public <T> T inTransaction(Actor actor, Function<DirectoryTransaction, T> work) {
        return transaction(actor, work);
    }

    @Override
    public <T> T readStreaming(Function<DirectoryTransaction, T> work) {
        return transaction(null, work);
    }

    /**
     * {@code work} in a transaction of its own, or in a savepoint of the single commit running on
     * this thread (which told the journal who acts when it began); {@code actor} null for a read.
     */
    private <T> T transaction(Actor actor, Function<DirectoryTransaction, T> work) {
        SingleCommit shared = batch.get();
        if (shared != null) {
            return inSavepoint(shared, work);
        }
        if (actor == null) {
            return translatingFailures(() -> jdbi.inTransaction(handle -> work.apply(
                    new PostgresTransaction(handle, settled, totals, null, null))));
        }
        return rerunWhenUndone(() -> committed(actor, attempt -> jdbi.inTransaction(handle -> attempt.keep(work.apply(
                new PostgresTransaction(handle, settled, totals, actor, attempt.commitKey()))))));
    }

    /**
     * {@code write}, run again from the start after a short random pause when a concurrent transaction
     * undid it (a deadlock, a serialization failure, a lock order the write found broken), at most
     * {@link #WRITE_ATTEMPTS} times in all: what PostgreSQL asks of a client its transaction loses to,
     * done here rather than handed to the identity provider as a 503. Safe because nothing of an undone
     * run stays and a write builds its results afresh on each run (passwords are hashed before it).
     */
    private static <T> T rerunWhenUndone(Supplier<T> write) {
        for (int attempt = 1; ; attempt++) {
            try {
                return write.get();
            } catch (ConcurrentChangeException e) {
                if (attempt == WRITE_ATTEMPTS) {
                    throw e;
                }
                pauseBeforeRerun(attempt, e);
            }
        }
    }

    /** A write of {@code actor}, settled by its journal rows should its COMMIT lose its connection. */
    private <T> T committed(Actor actor, Function<LostCommits.Attempt<T>, T> transaction) {
        return lostCommits.settled(actor.requestId(), DirectoryUnavailableException.class,
                attempt -> translatingFailures(() -> transaction.apply(attempt)));
    }

    @Override
    public <T> T read(Function<DirectoryTransaction, T> work) {
        if (batch.get() != null) {
            return transaction(null, work);
        }
        // The pool hands out connections in autocommit: each statement is its own transaction.
        return translatingFailures(() -> jdbi.withHandle(handle -> work.apply(
                new PostgresTransaction(handle, settled, totals))));
    }

    /**
     * First without savepoints, on the bet that no operation fails (what an IdP's Bulk of creates
     * does): each operation then costs only its own statements. The first operation that fails
     * undoes the whole run, which is replayed from the start with a savepoint per operation, so a
     * failure undoes only its own operation. {@code work} builds its results afresh on each run.
     *
     * <p>A deadlock or a serialization failure ends the whole transaction, not one operation's
     * savepoint: rolled back to its savepoint, the victim would still hold the locks its earlier
     * operations took, and the transaction it lost to would still wait for them. So the whole run is
     * undone and, after a short random pause, run again from the start, a bounded number of times.
     */
    @Override
    public <T> T inSingleCommit(Actor actor, Supplier<T> work) {
        if (batch.get() != null) {
            return work.get();
        }
        return rerunWhenUndone(() -> withSavepointsAfterAFailure(actor, work));
    }

    private <T> T withSavepointsAfterAFailure(Actor actor, Supplier<T> work) {
        try {
            return singleCommit(actor, work, false);
        } catch (OptimismFailed e) {
            return singleCommit(actor, work, true);
        }
    }

    private <T> T singleCommit(Actor actor, Supplier<T> work, boolean savepoints) {
        return committed(actor, attempt -> jdbi.inTransaction(handle -> {
            JournalSettings.describe(handle, actor, attempt.commitKey());
            SingleCommit commit = new SingleCommit(handle, savepoints);
            batch.set(commit);
            try {
                T result = work.get();
                if (commit.abortedBy != null) {
                    throw commit.abortedBy;
                }
                return attempt.keep(result);
            } finally {
                batch.remove();
            }
        }));
    }

    private static void pauseBeforeRerun(int attempt, ConcurrentChangeException cause) {
        LOG.info("write undone ({}); running it again, attempt {} of {}", cause.getMessage(), attempt + 1,
                WRITE_ATTEMPTS);
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(attempt * RERUN_PAUSE_MILLIS,
                    2 * attempt * RERUN_PAUSE_MILLIS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw cause;
        }
    }

    /**
     * One operation of a single-commit batch. Without savepoints, its failure ends the run (see
     * {@link #inSingleCommit}). With them, it has its own savepoint, so a failure undoes only it; the
     * previous operation's savepoint is released in the same round trip that opens this one, and the
     * last one goes with the commit. Released, not stacked: PostgreSQL walks the stack of open
     * savepoints on every row-visibility check. A failure that ends the whole transaction (a lost
     * connection, a deadlock) ends the run either way.
     */
    private <T> T inSavepoint(SingleCommit commit, Function<DirectoryTransaction, T> work) {
        if (commit.abortedBy != null) {
            throw commit.abortedBy;
        }
        Handle handle = commit.handle;
        if (!commit.savepoints) {
            try {
                return work.apply(new PostgresTransaction(handle, settled, totals));
            } catch (RuntimeException e) {
                throw abort(commit, wholeTransactionFailure(e).orElseGet(() -> new OptimismFailed(e)));
            }
        }
        try {
            handle.execute(commit.savepointOpen ? "RELEASE SAVEPOINT operation; SAVEPOINT operation"
                    : "SAVEPOINT operation");
        } catch (RuntimeException e) {
            throw abort(commit, wholeTransactionFailure(e).orElseGet(() -> unavailable(e)));
        }
        commit.savepointOpen = true;
        try {
            return work.apply(new PostgresTransaction(handle, settled, totals));
        } catch (RuntimeException e) {
            Optional<TransactionAbortedException> whole = wholeTransactionFailure(e);
            if (whole.isPresent()) {
                throw abort(commit, whole.get());
            }
            try {
                // Rolling back to a savepoint keeps it open: the next operation releases it.
                handle.execute("ROLLBACK TO SAVEPOINT operation");
            } catch (RuntimeException rollback) {
                rollback.addSuppressed(e);
                throw abort(commit, wholeTransactionFailure(rollback).orElseGet(() -> unavailable(rollback)));
            }
            throw SqlFaults.asRefusedValue(e, ScimType.INVALID_VALUE);
        }
    }

    private static TransactionAbortedException abort(SingleCommit commit, TransactionAbortedException cause) {
        commit.abortedBy = cause;
        return cause;
    }

    private static <T> T translatingFailures(Supplier<T> work) {
        try {
            return work.get();
        } catch (ConnectionException e) {
            throw new DirectoryUnavailableException("no database connection came free: the database cannot be reached, "
                    + "or every connection of the pool stayed busy", e);
        } catch (RuntimeException e) {
            Optional<TransactionAbortedException> whole = wholeTransactionFailure(e);
            if (whole.isPresent()) {
                throw whole.get();
            }
            throw SqlFaults.asRefusedValue(e, ScimType.INVALID_VALUE);
        }
    }

    /** {@code e} when it already says so, or what it means when the whole transaction is gone with it. */
    private static Optional<TransactionAbortedException> wholeTransactionFailure(RuntimeException e) {
        if (e instanceof TransactionAbortedException aborted) {
            return Optional.of(aborted);
        }
        Optional<String> unavailable = SqlFaults.unavailability(e);
        if (unavailable.isPresent()) {
            return Optional.of(new DirectoryUnavailableException(unavailable.get(), e));
        }
        return SqlFaults.undoneForAConcurrentChange(e).map(TransactionAbortedException.class::cast);
    }

    private static DirectoryUnavailableException unavailable(RuntimeException e) {
        return new DirectoryUnavailableException("the database connection failed", e);
    }

    @Override
    public UUID defaultWorkspaceId() {
        return translatingFailures(() -> settled.defaultWorkspace(jdbi));
    }

    /**
     * Through the pool; when it gives no connection in time, through a connection of its own. The pool
     * times out both when the database is away and when every connection stays busy with requests (a
     * burst of large Bulks on a small pool), and a health probe that took the one for the other would
     * have a busy server, whose database answers, taken out of its balancer or restarted.
     */
    @Override
    public boolean isAvailable() {
        try {
            return jdbi.withHandle(PostgresDirectoryStore::answers);
        } catch (ConnectionException noneCameFree) {
            return answersOutsideThePool();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean answers(Handle handle) {
        return handle.createQuery("SELECT 1").mapTo(Integer.class).one() == 1;
    }

    private boolean answersOutsideThePool() {
        try {
            Optional<Connection> outside = Database.outsideThePool(dataSource, OUTSIDE_THE_POOL_SECONDS);
            if (outside.isEmpty()) {
                return false;
            }
            try (Connection connection = outside.get()) {
                return connection.isValid(OUTSIDE_THE_POOL_SECONDS);
            }
        } catch (SQLException e) {
            return false;
        }
    }
}
