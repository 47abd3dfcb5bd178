package dev.scimserver.store;

import dev.scimserver.access.ChangeOrigin;
import dev.scimserver.access.CredentialsUnavailableException;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

import javax.sql.DataSource;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The credential stores' way to the database: Jdbi on the pool, with a lost connection turned into
 * {@link CredentialsUnavailableException} (a 503, never a 401), and the time conversions they share.
 */
final class CredentialDatabase {
    private final Jdbi jdbi;
    private final LostCommits lostCommits;

    CredentialDatabase(DataSource dataSource) {
        this.jdbi = Statements.jdbi(dataSource);
        this.lostCommits = new LostCommits(dataSource, jdbi);
    }

    /** One statement or several in autocommit. */
    <T> T withHandle(HandleCallback<T, RuntimeException> work) {
        return translatingFailures(() -> jdbi.withHandle(work));
    }

    /** One transaction. */
    <T> T inTransaction(HandleCallback<T, RuntimeException> work) {
        return translatingFailures(() -> jdbi.inTransaction(work));
    }

    /**
     * A write: with an origin, one transaction whose changes the journal triggers attribute to it (the
     * settings end with the transaction); without, as {@link #withHandle}.
     */
    <T> T write(ChangeOrigin by, HandleCallback<T, RuntimeException> work) {
        return by == null ? withHandle(work) : writeTogether(by, work);
    }

    /**
     * Several statements in one transaction, attributed to {@code by} when it is not {@code null}, and
     * then settled by its journal rows should its COMMIT lose its connection ({@link LostCommits}).
     */
    <T> T writeTogether(ChangeOrigin by, HandleCallback<T, RuntimeException> work) {
        if (by == null) {
            return inTransaction(work);
        }
        return lostCommits.settled(by.requestId(), CredentialsUnavailableException.class,
                attempt -> inTransaction(handle -> {
                    JournalSettings.describe(handle, by.credential(), by.requestId(), by.request(),
                            attempt.commitKey());
                    return attempt.keep(work.withHandle(handle));
                }));
    }

    private static <T> T translatingFailures(Supplier<T> work) {
        try {
            return work.get();
        } catch (ConnectionException e) {
            throw new CredentialsUnavailableException("no database connection came free: the database cannot be "
                    + "reached, or every connection of the pool stayed busy", e);
        } catch (RuntimeException e) {
            Optional<String> unavailable = SqlFaults.unavailability(e);
            if (unavailable.isPresent()) {
                throw new CredentialsUnavailableException(unavailable.get(), e);
            }
            throw e;
        }
    }

    /** {@code null} for SQL NULL. */
    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** {@code null} for {@code null}. */
    static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
