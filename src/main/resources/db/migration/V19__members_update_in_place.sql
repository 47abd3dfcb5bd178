-- A member's update that changes no indexed column stays in place (a HOT update) and touches no index.
--
-- Why: a deactivation changes status, and the partial index of a workspace's active admins named status
-- in its predicate, so no update that changed status could be HOT: each PATCH deactivate added an entry
-- to every index of workspace_members, the two trigram GIN indexes included (pg_stat_statements: the
-- UPDATE was most of the PATCH's database time). The index now holds every admin of a workspace (few);
-- counting the active ones filters them by status. Same answers, same plan shape.
DROP INDEX workspace_members_admins;
CREATE INDEX workspace_members_admins ON workspace_members (workspace_id) WHERE role = 'admin';

-- Room on each page for the new version of an updated row: a HOT update needs it on the same page.
-- Rows written from now on leave it; the rows already there get it as updates move them and vacuum
-- frees what they left.
ALTER TABLE workspace_members SET (fillfactor = 85);
