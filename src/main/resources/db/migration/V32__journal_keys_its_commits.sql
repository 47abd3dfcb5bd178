-- Each write transaction's journal rows carry a key the application chose for that transaction.
--
-- The connection can fail during a COMMIT that PostgreSQL has made durable (a server shutting down
-- commits, then drops its connections before it answers). The application then looks for the
-- transaction's rows, by its request id (indexed since V10) and this key, over a new connection: found,
-- the change was applied and the client is told so, rather than "unavailable" for a change it would
-- send again. The request id alone cannot tell: a client may send its own X-Request-Id twice.
--
-- The key is a transaction-local setting told with the others (JournalSettings), and the column's
-- default reads it, so no trigger changes. The default is stable, so adding the column rewrites no
-- row: the rows before it have none.
ALTER TABLE change_journal ADD COLUMN commit_key uuid
    DEFAULT nullif(current_setting('scim.commit_key', true), '')::uuid;
