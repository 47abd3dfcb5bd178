-- The request id index (V25) leaves out every id that names the millisecond its entry was received
-- in. Its condition was a function of the id and the time, which PostgreSQL evaluated at every insert
-- of every entry to decide whether the entry goes into the index: a regular expression, a hexadecimal
-- cast and the epoch in numeric, the dearest part of an entry after the row itself. The writer knows
-- the answer already, as it holds the id and the time in the JVM: it now writes it in a column, and
-- the index's condition reads that column first.
--
-- The column is false for every entry written before this migration (a constant default: no row is
-- rewritten). Those entries keep V25's function as the second half of the condition, which PostgreSQL
-- evaluates only where the flag is false; so the index built here holds what V25's held, and the
-- function runs again only for the ids clients sent.
--
-- The index is built again over the whole retained log, once, in this migration.
SET LOCAL maintenance_work_mem = '256MB';

ALTER TABLE provisioning_log ADD COLUMN request_id_names_time boolean NOT NULL DEFAULT false;
-- A partition's column statistics are its own (V23): the new column's too.
SELECT provisioning_log_partition_settings(i.inhrelid::regclass)
FROM pg_inherits i WHERE i.inhparent = 'provisioning_log'::regclass;

DROP INDEX provisioning_log_request_id;
CREATE INDEX provisioning_log_request_id ON provisioning_log (workspace_id, request_id)
    WHERE NOT request_id_names_time AND NOT provisioning_log_request_id_names_time(request_id, received_at);
