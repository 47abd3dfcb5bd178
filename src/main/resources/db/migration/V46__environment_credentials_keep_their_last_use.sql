-- The environment's Basic pair and header token are the credentials most installations use (ToolJet's
-- own way), and an operator asking "is the identity provider still syncing?" asked the overview in
-- vain: only the stored credentials kept a last use. These two have no row of their own, so their
-- last use is kept here, by the name the provisioning log gives them. A new secret set in the
-- environment is still the same credential: its uses continue the row.
CREATE TABLE environment_credential_uses (
    credential    text PRIMARY KEY CHECK (credential IN ('basic', 'token')),
    -- Written as the stored credentials' are, at most once a minute each: it may lag that much behind.
    last_used_at  timestamptz NOT NULL
);
