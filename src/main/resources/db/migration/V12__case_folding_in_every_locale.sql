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

-- Every index V1 and V2 built on lower() goes, to be rebuilt on scim_fold() under the same name
-- once the stored names are canonical: the unique ones, and those the filters' equality and
-- co/sw/ew use.
DROP INDEX users_email_unique;
DROP INDEX workspace_members_user_name_unique;
DROP INDEX groups_name_unique;
DROP INDEX workspace_members_display_name;
DROP INDEX member_emails_value;
DROP INDEX workspace_members_user_name_trgm;
DROP INDEX workspace_members_display_name_trgm;
DROP INDEX groups_name_trgm;
DROP INDEX member_emails_value_trgm;

-- Names stored before this version were kept as sent. The server now keeps them trimmed and in NFC
-- and reads every filter value that way, so a stored "ada@x.com " would no longer be found, and the
-- IdP's next create would make a second member beside it. They are made canonical here, in the
-- columns and in the attribute documents (the journal records the change, by no credential).
-- normalize() exists for UTF-8 databases only; in another encoding names are left as they are.
DO $canonical$
BEGIN
    IF current_setting('server_encoding') <> 'UTF8' THEN
        RETURN;
    END IF;
    CREATE FUNCTION pg_temp.canonical(value text) RETURNS text LANGUAGE sql IMMUTABLE
        AS $f$ SELECT regexp_replace(normalize(value, NFC), '^[[:space:]]+|[[:space:]]+$', '', 'g') $f$;
    CREATE FUNCTION pg_temp.canonical_emails(emails jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $f$
        SELECT coalesce(jsonb_agg(CASE WHEN jsonb_typeof(e.v->'value') = 'string'
                                       THEN jsonb_set(e.v, '{value}', to_jsonb(pg_temp.canonical(e.v->>'value')))
                                       ELSE e.v END ORDER BY e.n), '[]'::jsonb)
        FROM jsonb_array_elements(emails) WITH ORDINALITY AS e(v, n)
    $f$;

    UPDATE users SET email = pg_temp.canonical(email) WHERE email <> pg_temp.canonical(email);
    UPDATE groups SET name = pg_temp.canonical(name),
                      attributes = jsonb_set(attributes, '{displayName}', to_jsonb(pg_temp.canonical(name)))
    WHERE type = 'custom' AND name <> pg_temp.canonical(name);
    UPDATE workspace_members
    SET user_name = pg_temp.canonical(user_name),
        attributes = CASE WHEN jsonb_typeof(attributes->'emails') = 'array'
                          THEN jsonb_set(attributes, '{emails}', pg_temp.canonical_emails(attributes->'emails'))
                          ELSE attributes END
                     || jsonb_build_object('userName', pg_temp.canonical(user_name))
    WHERE user_name <> pg_temp.canonical(user_name)
       OR (jsonb_typeof(attributes->'emails') = 'array'
           AND attributes->'emails' <> pg_temp.canonical_emails(attributes->'emails'));
END
$canonical$;

-- Two names that were distinct as stored may be one now (they differ only in case, in a letter
-- lower() did not fold before, in Unicode form or in white space at an end). The unique index would
-- fail on the first pair with no more said; this names where to look, and the operator merges or
-- renames them with the version upgraded from before starting this one again.
DO $collisions$
DECLARE
    found text := '';
BEGIN
    IF EXISTS (SELECT 1 FROM users WHERE email IS NOT NULL GROUP BY scim_fold(email) HAVING count(*) > 1) THEN
        found := found || ' users.email (SELECT scim_fold(email) FROM users GROUP BY 1 HAVING count(*) > 1);';
    END IF;
    IF EXISTS (SELECT 1 FROM workspace_members GROUP BY workspace_id, scim_fold(user_name) HAVING count(*) > 1) THEN
        found := found || ' workspace_members.user_name (SELECT workspace_id, scim_fold(user_name) FROM '
            || 'workspace_members GROUP BY 1, 2 HAVING count(*) > 1);';
    END IF;
    IF EXISTS (SELECT 1 FROM groups GROUP BY workspace_id, scim_fold(name) HAVING count(*) > 1) THEN
        found := found || ' groups.name (SELECT workspace_id, scim_fold(name) FROM groups GROUP BY 1, 2 '
            || 'HAVING count(*) > 1);';
    END IF;
    IF found <> '' THEN
        RAISE EXCEPTION 'names that must be unique regardless of case and Unicode form are not:%', found
            USING HINT = 'Rename or remove one of each pair with the version you upgrade from, then start again.';
    END IF;
END
$collisions$;

CREATE UNIQUE INDEX users_email_unique ON users (scim_fold(email)) WHERE email IS NOT NULL;
CREATE UNIQUE INDEX workspace_members_user_name_unique ON workspace_members (workspace_id, scim_fold(user_name));
CREATE UNIQUE INDEX groups_name_unique ON groups (workspace_id, scim_fold(name));
CREATE INDEX workspace_members_display_name ON workspace_members (workspace_id, scim_fold(display_name));
CREATE INDEX member_emails_value ON member_emails (workspace_id, scim_fold(value));
CREATE INDEX workspace_members_user_name_trgm ON workspace_members USING gin (scim_fold(user_name) gin_trgm_ops);
CREATE INDEX workspace_members_display_name_trgm ON workspace_members USING gin (scim_fold(display_name) gin_trgm_ops);
CREATE INDEX groups_name_trgm ON groups USING gin (scim_fold(name) gin_trgm_ops);
CREATE INDEX member_emails_value_trgm ON member_emails USING gin (scim_fold(value) gin_trgm_ops);
