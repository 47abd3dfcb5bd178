-- A journal row has one kind, which names its event (V18's event_kind): a user's update that changed its
-- role is a role change, a deactivation or a reactivation is that whatever else it changed. A subscription
-- was matched by that one kind, so one that asked for role changes never heard of a reactivation that
-- promoted the user to admin (Okta's PUT carries both), and one that asked for updates missed a title
-- changed with the role. A row now matches every kind of what it changed: still one event, under its own
-- kind, to each subscription that asked for any of them. Written without a subquery, so that PostgreSQL
-- inlines it as it does event_kind.
CREATE FUNCTION event_kinds(resource_type text, operation text, changed text[]) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ARRAY[event_kind(resource_type, operation, changed)]
        || CASE WHEN resource_type = 'User' AND operation IN ('update', 'archive', 'restore')
                     AND 'role' = ANY (changed) THEN ARRAY['User:role'] ELSE ARRAY[]::text[] END
        || CASE WHEN resource_type = 'User' AND operation IN ('update', 'archive', 'restore')
                     AND NOT (changed <@ ARRAY['active', 'role']) THEN ARRAY['User:update'] ELSE ARRAY[]::text[] END
$$;

CREATE OR REPLACE FUNCTION enqueue_event_deliveries() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    queued integer;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM event_subscriptions) THEN
        RETURN NULL;
    END IF;
    INSERT INTO event_deliveries (subscription_id, journal_id, resource_id)
    SELECT s.id, j.id, j.resource_id
    FROM journal_rows j JOIN event_subscriptions s ON s.workspace_id = j.workspace_id
    WHERE s.events IS NULL OR event_kinds(j.resource_type, j.operation, j.changed_attributes) && s.events;
    GET DIAGNOSTICS queued = ROW_COUNT;
    IF queued > 0 THEN
        PERFORM pg_notify('scim_events', '');
    END IF;
    RETURN NULL;
END $$;
