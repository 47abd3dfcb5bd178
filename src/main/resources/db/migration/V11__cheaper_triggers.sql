-- The same journal rows and the same member_emails rows as V2 and V10, for less work per row.
--
-- Why: EXPLAIN ANALYZE of a single-row INSERT INTO workspace_members showed the row itself at
-- ~0.05 ms and its two AFTER triggers at more than that: the journal ~0.17 ms, the emails copy
-- ~0.075 ms (medians, warm session, PostgreSQL 15; V11 brings them to ~0.06 and ~0.065 ms).
-- On PostgreSQL before 18 a LANGUAGE sql function that cannot be inlined (journal_row is an
-- INSERT, changed_keys has a FROM) is parsed and planned again on every call: there is no plan
-- cache for it. PL/pgSQL keeps each statement's plan for the session. So the trigger functions
-- now write the journal INSERT themselves, compute the changed keys in their own (cached)
-- statement, and skip work that cannot find anything. journal_row and changed_keys keep their
-- signatures and results for anyone calling them, in PL/pgSQL for the same reason.
--
-- Only CREATE OR REPLACE here: V2 and V10 are deployed with their checksums, and the triggers
-- keep pointing at these functions by name.

CREATE OR REPLACE FUNCTION journal_row(workspace uuid, kind text, resource uuid, op text, changed text[], members uuid[])
    RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO change_journal (workspace_id, credential, request_id, request, resource_type, resource_id,
                                operation, changed_attributes, member_ids)
    VALUES (workspace, nullif(current_setting('scim.credential', true), ''),
            nullif(current_setting('scim.request_id', true), ''), nullif(current_setting('scim.request', true), ''),
            kind, resource, op, changed, members);
END $$;

-- Names of the top-level keys whose values differ between two attribute documents, sorted.
-- V10 took the UNION of both key sets (a hash or sort to drop duplicates) and then sorted again.
-- The two halves below are disjoint by construction (keys of the new document whose value
-- differs, and keys only the old document has), so UNION ALL with one ORDER BY gives the same
-- array. With no old document every new key differs, so that case is a single sorted scan.
-- Equal documents differ nowhere: one jsonb comparison answers without running a query (only
-- for objects: jsonb_object_keys stays the key source so that a non-object document still fails
-- exactly as it did in V10).
CREATE OR REPLACE FUNCTION changed_keys(old_doc jsonb, new_doc jsonb) RETURNS text[] LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF old_doc IS NULL THEN
        RETURN ARRAY(SELECT k FROM jsonb_object_keys(coalesce(new_doc, '{}')) AS k ORDER BY k);
    END IF;
    IF old_doc = new_doc AND jsonb_typeof(old_doc) = 'object' THEN
        RETURN '{}';
    END IF;
    RETURN ARRAY(SELECT k FROM jsonb_object_keys(coalesce(new_doc, '{}')) AS k WHERE old_doc -> k IS DISTINCT FROM new_doc -> k
                 UNION ALL
                 SELECT k FROM jsonb_object_keys(old_doc) AS k WHERE new_doc -> k IS NULL
                 ORDER BY 1);
END $$;

-- The changed-keys logic is written out here rather than called: a call to another PL/pgSQL
-- function costs a function-call setup per row for no gain. attributes is NOT NULL, so the
-- coalesces of changed_keys are not needed.
CREATE OR REPLACE FUNCTION journal_member() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed text[];
    op text;
    workspace uuid;
    member uuid;
BEGIN
    IF TG_OP = 'DELETE' THEN
        workspace := OLD.workspace_id;
        member := OLD.user_id;
        op := 'delete';
        changed := '{}';
    ELSIF TG_OP = 'INSERT' THEN
        workspace := NEW.workspace_id;
        member := NEW.user_id;
        op := 'create';
        -- Every key of a new member is new: sort its keys, no union with an empty old side.
        changed := ARRAY(SELECT k FROM jsonb_object_keys(NEW.attributes) AS k ORDER BY k) || ARRAY['active', 'role'];
    ELSE
        workspace := NEW.workspace_id;
        member := NEW.user_id;
        IF OLD.attributes = NEW.attributes AND jsonb_typeof(OLD.attributes) = 'object' THEN
            changed := '{}';
        ELSE
            changed := ARRAY(SELECT k FROM jsonb_object_keys(NEW.attributes) AS k
                             WHERE OLD.attributes -> k IS DISTINCT FROM NEW.attributes -> k
                             UNION ALL
                             SELECT k FROM jsonb_object_keys(OLD.attributes) AS k WHERE NEW.attributes -> k IS NULL
                             ORDER BY 1);
        END IF;
        IF OLD.role IS DISTINCT FROM NEW.role THEN
            changed := changed || ARRAY['role'];
        END IF;
        IF OLD.status IS DISTINCT FROM NEW.status THEN
            changed := changed || ARRAY['active'];
        END IF;
        op := CASE WHEN OLD.status <> 'archived' AND NEW.status = 'archived' THEN 'archive'
                   WHEN OLD.status = 'archived' AND NEW.status <> 'archived' THEN 'restore'
                   ELSE 'update' END;
        IF op = 'update' AND cardinality(changed) = 0 THEN
            RETURN NULL;
        END IF;
    END IF;
    -- One INSERT for every branch: one cached plan, and the settings are read once, here.
    INSERT INTO change_journal (workspace_id, credential, request_id, request, resource_type, resource_id,
                                operation, changed_attributes, member_ids)
    VALUES (workspace, nullif(current_setting('scim.credential', true), ''),
            nullif(current_setting('scim.request_id', true), ''), nullif(current_setting('scim.request', true), ''),
            'User', member, op, changed, NULL);
    RETURN NULL;
END $$;

-- Same per-membership rows as V10, as one INSERT ... SELECT instead of a SQL function per row.
CREATE OR REPLACE FUNCTION journal_password() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.password_hash IS DISTINCT FROM NEW.password_hash THEN
        INSERT INTO change_journal (workspace_id, credential, request_id, request, resource_type, resource_id,
                                    operation, changed_attributes, member_ids)
        SELECT m.workspace_id, nullif(current_setting('scim.credential', true), ''),
               nullif(current_setting('scim.request_id', true), ''), nullif(current_setting('scim.request', true), ''),
               'User', NEW.id, 'password', ARRAY['password'], NULL
        FROM workspace_members m WHERE m.user_id = NEW.id;
    END IF;
    RETURN NULL;
END $$;

-- Groups had the same two SQL functions per row; same treatment as journal_member.
CREATE OR REPLACE FUNCTION journal_group() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed text[];
    op text;
    workspace uuid;
    grp uuid;
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.type IS DISTINCT FROM 'custom' THEN
            RETURN NULL;
        END IF;
        workspace := OLD.workspace_id;
        grp := OLD.id;
        op := 'delete';
        changed := '{}';
    ELSE
        IF NEW.type <> 'custom' THEN
            RETURN NULL;
        END IF;
        workspace := NEW.workspace_id;
        grp := NEW.id;
        IF TG_OP = 'INSERT' THEN
            op := 'create';
            changed := ARRAY(SELECT k FROM jsonb_object_keys(NEW.attributes) AS k ORDER BY k);
        ELSE
            op := 'update';
            IF OLD.attributes = NEW.attributes AND jsonb_typeof(OLD.attributes) = 'object' THEN
                RETURN NULL;
            END IF;
            changed := ARRAY(SELECT k FROM jsonb_object_keys(NEW.attributes) AS k
                             WHERE OLD.attributes -> k IS DISTINCT FROM NEW.attributes -> k
                             UNION ALL
                             SELECT k FROM jsonb_object_keys(OLD.attributes) AS k WHERE NEW.attributes -> k IS NULL
                             ORDER BY 1);
            IF cardinality(changed) = 0 THEN
                RETURN NULL;
            END IF;
        END IF;
    END IF;
    INSERT INTO change_journal (workspace_id, credential, request_id, request, resource_type, resource_id,
                                operation, changed_attributes, member_ids)
    VALUES (workspace, nullif(current_setting('scim.credential', true), ''),
            nullif(current_setting('scim.request_id', true), ''), nullif(current_setting('scim.request', true), ''),
            'Group', grp, op, changed, NULL);
    RETURN NULL;
END $$;

-- Statement-level, so not per row, but each group still went through the SQL function: now one
-- INSERT ... SELECT over the same join.
CREATE OR REPLACE FUNCTION journal_members_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO change_journal (workspace_id, credential, request_id, request, resource_type, resource_id,
                                operation, changed_attributes, member_ids)
    SELECT g.workspace_id, nullif(current_setting('scim.credential', true), ''),
           nullif(current_setting('scim.request_id', true), ''), nullif(current_setting('scim.request', true), ''),
           'Group', g.id, 'member_add', ARRAY['members'], a.ids
    FROM (SELECT group_id, array_agg(user_id ORDER BY user_id) AS ids FROM added GROUP BY group_id) a
    JOIN groups g ON g.id = a.group_id;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION journal_members_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Members leaving with their deleted group are part of that group's 'delete' row: the group
    -- is gone by the time the cascade runs, so the join finds nothing for it.
    INSERT INTO change_journal (workspace_id, credential, request_id, request, resource_type, resource_id,
                                operation, changed_attributes, member_ids)
    SELECT g.workspace_id, nullif(current_setting('scim.credential', true), ''),
           nullif(current_setting('scim.request_id', true), ''), nullif(current_setting('scim.request', true), ''),
           'Group', g.id, 'member_remove', ARRAY['members'], r.ids
    FROM (SELECT group_id, array_agg(user_id ORDER BY user_id) AS ids FROM removed GROUP BY group_id) r
    JOIN groups g ON g.id = r.group_id;
    RETURN NULL;
END $$;

-- A new member cannot have copied emails yet: member_emails references workspace_members with a
-- foreign key, so no row for this (workspace, user) can exist before the member does. The DELETE
-- is only needed on UPDATE. And with no emails array there is nothing to insert, so the INSERT
-- (and its executor start-up) is skipped; V2 expanded an empty array to the same zero rows.
CREATE OR REPLACE FUNCTION copy_member_emails() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        DELETE FROM member_emails WHERE workspace_id = NEW.workspace_id AND user_id = NEW.user_id;
    END IF;
    IF jsonb_typeof(NEW.attributes->'emails') = 'array' THEN
        INSERT INTO member_emails (workspace_id, user_id, position, value, display, type, is_primary)
        SELECT NEW.workspace_id, NEW.user_id, e.n, e.v->>'value', e.v->>'display', e.v->>'type',
               CASE WHEN jsonb_typeof(e.v->'primary') = 'boolean' THEN (e.v->'primary')::boolean END
        FROM jsonb_array_elements(NEW.attributes->'emails') WITH ORDINALITY AS e(v, n)
        WHERE jsonb_typeof(e.v) = 'object';
    END IF;
    RETURN NULL;
END
$$;
