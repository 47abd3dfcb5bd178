-- Two of the provisioning log's indexes cost every logged request more than they need to.
--
-- The request id index holds only the ids that do not name their entry's millisecond. The id the
-- server makes when a client sends none is a version 7 UUID of the very millisecond the request was
-- received (ScimApi), so such an entry is found by that millisecond and the id through the primary
-- key, as an entry is by its own id (V24). The index keeps what nothing else finds: ids a client sent,
-- and the random ids of entries written before request ids were ordered by time. The search for a
-- request id names this same condition, so that PostgreSQL can use the partial index.
--
-- The workspace index is made again in ascending time order; a search reads it backwards, newest first,
-- as before. The log is only ever appended to. In descending order each new entry goes before all older
-- ones of its workspace, so the page that takes it is never the last page of the index: when it is full
-- PostgreSQL splits it in halves, the new entries fill the first half, and the second half, older
-- entries only, stays half empty for good. In ascending order the entries of the workspace that sorts
-- last (the only one, where there is one) are appended at the right edge of the index, where a full
-- page is split to leave the older page full. The status, method and credential indexes stay as they
-- are: a group of theirs sits between others, where PostgreSQL splits a page in halves in either order
-- (its split after an appended entry is kept for entries narrower than these).
--
-- Both indexes are built again over the whole retained log, once, in this migration.
SET LOCAL maintenance_work_mem = '256MB';

-- Whether a request id is a version 7 UUID (as the server writes it, lower case) whose millisecond is
-- the one its entry was received in. The CASE keeps the hexadecimal cast away from any other text.
CREATE FUNCTION provisioning_log_request_id_names_time(request_id text, received_at timestamptz) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN request_id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'
                THEN ('x' || translate(left(request_id, 13), '-', ''))::bit(48)::bigint
                     = floor(extract(epoch FROM received_at - timestamptz '1970-01-01 00:00:00+00') * 1000)::bigint
                ELSE false END
$$;

DROP INDEX provisioning_log_request_id, provisioning_log_workspace;
CREATE INDEX provisioning_log_request_id ON provisioning_log (workspace_id, request_id)
    WHERE NOT provisioning_log_request_id_names_time(request_id, received_at);
CREATE INDEX provisioning_log_workspace ON provisioning_log (workspace_id, received_at, id);
