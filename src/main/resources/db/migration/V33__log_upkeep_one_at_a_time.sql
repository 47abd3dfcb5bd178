-- Every server process of the database keeps the log's partitions (at its start and every hour), and
-- two started together run the upkeep at the same moment. Each checked for a day's partition, found
-- none while the other's was not yet committed, and its CREATE TABLE then failed on the name the other
-- had just taken ("relation ... already exists"), or its DROP TABLE on a partition the other had just
-- dropped: the whole upkeep rolled back and waited an hour. Now an upkeep first takes the lock a
-- partition's creation takes anyway (SHARE UPDATE EXCLUSIVE on the parent, which lets the log's reads
-- and writes go on and conflicts with itself), so a second one waits for the first and then finds its
-- work done. Otherwise V23's function, unchanged.
CREATE OR REPLACE FUNCTION provisioning_log_upkeep(from_day date, days_ahead integer, keep_from date) RETURNS integer
    LANGUAGE plpgsql AS $$
DECLARE
    day date;
    partition record;
    dropped integer := 0;
BEGIN
    SET LOCAL lock_timeout = '5s';
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
