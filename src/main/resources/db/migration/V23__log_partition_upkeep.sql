-- What autovacuum does for an ordinary table costs a log partition much and buys it little. A
-- partition is only ever appended to, then dropped whole; it is read through its indexes, with the
-- rows fetched from the heap, never by an index-only scan. So:
--
-- - No vacuum for inserts alone (autovacuum_vacuum_insert_threshold = -1). Such a vacuum reads every
--   page written since the last one to mark it all-visible, which only index-only scans use. A
--   partition still gets the anti-wraparound vacuum, should it live that long.
-- - No statistics on the bodies and the other free text, and a small sample for the rest. ANALYZE
--   samples 300 rows per unit of the largest statistics target, so with the default target it read
--   30,000 pages of bodies each time a tenth of the partition was new, to describe columns no query
--   filters on. The filters' columns (workspace, time, status, method, credential, resource, request
--   id) have few distinct values or are unique; 20 is plenty to choose between their indexes.
-- - The bodies compressed with lz4 where the server is built with it (Debian's and most
--   distributions' are; the embedded binaries are not). A create's entry, its request and its answer,
--   is past the 2 KB at which PostgreSQL compresses a row's long values, and so is every cut body;
--   lz4 does that several times faster than the default pglz, for about the same size.
--
-- These settings are per partition (a new partition does not take them from its parent, and a
-- compression set on the parent does not reach the partitions it already has), so the upkeep
-- function sets them on each partition it makes, and this migration on those already made.
CREATE FUNCTION provisioning_log_partition_settings(partition regclass) RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    col text;
    targets text[] := '{}';
    expression record;
BEGIN
    EXECUTE format('ALTER TABLE %s SET (autovacuum_vacuum_insert_threshold = -1)', partition);
    IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
        targets := ARRAY['ALTER COLUMN request_body SET COMPRESSION lz4', 'ALTER COLUMN response_body SET COMPRESSION lz4'];
    END IF;
    FOR col IN SELECT a.attname FROM pg_attribute a WHERE a.attrelid = partition AND a.attnum > 0
                                                      AND NOT a.attisdropped LOOP
        targets := targets || format('ALTER COLUMN %I SET STATISTICS %s', col,
            CASE WHEN col IN ('request_body', 'response_body', 'query', 'detail', 'path', 'client_address',
                              'scim_type', 'duration_micros', 'request_bytes', 'response_bytes')
                 THEN 0 ELSE 20 END);
    END LOOP;
    EXECUTE format('ALTER TABLE %s %s', partition, array_to_string(targets, ', '));
    -- An index on an expression (V22's status class) has statistics of its own, sampled the same way.
    FOR expression IN SELECT i.indexrelid::regclass AS index, n + 1 AS position FROM pg_index i
                      CROSS JOIN LATERAL generate_series(0, i.indnatts - 1) AS n
                      WHERE i.indrelid = partition AND i.indkey[n] = 0 LOOP
        EXECUTE format('ALTER INDEX %s ALTER COLUMN %s SET STATISTICS 20', expression.index, expression.position);
    END LOOP;
END $$;

CREATE OR REPLACE FUNCTION provisioning_log_upkeep(from_day date, days_ahead integer, keep_from date) RETURNS integer
    LANGUAGE plpgsql AS $$
DECLARE
    day date;
    partition record;
    dropped integer := 0;
BEGIN
    SET LOCAL lock_timeout = '5s';
    FOR day IN SELECT generate_series(from_day, from_day + days_ahead, interval '1 day')::date LOOP
        IF to_regclass('provisioning_log_' || to_char(day, 'YYYYMMDD')) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF provisioning_log FOR VALUES FROM (%L) TO (%L)',
                           'provisioning_log_' || to_char(day, 'YYYYMMDD'),
                           day::timestamp AT TIME ZONE 'UTC', (day + 1)::timestamp AT TIME ZONE 'UTC');
            PERFORM provisioning_log_partition_settings(('provisioning_log_' || to_char(day, 'YYYYMMDD'))::regclass);
        END IF;
    END LOOP;
    FOR partition IN
        SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'provisioning_log'::regclass AND c.relname ~ '^provisioning_log_[0-9]{8}$'
          AND to_date(substr(c.relname, 18), 'YYYYMMDD') < keep_from
    LOOP
        EXECUTE format('DROP TABLE %I', partition.relname);
        dropped := dropped + 1;
    END LOOP;
    RETURN dropped;
END $$;

SELECT provisioning_log_partition_settings(i.inhrelid::regclass)
FROM pg_inherits i WHERE i.inhparent = 'provisioning_log'::regclass;
