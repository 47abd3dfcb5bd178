-- The index on the provisioning log's entry ids alone is dropped: every entry written since its ids
-- became version 7 UUIDs names the millisecond it was received, and the server finds such an entry
-- by that millisecond and the id, through the primary key (received_at, id) of one partition. The
-- index cost every logged request one more entry to insert and to write to the WAL, for a lookup
-- the primary key already serves. An entry with a random id (written before ids were ordered by
-- time, and only until retention removes it) is still found, by reading its workspace's entries.
DROP INDEX provisioning_log_id;
