-- V33 said that creating a partition takes SHARE UPDATE EXCLUSIVE on provisioning_log and lets the
-- log's reads and writes go on. It does not: CREATE TABLE ... PARTITION OF and DROP TABLE of a
-- partition both take ACCESS EXCLUSIVE on the parent (PostgreSQL 15's pg_locks shows it). While the
-- upkeep waits for that lock, the log's writer and every later reader queue behind it, so its wait is
-- how long the log can stall: up to lock_timeout, once an hour, when a long read of the log holds the
-- table. That wait is now 2 s instead of 5 s. An upkeep that does not get the lock in time gives up and
-- the next hour's tries again; the partitions are made two days ahead, so a skipped run loses nothing.
-- The SHARE UPDATE EXCLUSIVE lock taken first still makes two upkeeps wait for each other (it conflicts
-- with itself) while the log stays readable and writable until the first CREATE or DROP.
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
    LOOP
        EXECUTE format('DROP TABLE %I', partition.relname);
        dropped := dropped + 1;
    END LOOP;
    RETURN dropped;
END $$;
