package dev.scimserver.store;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A retention lowered by years: every day past it was dropped in one transaction, about thirteen locks a
 * day held to the commit, and PostgreSQL's lock table ran out (the upkeep failed every hour, and the SCIM
 * writes beside it). One call of the function drops a few days; the store calls it until none are left.
 */
class LogUpkeepDropsTest {
    private static final String PARTITIONS = "SELECT count(*) FROM pg_inherits WHERE inhparent = 'provisioning_log'::regclass";

    @Test
    void aRetentionLoweredByMonthsDropsItsDaysAFewPerTransactionAndAllOfThem() throws SQLException {
        try (ScratchDatabase scratch = ScratchDatabase.atVersion("latest")) {
            LocalDate today = LocalDate.of(2031, 3, 2);
            // 120 days as a server kept at a retention of 120 made them, then today and two days ahead.
            scratch.execute("SELECT provisioning_log_upkeep(DATE '2031-03-02' - 120, 119, '-infinity')");
            int before = Integer.parseInt(scratch.text(PARTITIONS));
            // The days the migration made (the real today's) are past the retention as well.
            int past = Integer.parseInt(scratch.text(PARTITIONS.replace("count(*)", "count(*) FILTER (WHERE "
                    + "inhrelid::regclass::text < 'provisioning_log_20310131')")));
            assertThat(past).isGreaterThanOrEqualTo(90);

            assertThat(scratch.text("SELECT provisioning_log_upkeep(DATE '2031-03-02', 2, DATE '2031-03-02' - 30)"))
                    .as("one call's drops").isEqualTo("50");
            int dropped = 50 + new PostgresProvisioningLog(scratch.dataSource()).upkeep(today, 2, today.minusDays(30));

            assertThat(dropped).isEqualTo(past);
            assertThat(Integer.parseInt(scratch.text(PARTITIONS))).isEqualTo(before + 3 - past);
            assertThat(scratch.text("SELECT min(c.relname) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                    + "WHERE i.inhparent = 'provisioning_log'::regclass")).isEqualTo("provisioning_log_20310131");
        }
    }
}
