-- The journal: one row for every change to a member, a custom group or a group's membership.
--
-- Written by triggers, in the statement that makes the change, so neither can exist without the
-- other: a rolled-back change takes its row with it, and no write path (the API, Bulk, a future
-- one, a manual UPDATE) can change the directory silently. Who and which request come from
-- transaction-local settings the application sets (scim.credential, scim.request_id,
-- scim.request): the credential's name, never a secret. Only attribute NAMES are recorded, never
-- values, so a password or a personal value never lands here.
-- (V10, not V3: leaves V3..V9 to the query engine's own migrations.)

CREATE TABLE change_journal (
    id                  bigserial PRIMARY KEY,
    occurred_at         timestamptz NOT NULL DEFAULT now(),
    workspace_id        uuid NOT NULL,
    credential          text,
    request_id          text,
    request             text,
    resource_type       text NOT NULL CHECK (resource_type IN ('User', 'Group')),
    resource_id         uuid NOT NULL,
    operation           text NOT NULL CHECK (operation IN ('create', 'update', 'delete', 'archive', 'restore',
                                                           'password', 'member_add', 'member_remove')),
    changed_attributes  text[] NOT NULL DEFAULT '{}',
    member_ids          uuid[]
);
CREATE INDEX change_journal_resource ON change_journal (resource_type, resource_id, id);
CREATE INDEX change_journal_request ON change_journal (request_id);

CREATE FUNCTION journal_row(workspace uuid, kind text, resource uuid, op text, changed text[], members uuid[])
    RETURNS void LANGUAGE sql AS $$
    INSERT INTO change_journal (workspace_id, credential, request_id, request, resource_type, resource_id,
                                operation, changed_attributes, member_ids)
    VALUES (workspace, nullif(current_setting('scim.credential', true), ''),
            nullif(current_setting('scim.request_id', true), ''), nullif(current_setting('scim.request', true), ''),
            kind, resource, op, changed, members);
$$;

-- Names of the top-level keys whose values differ between two attribute documents.
CREATE FUNCTION changed_keys(old_doc jsonb, new_doc jsonb) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(array_agg(k ORDER BY k), '{}')
    FROM (SELECT jsonb_object_keys(coalesce(old_doc, '{}')) UNION SELECT jsonb_object_keys(coalesce(new_doc, '{}'))) AS keys(k)
    WHERE old_doc -> k IS DISTINCT FROM new_doc -> k;
$$;

CREATE FUNCTION journal_member() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed text[];
    op text;
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM journal_row(OLD.workspace_id, 'User', OLD.user_id, 'delete', '{}', NULL);
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        changed := changed_keys(NULL, NEW.attributes) || ARRAY['active', 'role'];
        PERFORM journal_row(NEW.workspace_id, 'User', NEW.user_id, 'create', changed, NULL);
        RETURN NULL;
    END IF;
    changed := changed_keys(OLD.attributes, NEW.attributes);
    IF OLD.role IS DISTINCT FROM NEW.role THEN
        changed := changed || ARRAY['role'];
    END IF;
    IF OLD.status IS DISTINCT FROM NEW.status THEN
        changed := changed || ARRAY['active'];
    END IF;
    op := CASE WHEN OLD.status <> 'archived' AND NEW.status = 'archived' THEN 'archive'
               WHEN OLD.status = 'archived' AND NEW.status <> 'archived' THEN 'restore'
               ELSE 'update' END;
    IF op <> 'update' OR cardinality(changed) > 0 THEN
        PERFORM journal_row(NEW.workspace_id, 'User', NEW.user_id, op, changed, NULL);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER workspace_members_journal AFTER INSERT OR UPDATE OR DELETE ON workspace_members
    FOR EACH ROW EXECUTE FUNCTION journal_member();

-- A password change touches only users.password_hash: journal its name, per workspace membership.
CREATE FUNCTION journal_password() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.password_hash IS DISTINCT FROM NEW.password_hash THEN
        PERFORM journal_row(m.workspace_id, 'User', NEW.id, 'password', ARRAY['password'], NULL)
        FROM workspace_members m WHERE m.user_id = NEW.id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER users_password_journal AFTER UPDATE OF password_hash ON users
    FOR EACH ROW EXECUTE FUNCTION journal_password();

CREATE FUNCTION journal_group() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed text[];
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.type = 'custom' THEN
            PERFORM journal_row(OLD.workspace_id, 'Group', OLD.id, 'delete', '{}', NULL);
        END IF;
        RETURN NULL;
    END IF;
    IF NEW.type <> 'custom' THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        PERFORM journal_row(NEW.workspace_id, 'Group', NEW.id, 'create', changed_keys(NULL, NEW.attributes), NULL);
        RETURN NULL;
    END IF;
    changed := changed_keys(OLD.attributes, NEW.attributes);
    IF cardinality(changed) > 0 THEN
        PERFORM journal_row(NEW.workspace_id, 'Group', NEW.id, 'update', changed, NULL);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER groups_journal AFTER INSERT OR UPDATE OR DELETE ON groups
    FOR EACH ROW EXECUTE FUNCTION journal_group();

-- Membership changes are set operations: one journal row per statement and group, with the ids,
-- so adding a thousand members writes one row, not a thousand.
CREATE FUNCTION journal_members_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM journal_row(g.workspace_id, 'Group', g.id, 'member_add', ARRAY['members'], a.ids)
    FROM (SELECT group_id, array_agg(user_id ORDER BY user_id) AS ids FROM added GROUP BY group_id) a
    JOIN groups g ON g.id = a.group_id;
    RETURN NULL;
END $$;
CREATE TRIGGER group_members_added_journal AFTER INSERT ON group_members
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION journal_members_added();

CREATE FUNCTION journal_members_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Members leaving with their deleted group are part of that group's 'delete' row.
    PERFORM journal_row(g.workspace_id, 'Group', g.id, 'member_remove', ARRAY['members'], r.ids)
    FROM (SELECT group_id, array_agg(user_id ORDER BY user_id) AS ids FROM removed GROUP BY group_id) r
    JOIN groups g ON g.id = r.group_id;
    RETURN NULL;
END $$;
CREATE TRIGGER group_members_removed_journal AFTER DELETE ON group_members
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION journal_members_removed();
