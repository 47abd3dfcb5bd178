-- The days ahead were stepped as timestamps in the session's time zone, which the driver sets to the
-- JVM's: where a day begins at 01:00 because the clocks move at midnight (America/Santiago in
-- September, America/Havana and Atlantic/Azores in March), the series overshot and ended a day short,
-- so around such a date the upkeep made one day ahead instead of two, and a day without upkeep left the
-- next day's requests with no partition to go into. Days are now counted as dates. The rest is V40's.
CREATE OR REPLACE FUNCTION provisioning_log_upkeep(from_day date, days_ahead integer, keep_from date) RETURNS integer
    LANGUAGE plpgsql AS $$
DECLARE
    day date;
    partition record;
    dropped integer := 0;
BEGIN
    SET LOCAL lock_timeout = '2s';
    LOCK TABLE provisioning_log IN SHARE UPDATE EXCLUSIVE MODE;
    FOR day IN SELECT from_day + n FROM generate_series(0, days_ahead) AS n LOOP
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
