-- The directory of the workspace application: people, their membership of workspaces, groups.
-- Case-insensitive uniqueness uses lower(); the embedded cluster's builtin C.UTF-8 locale makes it
-- fold all of Unicode, not only ASCII.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE workspaces (
    id          uuid PRIMARY KEY,
    name        text NOT NULL,
    slug        text NOT NULL UNIQUE,
    is_default  boolean NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX workspaces_single_default ON workspaces (is_default) WHERE is_default;

INSERT INTO workspaces (id, name, slug, is_default)
VALUES (gen_random_uuid(), 'Default Workspace', 'default-workspace', true);

-- One row per person across workspaces; id is the SCIM id.
CREATE TABLE users (
    id             uuid PRIMARY KEY,
    email          text,
    given_name     text,
    family_name    text,
    password_hash  text,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL
);
CREATE UNIQUE INDEX users_email_unique ON users (lower(email)) WHERE email IS NOT NULL;

-- A person's membership of a workspace: the SCIM User as the workspace sees it.
CREATE TABLE workspace_members (
    workspace_id   uuid NOT NULL REFERENCES workspaces (id),
    user_id        uuid NOT NULL REFERENCES users (id),
    user_name      text NOT NULL,
    external_id    text,
    display_name   text,
    role           text NOT NULL CHECK (role IN ('admin', 'builder', 'end-user')),
    status         text NOT NULL CHECK (status IN ('active', 'invited', 'archived')),
    -- Every other SCIM attribute, with canonical names; extensions under their URN.
    attributes     jsonb NOT NULL DEFAULT '{}'::jsonb,
    version        bigint NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL,
    last_modified  timestamptz NOT NULL,
    PRIMARY KEY (workspace_id, user_id)
);
CREATE UNIQUE INDEX workspace_members_user_name_unique ON workspace_members (workspace_id, lower(user_name));
CREATE INDEX workspace_members_external_id ON workspace_members (workspace_id, external_id);
CREATE INDEX workspace_members_user ON workspace_members (user_id);
CREATE INDEX workspace_members_admins ON workspace_members (workspace_id) WHERE role = 'admin' AND status = 'active';

-- Role groups ('default') and custom groups of a workspace.
CREATE TABLE groups (
    id             uuid PRIMARY KEY,
    workspace_id   uuid NOT NULL REFERENCES workspaces (id),
    name           text NOT NULL,
    type           text NOT NULL CHECK (type IN ('default', 'custom')),
    external_id    text,
    attributes     jsonb NOT NULL DEFAULT '{}'::jsonb,
    version        bigint NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL,
    last_modified  timestamptz NOT NULL,
    -- A custom group may never take a role's name; the application says so first, this makes sure.
    CONSTRAINT custom_group_not_a_role CHECK (type = 'default' OR lower(name) NOT IN ('admin', 'builder', 'end-user'))
);
CREATE UNIQUE INDEX groups_name_unique ON groups (workspace_id, lower(name));
CREATE INDEX groups_external_id ON groups (workspace_id, external_id);

INSERT INTO groups (id, workspace_id, name, type, created_at, last_modified)
SELECT gen_random_uuid(), w.id, r.name, 'default', now(), now()
FROM workspaces w CROSS JOIN (VALUES ('admin'), ('builder'), ('end-user')) AS r (name)
WHERE w.is_default;

-- Custom group membership. Role membership is workspace_members.role.
CREATE TABLE group_members (
    group_id  uuid NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    user_id   uuid NOT NULL REFERENCES users (id),
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_user ON group_members (user_id, group_id);
