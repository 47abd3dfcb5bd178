-- A workspace deleted is one journal row, its own: its members, groups and memberships, which go with
-- it (ON DELETE CASCADE), no longer write one row each.
--
-- Those rows were never read: the workspace's subscriptions go in the same transaction, so no event
-- was made of them, and nothing reads the journal of a workspace that is gone. Yet they were most of
-- the deletion's work: a workspace of a million members took longer than a request's statement may
-- run, so it could not be deleted at all (bench/RESULTS.md). The triggers now write nothing for a row
-- whose workspace is gone, which the cascade, running after the workspace's own row is deleted, sees.
-- A member or group deleted on its own, its workspace still there, is journalled as before, and the
-- look costs such a delete one primary-key probe.

-- V16's journal_member, writing nothing for a member deleted with its workspace.
CREATE OR REPLACE FUNCTION journal_member() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed text[];
    op text;
    workspace uuid;
    member uuid;
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF NOT EXISTS (SELECT 1 FROM workspaces WHERE id = OLD.workspace_id) THEN
            RETURN NULL;
        END IF;
        workspace := OLD.workspace_id;
        member := OLD.user_id;
        op := 'delete';
        changed := '{}';
    ELSIF TG_OP = 'INSERT' THEN
        workspace := NEW.workspace_id;
        member := NEW.user_id;
        op := 'create';
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
        ELSIF coalesce(OLD.attribute_role, OLD.role) IS DISTINCT FROM coalesce(NEW.attribute_role, NEW.role) THEN
            changed := changed || ARRAY['attributeRole'];
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
    INSERT INTO change_journal (workspace_id, credential, request_id, request, resource_type, resource_id,
                                operation, changed_attributes, member_ids, cause)
    VALUES (workspace, nullif(current_setting('scim.credential', true), ''),
            nullif(current_setting('scim.request_id', true), ''), nullif(current_setting('scim.request', true), ''),
            'User', member, op, changed, NULL, nullif(current_setting('scim.cause', true), ''));
    RETURN NULL;
END $$;

-- V11's journal_group, writing nothing for a group deleted with its workspace.
CREATE OR REPLACE FUNCTION journal_group() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed text[];
    op text;
    workspace uuid;
    grp uuid;
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.type IS DISTINCT FROM 'custom'
                OR NOT EXISTS (SELECT 1 FROM workspaces WHERE id = OLD.workspace_id) THEN
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

-- V11's journal_members_removed, writing nothing for memberships removed with their workspace.
CREATE OR REPLACE FUNCTION journal_members_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Members leaving with their deleted group are part of that group's 'delete' row: the group
    -- is gone by the time the cascade runs, so the join finds nothing for it. Those leaving with
    -- their deleted workspace are part of its row, and the join with it finds nothing.
    INSERT INTO change_journal (workspace_id, credential, request_id, request, resource_type, resource_id,
                                operation, changed_attributes, member_ids)
    SELECT g.workspace_id, nullif(current_setting('scim.credential', true), ''),
           nullif(current_setting('scim.request_id', true), ''), nullif(current_setting('scim.request', true), ''),
           'Group', g.id, 'member_remove', ARRAY['members'], r.ids
    FROM (SELECT group_id, array_agg(user_id ORDER BY user_id) AS ids FROM removed GROUP BY group_id) r
    JOIN groups g ON g.id = r.group_id
    JOIN workspaces w ON w.id = g.workspace_id;
    RETURN NULL;
END $$;
