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

    /**
     * The driver sets the session's time zone to the JVM's. Where a day begins at 01:00 (Chile moves its
     * clocks at midnight), a series of days stepped in that zone ended a day short, so a day without
     * upkeep around such a date left the next day's requests without a partition.
     */
    @Test
    void everyDayAheadIsMadeWhateverTheSessionsTimeZone() throws SQLException {
        try (ScratchDatabase scratch = ScratchDatabase.atVersion("latest")) {
            scratch.execute("SET TimeZone = 'America/Santiago'; "
                    + "SELECT provisioning_log_upkeep(DATE '2026-09-04', 3, '-infinity')");
            assertThat(scratch.text("SELECT string_agg(c.relname, ',' ORDER BY c.relname) FROM pg_inherits i "
                    + "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'provisioning_log'::regclass "
                    + "AND c.relname BETWEEN 'provisioning_log_20260901' AND 'provisioning_log_20260930'"))
                    .isEqualTo("provisioning_log_20260904,provisioning_log_20260905,provisioning_log_20260906,"
                            + "provisioning_log_20260907");
        }
    }
}
