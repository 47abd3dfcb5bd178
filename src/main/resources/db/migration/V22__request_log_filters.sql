-- The console's and the admin API's log filters each from an index in the order they read: newest
-- first within a workspace. Without them a filter walked the workspace's entries from the newest until
-- it had a page, which for a filter that matches nothing (5xx on a healthy day, a method never used,
-- a credential revoked long ago) is every entry of the retention window.
--
-- A status filter is a class (4xx) or one status of a class: the class is the index's equality, so
-- the entries come newest first, and one status is a filter within it.
CREATE INDEX provisioning_log_status_class ON provisioning_log (workspace_id, (status / 100), received_at DESC, id DESC);
CREATE INDEX provisioning_log_method ON provisioning_log (workspace_id, method, received_at DESC, id DESC);
CREATE INDEX provisioning_log_credential ON provisioning_log (workspace_id, credential, received_at DESC, id DESC);
