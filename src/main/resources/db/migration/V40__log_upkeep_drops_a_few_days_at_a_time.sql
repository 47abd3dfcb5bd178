-- An upkeep dropped every day past the retention in one transaction, and each partition dropped holds
-- about thirteen locks (the table, its indexes, its TOAST table) until the commit. Retention lowered by
-- a few years (3650 to 30 days) asked for tens of thousands of locks: PostgreSQL's shared lock table
-- ran out, the upkeep failed every hour, the partitions of the days ahead it makes in the same
-- transaction were never made, and the SCIM writes running beside it failed with "out of shared
-- memory" too. One call now drops the oldest 50 days at most; the caller calls again, each call its
-- own transaction, until one drops nothing.
CREATE OR REPLACE FUNCTION provisioning_log_upkeep(from_day date, days_ahead integer, keep_from date) RETURNS integer
    LANGUAGE plpgsql AS $$
DECLARE
    day date;
    partition record;
    dropped integer := 0;
BEGIN
    SET LOCAL lock_timeout = '2s';
    LOCK TABLE provisioning_log IN SHARE UPDATE EXCLUSIVE MODE;
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
        ORDER BY c.relname
        LIMIT 50
    LOOP
        EXECUTE format('DROP TABLE %I', partition.relname);
        dropped := dropped + 1;
    END LOOP;
    RETURN dropped;
END $$;
