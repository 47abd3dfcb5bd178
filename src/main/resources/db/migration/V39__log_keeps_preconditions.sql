-- The If-Match and If-None-Match a request was sent with, so that the console's curl sends it again
-- as it was (without them, a refused stale write would be applied). Nullable without a default: a
-- catalogue change on every partition, no rewrite.
ALTER TABLE provisioning_log ADD COLUMN if_match text, ADD COLUMN if_none_match text;
