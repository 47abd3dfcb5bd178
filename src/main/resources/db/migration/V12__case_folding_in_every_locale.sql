-- Case-insensitive uniqueness and comparison that fold every letter, whatever the database's locale.
--
-- V1 and V2 indexed lower(), and lower() folds by the database's LC_CTYPE: under the C locale an
-- external database may have been made with, it folds A to Z only, so "EVA@x.com" and "eva@x.com"
-- with an acute accent on each E were two users. scim_fold() is the database's own lower() where
-- that folds every letter (the embedded cluster's builtin C.UTF-8, any UTF-8 locale of libc or
-- ICU); else lower() under ICU's root locale; else under PostgreSQL 17's builtin pg_c_utf8. A UTF-8
-- database with none of them is refused here rather than left with a uniqueness that holds for
-- ASCII only. A database in another encoding keeps its own lower(): its letters are those of its
-- locale.
--
-- Why folding in the database, and not a folded key column the application writes: the unique
-- indexes are what holds under concurrent writers, every write path (POST, PUT, PATCH, Bulk, a
-- person coming back) already meets them, and filters and sorting compare through the same
-- expression, so one function serves all three; a key column would have to be computed and bound by
-- every statement that writes a name, and could be filled for the rows already stored only by SQL.
-- A one-line SQL function is inlined by the planner: where it is lower(), queries and indexes are
-- exactly what they were.

DO $migration$
DECLARE
    fold text;
BEGIN
    IF current_setting('server_encoding') <> 'UTF8' THEN
        fold := 'lower($1)';
    -- Capital E acute, sigma and zhe, and their lower case; by code point, as the file stays ASCII.
    ELSIF lower(chr(201) || chr(931) || chr(1046)) = chr(233) || chr(963) || chr(1078) THEN
        fold := 'lower($1)';
    ELSIF EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu') THEN
        fold := 'lower($1 COLLATE "und-x-icu")';
    ELSIF EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'pg_c_utf8') THEN
        fold := 'lower($1 COLLATE pg_c_utf8)';
    ELSE
        RAISE EXCEPTION 'this database''s lower() folds only ASCII letters (LC_CTYPE %) and it has neither ICU '
            'nor PostgreSQL 17''s builtin provider: case-insensitive uniqueness of userName, emails and group '
            'names cannot hold. Use a database with a UTF-8 LC_CTYPE, such as C.UTF-8 or en_US.UTF-8.',
            current_setting('lc_ctype');
    END IF;
    EXECUTE format('CREATE FUNCTION scim_fold(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS %L',
                   'SELECT ' || fold);
END
$migration$;

-- Every index V1 and V2 built on lower(), rebuilt on scim_fold() under the same name: the unique
-- ones, and those the filters' equality and co/sw/ew use.
DROP INDEX users_email_unique;
CREATE UNIQUE INDEX users_email_unique ON users (scim_fold(email)) WHERE email IS NOT NULL;
DROP INDEX workspace_members_user_name_unique;
CREATE UNIQUE INDEX workspace_members_user_name_unique ON workspace_members (workspace_id, scim_fold(user_name));
DROP INDEX groups_name_unique;
CREATE UNIQUE INDEX groups_name_unique ON groups (workspace_id, scim_fold(name));

DROP INDEX workspace_members_display_name;
CREATE INDEX workspace_members_display_name ON workspace_members (workspace_id, scim_fold(display_name));
DROP INDEX member_emails_value;
CREATE INDEX member_emails_value ON member_emails (workspace_id, scim_fold(value));

DROP INDEX workspace_members_user_name_trgm;
CREATE INDEX workspace_members_user_name_trgm ON workspace_members USING gin (scim_fold(user_name) gin_trgm_ops);
DROP INDEX workspace_members_display_name_trgm;
CREATE INDEX workspace_members_display_name_trgm ON workspace_members USING gin (scim_fold(display_name) gin_trgm_ops);
DROP INDEX groups_name_trgm;
CREATE INDEX groups_name_trgm ON groups USING gin (scim_fold(name) gin_trgm_ops);
DROP INDEX member_emails_value_trgm;
CREATE INDEX member_emails_value_trgm ON member_emails USING gin (scim_fold(value) gin_trgm_ops);
