package dev.scimserver.store;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The database while it opens on a thread of its own (the embedded PostgreSQL starting, the
 * migrations running), and a {@link DataSource} that the stores can be built on meanwhile: a
 * connection asked for before the database is ready waits for it. On a restart, opening the
 * database and building the web layer are the two halves of the time to the first answer, and
 * neither needs the other.
 */
public final class OpeningDatabase implements DataSource {
    private final CompletableFuture<Database> opening;

    private OpeningDatabase(CompletableFuture<Database> opening) {
        this.opening = opening;
    }

    /** Starts opening the database with {@code opener} on a daemon thread. */
    public static OpeningDatabase start(Supplier<Database> opener) {
        CompletableFuture<Database> opening = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                opening.complete(opener.get());
            } catch (Throwable e) {
                opening.completeExceptionally(e);
            }
        }, "database-opening");
        thread.setDaemon(true);
        thread.start();
        return new OpeningDatabase(opening);
    }

    /** The database once it is open; what opening it threw, as it threw it. */
    public Database await() {
        try {
            return opening.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * Closes the database when the server failed to start around it, once it has opened; waits for the
     * opening to end, since a close left to the opening thread would race the process's exit and could
     * leave the embedded PostgreSQL running after it.
     */
    public void closeWhenOpen() {
        try {
            opening.join().close();
        } catch (CompletionException e) {
            // It never opened: there is nothing to close, and the start's own failure is what is reported.
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        return await().dataSource().getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return await().dataSource().getConnection(username, password);
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return await().dataSource().getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        await().dataSource().setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        await().dataSource().setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return await().dataSource().getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return await().dataSource().getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : await().dataSource().unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || await().dataSource().isWrapperFor(type);
    }
}
