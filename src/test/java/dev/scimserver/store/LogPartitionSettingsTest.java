package dev.scimserver.store;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The log's partitions carry V23's autovacuum settings, those made before the upgrade and those the
 * upkeep makes after it: a partition does not inherit them from its parent.
 */
class LogPartitionSettingsTest {
    /** Each partition as {@code name reloptions statistics-of-bodies/statistics-of-status}, in name order. */
    private static final String SETTINGS = "SELECT string_agg(c.relname || ' ' || array_to_string(c.reloptions, ',') "
            + "|| ' ' || b.attstattarget || '/' || s.attstattarget, '; ' ORDER BY c.relname) "
            + "FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            + "JOIN pg_attribute b ON b.attrelid = c.oid AND b.attname = 'response_body' "
            + "JOIN pg_attribute s ON s.attrelid = c.oid AND s.attname = 'status' "
            + "WHERE i.inhparent = 'provisioning_log'::regclass";

    @Test
    void partitionsMadeBeforeAndAfterTheUpgradeSkipInsertVacuumsAndTheBodiesStatistics() throws SQLException {
        try (ScratchDatabase scratch = ScratchDatabase.atVersion("22")) {
            scratch.execute("SELECT provisioning_log_upkeep(DATE '2031-03-01', 0, '-infinity')");

            scratch.migrate();
            scratch.execute("SELECT provisioning_log_upkeep(DATE '2031-03-02', 0, '-infinity')");

            String settings = scratch.text(SETTINGS);
            assertThat(settings.split("; ")).hasSizeGreaterThanOrEqualTo(3)
                    .allMatch(partition -> partition.endsWith(" autovacuum_vacuum_insert_threshold=-1 0/20"));
            assertThat(settings).contains("provisioning_log_20310301 ", "provisioning_log_20310302 ");
            // The status class's index samples its expression as the table samples its columns.
            assertThat(scratch.text("SELECT string_agg(DISTINCT a.attstattarget::text, ',') FROM pg_inherits p "
                    + "JOIN pg_index i ON i.indrelid = p.inhrelid AND i.indexprs IS NOT NULL "
                    + "JOIN pg_attribute a ON a.attrelid = i.indexrelid AND a.attname = 'expr' "
                    + "WHERE p.inhparent = 'provisioning_log'::regclass")).isEqualTo("20");
        }
    }

    @Test
    void theBodiesAreCompressedWithLz4WhereTheServerHasIt() throws SQLException {
        try (ScratchDatabase scratch = ScratchDatabase.atVersion("23")) {
            String expected = scratch.text("SELECT CASE WHEN 'lz4' = ANY (enumvals) THEN 'l' ELSE '' END "
                    + "FROM pg_settings WHERE name = 'default_toast_compression'");
            scratch.execute("SELECT provisioning_log_upkeep(DATE '2031-03-02', 0, '-infinity')");

            assertThat(scratch.text("SELECT string_agg(DISTINCT a.attcompression::text, ',') FROM pg_attribute a "
                    + "JOIN pg_inherits i ON i.inhrelid = a.attrelid AND i.inhparent = 'provisioning_log'::regclass "
                    + "WHERE a.attname IN ('request_body', 'response_body')")).isEqualTo(expected);
        }
    }
}
