-- Workspaces' own credentials: named API tokens, OAuth 2.0 clients with their secrets, and the keys
-- that sign the OAuth access tokens.
--
-- Secrets are stored only as the SHA-256 of the secret (32 bytes): each is 256 random bits, so a
-- slow hash would add nothing, and a plain digest can be looked up by its index. A workspace's
-- credentials go with it (ON DELETE CASCADE); signing keys belong to the server, not to a workspace.

-- The slug names a workspace to administrators; the Default Workspace's is 'default'.
UPDATE workspaces SET slug = 'default' WHERE is_default;
ALTER TABLE workspaces ADD CONSTRAINT workspace_slug_format CHECK (slug ~ '^[a-z0-9-]{1,63}$');

CREATE TABLE api_tokens (
    id            uuid PRIMARY KEY,
    workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    name          text NOT NULL,
    token_hash    bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    created_at    timestamptz NOT NULL,
    expires_at    timestamptz,
    -- Written in batches, at most once a minute per token: it may lag that much behind.
    last_used_at  timestamptz,
    -- Kept, not deleted, so that an administrator still sees which token was revoked and when.
    revoked_at    timestamptz
);
CREATE INDEX api_tokens_workspace ON api_tokens (workspace_id, created_at);

CREATE TABLE oauth_clients (
    id            uuid PRIMARY KEY,
    -- The public identifier a client sends; the row's id never leaves the server.
    client_id     text NOT NULL UNIQUE,
    workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    name          text NOT NULL,
    created_at    timestamptz NOT NULL,
    last_used_at  timestamptz
);
CREATE INDEX oauth_clients_workspace ON oauth_clients (workspace_id, created_at);

-- Several secrets per client, so that a new one can be handed out before the old one is removed.
CREATE TABLE oauth_client_secrets (
    id            uuid PRIMARY KEY,
    client        uuid NOT NULL REFERENCES oauth_clients (id) ON DELETE CASCADE,
    secret_hash   bytea NOT NULL UNIQUE CHECK (length(secret_hash) = 32),
    created_at    timestamptz NOT NULL,
    expires_at    timestamptz,
    last_used_at  timestamptz
);
CREATE INDEX oauth_client_secrets_client ON oauth_client_secrets (client, created_at);

-- The keys that sign access tokens, shared by every server process. One is active (retired_at
-- NULL); a retired key stays published, and valid for checking, until every token it signed has
-- expired.
CREATE TABLE signing_keys (
    kid          text PRIMARY KEY,
    public_jwk   text NOT NULL,
    private_jwk  text NOT NULL,
    created_at   timestamptz NOT NULL,
    retired_at   timestamptz
);
CREATE UNIQUE INDEX signing_keys_single_active ON signing_keys ((retired_at IS NULL)) WHERE retired_at IS NULL;
