package dev.scimserver.store;

import dev.scimserver.directory.CommitOutcomeUnknownException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Settles a journalled write whose COMMIT lost its connection. The connection can fail during the
 * COMMIT after PostgreSQL has made it durable (a server shutting down commits, then drops its
 * connections before it answers), and a client told "unavailable" would send again a change that is
 * there: its POST met its own user (409), its new workspace's slug was taken by itself. The write told
 * the journal a random commit key with its request id, and its journal rows carry both. So when the work
 * had returned and only the COMMIT failed, those rows, looked for over a new connection, say whether
 * it was applied: found, the work's result is the answer; not found, nothing of it was applied (a
 * change that wrote no journal row changed nothing the journal follows); not looked for, as the
 * database is still away, the answer says the outcome is unknown.
 */
final class LostCommits {
    private static final Logger LOG = LoggerFactory.getLogger(LostCommits.class);

    /** How long opening the connection that asks, and its answer, may each take. */
    private static final int ASKING_SECONDS = 5;

    private final DataSource dataSource;
    private final Jdbi jdbi;

    LostCommits(DataSource dataSource, Jdbi jdbi) {
        this.dataSource = dataSource;
        this.jdbi = jdbi;
    }

    /**
     * One write transaction's attempt: the commit key its journal rows carry, and what its work
     * returned, once it has (what is left of the transaction then is its COMMIT).
     */
    static final class Attempt<T> {
        private final UUID commitKey = UUID.randomUUID();
        private boolean returned;
        private T value;

        UUID commitKey() {
            return commitKey;
        }

        T keep(T result) {
            returned = true;
            value = result;
            return result;
        }
    }

    /**
     * The result of {@code transaction}, a write of the request {@code requestId} that tells the journal
     * its attempt's commit key; {@code lostConnection} is what its store throws for a connection that failed.
     */
    <T> T settled(String requestId, Class<? extends RuntimeException> lostConnection,
                  Function<Attempt<T>, T> transaction) {
        Attempt<T> attempt = new Attempt<>();
        try {
            return transaction.apply(attempt);
        } catch (RuntimeException e) {
            if (!lostConnection.isInstance(e) || !attempt.returned || requestId == null) {
                throw e;
            }
            boolean applied;
            try {
                applied = applied(requestId, attempt.commitKey());
            } catch (SQLException | RuntimeException stillAway) {
                e.addSuppressed(stillAway);
                throw new CommitOutcomeUnknownException("the connection failed during the COMMIT and the database "
                        + "could not be asked whether it was applied (" + stillAway + ")", e);
            }
            if (!applied) {
                throw e;
            }
            LOG.warn("request {}: the connection failed during the COMMIT, which the change journal shows applied",
                    requestId);
            return attempt.value;
        }
    }

    /**
     * Whether the journal holds the attempt's rows, asked over a connection of its own: a connection
     * that failed seldom fails alone (a restart, or an operator ending the server's sessions, ends the
     * pool's idle ones too), and the pool hands out one used within the last half second unchecked.
     */
    private boolean applied(String requestId, UUID commitKey) throws SQLException {
        Optional<Connection> outside = Database.outsideThePool(dataSource, ASKING_SECONDS);
        try (Connection own = outside.orElse(null); Handle handle = own != null ? Jdbi.open(own) : jdbi.open()) {
            return handle.createQuery("SELECT EXISTS (SELECT 1 FROM change_journal WHERE request_id = :requestId "
                            + "AND commit_key = :commitKey)")
                    .bind("requestId", requestId).bind("commitKey", commitKey).mapTo(Boolean.class).one();
        }
    }
}
