-- Administration: workspaces are created, renamed and deleted through the admin API, and so are their
-- credentials; every such change is journaled like the directory's own, by triggers reading the same
-- transaction settings (scim.credential, scim.request_id, scim.request; V10).

-- A workspace's members and groups go with it. Their group memberships follow both (V13), the
-- members' emails follow the members (V2), and the credentials follow the workspace already (V14).
ALTER TABLE workspace_members
    DROP CONSTRAINT workspace_members_workspace_id_fkey,
    ADD CONSTRAINT workspace_members_workspace FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE;
ALTER TABLE groups
    DROP CONSTRAINT groups_workspace_id_fkey,
    ADD CONSTRAINT groups_workspace FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE;

-- The Default Workspace is where the environment's credentials act and what ToolJet's contract names:
-- it keeps its slug and is never deleted. The application refuses first; this makes sure.
ALTER TABLE workspaces ADD CONSTRAINT default_workspace_slug CHECK (NOT is_default OR slug = 'default');
CREATE FUNCTION keep_default_workspace() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the Default Workspace cannot be deleted' USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER workspaces_keep_default BEFORE DELETE ON workspaces
    FOR EACH ROW WHEN (OLD.is_default) EXECUTE FUNCTION keep_default_workspace();

-- The journal takes the new kinds of resource and operation. NOT VALID: every row written so far met
-- the narrower checks, so scanning a large journal during the upgrade would prove nothing new.
ALTER TABLE change_journal
    DROP CONSTRAINT change_journal_resource_type_check,
    ADD CONSTRAINT change_journal_resource_type_check
        CHECK (resource_type IN ('User', 'Group', 'Workspace', 'ApiToken', 'OAuthClient')) NOT VALID,
    DROP CONSTRAINT change_journal_operation_check,
    ADD CONSTRAINT change_journal_operation_check
        CHECK (operation IN ('create', 'update', 'delete', 'archive', 'restore', 'password', 'member_add',
                             'member_remove', 'revoke', 'secret_add', 'secret_remove')) NOT VALID;

-- A workspace's latest change (the admin summary) is the last entry of this index, not a scan of the
-- whole journal. Journal ids only grow, so each new row lands at the right edge of its workspace.
CREATE INDEX change_journal_workspace ON change_journal (workspace_id, id);

-- Administrative changes are rare: these triggers call journal_row (V11) rather than inlining the
-- INSERT as the directory's hot-path triggers do. Only names of what changed are recorded, never a
-- value, so never a secret or its digest.

CREATE FUNCTION journal_workspace() RETURNS trigger LANGUAGE plpgsql AS $$
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
        IF OLD.slug IS DISTINCT FROM NEW.slug THEN
            changed := changed || ARRAY['slug'];
        END IF;
        IF cardinality(changed) > 0 THEN
            PERFORM journal_row(NEW.id, 'Workspace', NEW.id, 'update', changed, NULL);
        END IF;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER workspaces_journal AFTER INSERT OR UPDATE OF name, slug OR DELETE ON workspaces
    FOR EACH ROW EXECUTE FUNCTION journal_workspace();

-- Tokens are revoked, not deleted; a 'delete' row comes only with their workspace's deletion.
-- last_used_at is use, not a change: the trigger does not even fire for the batches that write it.
CREATE FUNCTION journal_api_token() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed text[] := '{}';
BEGIN
    IF TG_OP = 'INSERT' THEN
        changed := ARRAY['name'] || CASE WHEN NEW.expires_at IS NULL THEN '{}'::text[] ELSE ARRAY['expiresAt'] END;
        PERFORM journal_row(NEW.workspace_id, 'ApiToken', NEW.id, 'create', changed, NULL);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM journal_row(OLD.workspace_id, 'ApiToken', OLD.id, 'delete', '{}', NULL);
    ELSIF OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL THEN
        PERFORM journal_row(NEW.workspace_id, 'ApiToken', NEW.id, 'revoke', ARRAY['revokedAt'], NULL);
    ELSE
        IF OLD.name IS DISTINCT FROM NEW.name THEN
            changed := changed || ARRAY['name'];
        END IF;
        IF OLD.expires_at IS DISTINCT FROM NEW.expires_at THEN
            changed := changed || ARRAY['expiresAt'];
        END IF;
        IF cardinality(changed) > 0 THEN
            PERFORM journal_row(NEW.workspace_id, 'ApiToken', NEW.id, 'update', changed, NULL);
        END IF;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER api_tokens_journal AFTER INSERT OR UPDATE OF name, expires_at, revoked_at OR DELETE ON api_tokens
    FOR EACH ROW EXECUTE FUNCTION journal_api_token();

CREATE FUNCTION journal_oauth_client() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM journal_row(NEW.workspace_id, 'OAuthClient', NEW.id, 'create', ARRAY['name'], NULL);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM journal_row(OLD.workspace_id, 'OAuthClient', OLD.id, 'delete', '{}', NULL);
    ELSIF OLD.name IS DISTINCT FROM NEW.name THEN
        PERFORM journal_row(NEW.workspace_id, 'OAuthClient', NEW.id, 'update', ARRAY['name'], NULL);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER oauth_clients_journal AFTER INSERT OR UPDATE OF name OR DELETE ON oauth_clients
    FOR EACH ROW EXECUTE FUNCTION journal_oauth_client();

-- A client's secrets are a set, as a group's members are: a secret added or removed is a row of the
-- client's, with the secret's id in member_ids (the ids a change added or removed). Secrets leaving
-- with their deleted client are part of the client's 'delete' row: the client is gone by the time
-- the cascade runs, so the join finds nothing for it.
CREATE FUNCTION journal_oauth_client_secret() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM journal_row(c.workspace_id, 'OAuthClient', c.id, 'secret_add', ARRAY['secrets'], ARRAY[NEW.id])
        FROM oauth_clients c WHERE c.id = NEW.client;
    ELSE
        PERFORM journal_row(c.workspace_id, 'OAuthClient', c.id, 'secret_remove', ARRAY['secrets'], ARRAY[OLD.id])
        FROM oauth_clients c WHERE c.id = OLD.client;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER oauth_client_secrets_journal AFTER INSERT OR DELETE ON oauth_client_secrets
    FOR EACH ROW EXECUTE FUNCTION journal_oauth_client_secret();
