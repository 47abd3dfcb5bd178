-- The provisioning log: one row per request to the SCIM API or the token endpoint, written in batches
-- by a background writer, never in the request's transaction. Bodies are stored redacted and cut.
--
-- Partitioned by day on received_at: retention drops whole days (a catalogue change, no dead tuples,
-- no vacuum debt), never a DELETE over millions of rows. The partitions are made ahead and dropped by
-- provisioning_log_upkeep(), which the server calls at start and every hour; keeping that DDL here
-- keeps all DDL in the migrations.
CREATE TABLE provisioning_log (
    id              uuid        NOT NULL,
    received_at     timestamptz NOT NULL,
    -- NULL: refused before any workspace was known (wrong credentials, throttled, switched off).
    workspace_id    uuid,
    credential      text,
    client_address  text,
    method          text        NOT NULL,
    path            text        NOT NULL,
    query           text,
    -- The id of the User or Group the path names, for the resource filter.
    resource_id     text,
    status          smallint    NOT NULL,
    scim_type       text,
    detail          text,
    duration_micros bigint      NOT NULL,
    request_id      text        NOT NULL,
    request_bytes   bigint      NOT NULL,
    response_bytes  bigint      NOT NULL,
    request_body    text,
    response_body   text,
    -- The queue was full: the bodies were not kept, the rest was.
    bodies_dropped  boolean     NOT NULL DEFAULT false,
    PRIMARY KEY (received_at, id)
) PARTITION BY RANGE (received_at);

-- A workspace's entries newest first (every admin search and the console's chart).
CREATE INDEX provisioning_log_workspace ON provisioning_log (workspace_id, received_at DESC, id DESC);
-- One entry by id: one probe per partition.
CREATE INDEX provisioning_log_id ON provisioning_log (id);
CREATE INDEX provisioning_log_resource ON provisioning_log (workspace_id, resource_id, received_at DESC)
    WHERE resource_id IS NOT NULL;
CREATE INDEX provisioning_log_request_id ON provisioning_log (workspace_id, request_id);

-- Makes the partitions of the days from_day .. from_day + days_ahead (UTC) that are missing, and drops
-- every partition whose whole day lies before keep_from (UTC). Answers how many it dropped.
-- lock_timeout: a DROP waits for the partition's readers; a busy moment is skipped, not queued behind.
CREATE FUNCTION provisioning_log_upkeep(from_day date, days_ahead integer, keep_from date) RETURNS integer
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

-- Today's and the next days' partitions, so that the first requests after the upgrade are kept.
SELECT provisioning_log_upkeep((now() AT TIME ZONE 'UTC')::date, 2, '-infinity'::date);
