-- The journal's statement trigger returns at once while no subscription exists anywhere: a server whose
-- application reads no events paid for the INSERT ... SELECT over the transition table on every write,
-- about half of the trigger's cost (bench/RESULTS.md, 2026-12-06 05:06). The check is one scan of an
-- empty table; once any workspace subscribes, every write takes the INSERT as before, which alone knows
-- which workspaces do. A subscription that commits while a write's trigger runs could be missed before
-- too (the INSERT's snapshot is taken a moment after the check's); a replay from a time fills such a gap.
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
    WHERE s.events IS NULL OR event_kind(j.resource_type, j.operation, j.changed_attributes) = ANY (s.events);
    GET DIAGNOSTICS queued = ROW_COUNT;
    IF queued > 0 THEN
        PERFORM pg_notify('scim_events', '');
    END IF;
    RETURN NULL;
END $$;
