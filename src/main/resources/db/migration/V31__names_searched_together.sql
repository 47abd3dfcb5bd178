-- A User's names searched through one trigram index: the displayName and the parts of its name.
--
-- ToolJet's users carry name.givenName and name.familyName and often no displayName (Entra sends
-- `name` alone by default), so a search for a person by name must look in the name's parts. A
-- trigram index of each part would cost every write three more indexes. One generated column holds
-- every name folded, one to a line, and its index replaces the displayName's: pg_trgm splits text
-- into words and keeps each trigram once per row, so "Ada Lovelace" with givenName "Ada" and
-- familyName "Lovelace" gives the index the very entries the displayName gave it alone. A filter on
-- any of these names (co, sw, ew) finds its candidates in this column, then compares the name
-- itself (FilterSql); a match that spans two lines here is such a candidate and no more.
--
-- The column changes only when a name does, so an update that leaves the names alone (a
-- deactivation, a role, an email) is still made in place (V19). Adding it rewrites the table under
-- an exclusive lock, once.
SET LOCAL maintenance_work_mem = '256MB';

ALTER TABLE workspace_members ADD COLUMN searched_names text GENERATED ALWAYS AS (scim_fold(
    coalesce(display_name, '') || E'\n'
        || coalesce(attributes -> 'name' ->> 'formatted', '') || E'\n'
        || coalesce(attributes -> 'name' ->> 'givenName', '') || E'\n'
        || coalesce(attributes -> 'name' ->> 'middleName', '') || E'\n'
        || coalesce(attributes -> 'name' ->> 'familyName', ''))) STORED;

DROP INDEX workspace_members_display_name_trgm;
CREATE INDEX workspace_members_searched_names_trgm ON workspace_members USING gin (searched_names gin_trgm_ops);

-- The rewritten table's new column has no statistics until autovacuum analyzes it, which a table
-- that few writes touch may wait long for; the planner needs them to cost a search of the names.
ANALYZE workspace_members;
