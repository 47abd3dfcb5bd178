-- A webhook's signing secret can be replaced (the admin API's POST .../subscriptions/{id}/secret). The
-- secret it replaces may go on signing beside the new one for a while, as the Standard Webhooks
-- signature header allows several signatures: a receiver that still checks with the old secret keeps
-- accepting deliveries until it has been given the new one.
--
-- secret_version counts the replacements, so that a process that keeps secrets opened in memory
-- knows, from the subscription row it claims deliveries by, that its copy is stale.
ALTER TABLE event_subscriptions
    ADD COLUMN secret_version integer NOT NULL DEFAULT 1,
    ADD COLUMN secret_rotated_at timestamptz,
    -- The replaced secret, sealed like the secret; it signs only while previous_secret_until is ahead.
    ADD COLUMN previous_secret bytea,
    ADD COLUMN previous_secret_until timestamptz,
    ADD CHECK ((previous_secret IS NULL) = (previous_secret_until IS NULL));
