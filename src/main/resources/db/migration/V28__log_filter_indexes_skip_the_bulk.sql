-- The status and method indexes (V22) no longer hold the entries of the bulk of the traffic: successful
-- requests and GETs. An IdP's import and its checks before each write are GETs answered 200, most of
-- all that is logged, and each of them cost the log two index entries that no search needed: a filter
-- for 2xx or for GET matches most entries, so the workspace index, walked newest first, gives a page of
-- them after reading little more than the page. What the indexes are for is a filter that matches few
-- entries or none (5xx on a healthy day, a method never used): those stay indexed.
--
-- The price is the rare workspace where almost nothing succeeds, or almost nothing is a GET: a filter
-- for 2xx or GET there walks the workspace's entries until it has a page.
--
-- A search repeats each condition as a literal (PostgresProvisioningLog), so that PostgreSQL may use the
-- partial index whatever the values bound, in a generic plan as in a custom one.
--
-- Both indexes are built again over the whole retained log, once, in this migration.
SET LOCAL maintenance_work_mem = '256MB';

DROP INDEX provisioning_log_status_class, provisioning_log_method;
CREATE INDEX provisioning_log_status_class ON provisioning_log (workspace_id, (status / 100), received_at DESC, id DESC)
    WHERE status / 100 <> 2;
CREATE INDEX provisioning_log_method ON provisioning_log (workspace_id, method, received_at DESC, id DESC)
    WHERE method <> 'GET';

-- The expression index's statistics target (V23) belongs to each partition's index, made again above.
SELECT provisioning_log_partition_settings(i.inhrelid::regclass)
FROM pg_inherits i WHERE i.inhparent = 'provisioning_log'::regclass;
