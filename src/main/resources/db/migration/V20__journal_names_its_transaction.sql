-- Each journal row names the transaction that wrote it, so that a kept search total (KnownTotals) can
-- ask "has anything in this workspace changed since this snapshot?" of the journal alone. Every change
-- to a member, a group or a membership writes a journal row in its own transaction (V10), so a
-- snapshot that sees every journal row of a workspace that the current one sees, sees the same
-- directory. Asked of the whole cluster instead (any transaction committed since), the answer was
-- almost always yes: the provisioning log commits a batch every few moments.
--
-- The rows written before this migration keep NULL: they are older than any snapshot a running server
-- keeps. The default is set after the column is added, so existing rows are not rewritten.
ALTER TABLE change_journal ADD COLUMN xact xid8;
ALTER TABLE change_journal ALTER COLUMN xact SET DEFAULT pg_current_xact_id();
CREATE INDEX change_journal_workspace_xact ON change_journal (workspace_id, xact);
