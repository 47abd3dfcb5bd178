package dev.scimserver.store;

import dev.scimserver.directory.ConcurrentChangeException;
import dev.scimserver.scim.ScimException;
import dev.scimserver.scim.ScimType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The meaning of PostgreSQL's SQLSTATEs, found behind the exceptions Jdbi and the driver wrap them in. */
class SqlFaultsTest {
    private static final String VALUE = "\u20ac-the-value";

    private static RuntimeException failed(SQLException cause) {
        return new IllegalStateException("statement failed", cause);
    }

    @ParameterizedTest(name = "{0} as {1}")
    @CsvSource({"22P05, INVALID_VALUE", "22008, INVALID_FILTER", "54000, INVALID_VALUE", "54000, INVALID_FILTER"})
    void aRefusedValueIsA400OfItsKindThatDoesNotRepeatTheValue(String state, ScimType scimType) {
        RuntimeException refused = SqlFaults.asRefusedValue(failed(new SQLException("ERROR: " + VALUE, state)), scimType);
        assertThat(refused).isInstanceOfSatisfying(ScimException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.scimType()).contains(scimType);
            assertThat(e.detail()).contains(state).doesNotContain(VALUE);
        });
    }

    @Test
    void aSearchThatMeetsADataExceptionIsInvalidFilter() {
        RuntimeException failure = failed(new SQLException("ERROR: " + VALUE, "22007"));
        assertThatThrownBy(() -> SqlFaults.<Object>refusingFilterValues(() -> {
            throw failure;
        })).isInstanceOfSatisfying(ScimException.class,
                e -> assertThat(e.scimType()).contains(ScimType.INVALID_FILTER));
    }

    /** A state of the database's own that passes: nothing of the work was applied, and a retry may succeed. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"25006, takes no writes", "53100, disk full", "53300, too many connections", "58030, I/O error"})
    void aDatabaseThatCannotDoTheWorkForNowIsUnavailable(String state, String meaning) {
        RuntimeException failure = failed(new SQLException("ERROR: " + meaning + "\n  Where: a line", state));
        assertThat(SqlFaults.unavailability(failure)).hasValueSatisfying(why -> assertThat(why)
                .contains("SQLSTATE " + state + ": ERROR: " + meaning + ")").contains("nothing of"));
        assertThat(SqlFaults.asRefusedValue(failure, ScimType.INVALID_VALUE)).isSameAs(failure);
    }

    /**
     * Out of memory, or past temp_file_limit: what the statement asks has as much part in it as the
     * database's state, and a retry would meet it every time, so it is no "retry later" (503).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"53200, out of memory", "53400, temporary file size exceeds temp_file_limit"})
    void aLimitTheStatementItselfMeetsIsNotUnavailability(String state, String meaning) {
        assertThat(SqlFaults.unavailability(failed(new SQLException("ERROR: " + meaning, state)))).isEmpty();
    }

    @Test
    void otherFailuresAreLeftAsTheyAre() {
        RuntimeException unique = failed(new SQLException("duplicate", "23505"));
        assertThat(SqlFaults.asRefusedValue(unique, ScimType.INVALID_VALUE)).isSameAs(unique);
        assertThat(SqlFaults.isConnectionFailure(unique)).isFalse();
        assertThat(SqlFaults.undoneForAConcurrentChange(unique)).isEmpty();
        assertThat(SqlFaults.unavailability(unique)).isEmpty();
    }

    @Test
    void theStatementsOwnFailureIsFoundBehindABatch() {
        BatchUpdateException batch = new BatchUpdateException("batch entry 0 was aborted", "23505", new int[0]);
        SQLException own = new SQLException("ERROR: duplicate key", "23505");
        batch.setNextException(own);
        assertThat(SqlFaults.find(failed(batch), SQLException.class, "23505"::equals)).containsSame(batch);
        assertThat(SqlFaults.find(failed(batch), OwnReport.class, "23505"::equals)).isEmpty();
        OwnReport report = new OwnReport();
        batch.setNextException(report);
        assertThat(SqlFaults.find(failed(batch), OwnReport.class, "23505"::equals)).containsSame(report);
    }

    /** Stands for the driver's PSQLException, the only one that carries the server's report. */
    private static final class OwnReport extends SQLException {
        OwnReport() {
            super("ERROR: duplicate key", "23505");
        }
    }

    @Test
    void aLostConnectionIsClass08OrThePoolsTimeout() {
        assertThat(SqlFaults.isConnectionFailure(failed(new SQLException("I/O error", "08006")))).isTrue();
        assertThat(SqlFaults.isConnectionFailure(new IllegalStateException(
                new SQLTransientConnectionException("Connection is not available")))).isTrue();
    }

    @Test
    void aLostConnectionAndACancelledStatementMakeTheDatabaseUnavailable() {
        assertThat(SqlFaults.unavailability(failed(new SQLException("I/O error", "08006"))))
                .contains("the database connection failed");
        assertThat(SqlFaults.unavailability(failed(new SQLException("canceling statement due to statement timeout",
                "57014")))).hasValueSatisfying(why -> assertThat(why).contains("PostgreSQL cancelled a statement"));
        assertThat(SqlFaults.unavailability(failed(new SQLException("duplicate", "23505")))).isEmpty();
    }

    @Test
    void aDeadlockAndASerializationFailureUndoTheTransaction() {
        assertThat(SqlFaults.undoneForAConcurrentChange(failed(new SQLException("deadlock detected", "40P01"))))
                .get().extracting(ConcurrentChangeException::getMessage).asString().contains("deadlock");
        assertThat(SqlFaults.undoneForAConcurrentChange(failed(new SQLException("could not serialize", "40001"))))
                .get().extracting(ConcurrentChangeException::getMessage).asString().contains("serialization failure");
    }
}
