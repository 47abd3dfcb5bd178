-- A member who leaves a workspace (DELETE) and is provisioned again comes back as the same person,
-- with the same id (ToolJet keeps users). Its membership's row version started again at 1, so the
-- entity tags of its first life named other representations in its second: a client's If-None-Match
-- of the old W/"1" answered 304 for a different user, and an old If-Match let a stale write through
-- (RFC 7644 section 3.14). The last version of each membership that left is kept here, and the membership
-- that comes back continues after it.
CREATE TABLE retired_memberships (
    workspace_id uuid   NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    user_id      uuid   NOT NULL,
    version      bigint NOT NULL,
    PRIMARY KEY (workspace_id, user_id)
);
