package dev.scimserver.store;

import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every server process of a database keeps the provisioning log's partitions, at its start and every
 * hour: two of them started together (a deployment) make and drop the same days at the same moment.
 * The second must find the first's work done, not fail on a partition the first made or dropped.
 */
class LogUpkeepRaceTest {
    private final DataSource dataSource = CredentialTestDatabase.dataSource();
    private final PostgresProvisioningLog log = new PostgresProvisioningLog(dataSource);

    @Test
    void anUpkeepRunningBesideAnotherFindsItsPartitionsMadeInsteadOfFailing() throws Exception {
        // Far enough ahead that no other test makes these days; both runs make the same three.
        LocalDate from = LocalDate.now(ZoneOffset.UTC).plusYears(40).plusDays((long) (Math.random() * 3000));
        CompletableFuture<Integer> second;
        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement upkeep = other.prepareStatement("SELECT provisioning_log_upkeep(?, 2, '-infinity')")) {
                upkeep.setObject(1, from);
                upkeep.executeQuery().close();
            }
            // The other process has made the days and not yet committed: this one's upkeep begins now.
            second = CompletableFuture.supplyAsync(() -> log.upkeep(from, 2, LocalDate.of(1970, 1, 1)));
            Thread.sleep(500);
            other.commit();
        }
        assertThat(second.get(30, TimeUnit.SECONDS)).isZero();
        try (Connection c = dataSource.getConnection(); Statement sql = c.createStatement();
             ResultSet rs = sql.executeQuery("SELECT count(*) FROM pg_class WHERE relname IN ('provisioning_log_"
                     + from.toString().replace("-", "") + "', 'provisioning_log_"
                     + from.plusDays(2).toString().replace("-", "") + "')")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(2);
        }
    }

    /**
     * Making a partition takes ACCESS EXCLUSIVE on the log (V36), and the log's writer queues behind an
     * upkeep waiting for it: while a read holds the log, the upkeep gives up after its lock timeout
     * instead of waiting, and makes the day once the read is over.
     */
    @Test
    void anUpkeepThatCannotLockTheLogGivesUpAndTheNextMakesTheDay() throws Exception {
        LocalDate day = LocalDate.now(ZoneOffset.UTC).plusYears(60).plusDays((long) (Math.random() * 3000));
        try (Connection reader = dataSource.getConnection()) {
            reader.setAutoCommit(false);
            try (Statement sql = reader.createStatement()) {
                sql.executeQuery("SELECT 1 FROM provisioning_log LIMIT 1").close();
            }
            // Said with the database's reason, which the upkeep's warning repeats.
            assertThatThrownBy(() -> log.upkeep(day, 0, LocalDate.of(1970, 1, 1)))
                    .isInstanceOf(dev.scimserver.activity.LogUpkeepException.class)
                    .hasMessageStartingWith("SQLSTATE 55P03: ").hasMessageContaining("lock timeout");
            reader.commit();
        }
        assertThat(log.upkeep(day, 0, LocalDate.of(1970, 1, 1))).isZero();
        try (Connection c = dataSource.getConnection(); Statement sql = c.createStatement();
             ResultSet rs = sql.executeQuery("SELECT to_regclass('provisioning_log_"
                     + day.toString().replace("-", "") + "') IS NOT NULL")) {
            rs.next();
            assertThat(rs.getBoolean(1)).isTrue();
        }
    }
}
