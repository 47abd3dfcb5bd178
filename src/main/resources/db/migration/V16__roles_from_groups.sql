-- Roles from groups: a workspace may take its members' roles from the custom groups they belong to.
--
-- role_source: 'attribute' (the default, ToolJet's contract: the role is the extension's attribute),
-- 'groups' (the highest role its mapped groups give a member, end-user without one), or 'highest'
-- (the higher of the attribute and the groups). role_mappings: [{"group": name or id, "role": ...}],
-- few and always read whole, so a column of the workspace row, whose lock also orders a change of
-- them against the membership changes in flight (they read it FOR KEY SHARE).
ALTER TABLE workspaces
    ADD COLUMN role_source text NOT NULL DEFAULT 'attribute'
        CONSTRAINT workspaces_role_source CHECK (role_source IN ('attribute', 'groups', 'highest')),
    ADD COLUMN role_mappings jsonb NOT NULL DEFAULT '[]'::jsonb;

-- workspace_members.role stays the effective role: what reads return, filters compare, the last-admin
-- rule counts. attribute_role is the role the extension's attribute asked for, kept apart so that
-- 'highest' can take the higher of the two and a return to 'attribute' gives every member its
-- attribute's role back. NULL means "the same as role": rows written before this version, and rows
-- whose role no recomputation has changed; so adding the column rewrites no row.
ALTER TABLE workspace_members
    ADD COLUMN attribute_role text CONSTRAINT workspace_members_attribute_role
        CHECK (attribute_role IN ('admin', 'builder', 'end-user'));

-- Why a row was written, when it is not the request's own change: a role recomputed because a mapped
-- group's members changed ('group:<id>'), the mappings changed ('role-mapping') or the setting did
-- ('role-source'). Set by the application as the transaction-local setting scim.cause around the
-- recomputing statement only; NULL for every other row.
ALTER TABLE change_journal ADD COLUMN cause text;

-- V11's journal_member, with the cause, and a change of the attribute's role alone (while the role
-- comes from groups: it changes no read) named 'attributeRole'. When the role changes too, only
-- 'role' is named, as before.
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

-- V15's journal_workspace, with the two new settings.
CREATE OR REPLACE FUNCTION journal_workspace() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed text[] := '{}';
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM journal_row(NEW.id, 'Workspace', NEW.id, 'create', ARRAY['name', 'slug'], NULL);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM journal_row(OLD.id, 'Workspace', OLD.id, 'delete', '{}', NULL);
    ELSE
        IF OLD.name IS DISTINCT FROM NEW.name THEN
            changed := changed || ARRAY['name'];
        END IF;
        IF OLD.role_mappings IS DISTINCT FROM NEW.role_mappings THEN
            changed := changed || ARRAY['roleMappings'];
        END IF;
        IF OLD.role_source IS DISTINCT FROM NEW.role_source THEN
            changed := changed || ARRAY['roleSource'];
        END IF;
        IF OLD.slug IS DISTINCT FROM NEW.slug THEN
            changed := changed || ARRAY['slug'];
        END IF;
        IF cardinality(changed) > 0 THEN
            PERFORM journal_row(NEW.id, 'Workspace', NEW.id, 'update', changed, NULL);
        END IF;
    END IF;
    RETURN NULL;
END $$;
DROP TRIGGER workspaces_journal ON workspaces;
CREATE TRIGGER workspaces_journal AFTER INSERT OR UPDATE OF name, slug, role_source, role_mappings OR DELETE
    ON workspaces FOR EACH ROW EXECUTE FUNCTION journal_workspace();
