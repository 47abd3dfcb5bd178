-- Events for the application: every change_journal row (V10, V15) is an event, and each subscription of
-- its workspace gets a delivery row for it, written by a trigger in the statement that writes the
-- journal row, so in the transaction of the change: a rolled-back change has no event, a committed
-- one cannot lose its deliveries, whatever happens to the process afterwards.
--
-- The journal stays the event log (its ids are the events' ids); these tables hold only who must get
-- what and how far each delivery is. Several server processes share the deliveries through row claims
-- (FOR UPDATE SKIP LOCKED and a lease in claimed_until), and are woken by NOTIFY on the channel
-- scim_events, sent by the same trigger (delivered only at commit, and only once per transaction).

CREATE TABLE event_subscriptions (
    id              uuid PRIMARY KEY,
    workspace_id    uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    url             text,
    format          text NOT NULL CHECK (format IN ('webhook', 'set-push', 'set-poll')),
    -- The event kinds delivered (event_kind below); NULL delivers every one.
    events          text[],
    notice          boolean NOT NULL DEFAULT false,
    -- A webhook's signing secret, sealed by the application (see WebhookSecrets); NULL for SETs.
    secret          bytea,
    created_at      timestamptz NOT NULL DEFAULT now(),
    paused_at       timestamptz,
    pause_reason    text,
    -- Since when every attempt has failed; cleared by any success. After 24 hours the subscription pauses.
    failing_since   timestamptz,
    CHECK ((format = 'set-poll') = (url IS NULL))
);
CREATE INDEX event_subscriptions_workspace ON event_subscriptions (workspace_id);
-- One poll queue per workspace: the poll endpoint knows the workspace from the credential alone.
CREATE UNIQUE INDEX event_subscriptions_one_poll ON event_subscriptions (workspace_id) WHERE format = 'set-poll';

CREATE TABLE event_deliveries (
    subscription_id uuid NOT NULL REFERENCES event_subscriptions (id) ON DELETE CASCADE,
    journal_id      bigint NOT NULL,
    resource_id     uuid NOT NULL,
    state           text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'dead')),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    -- A process's lease on the delivery while it sends it; an expired lease is anyone's to take again.
    claimed_until   timestamptz,
    first_failed_at timestamptz,
    finished_at     timestamptz,
    last_error      text,
    PRIMARY KEY (subscription_id, journal_id)
);
-- Partial indexes: a delivered row leaves them, so they hold only the backlog, however long the retention.
-- Claims walk a subscription's pending deliveries oldest first...
CREATE INDEX event_deliveries_pending ON event_deliveries (subscription_id, journal_id) WHERE state = 'pending';
-- ...skipping those an older pending delivery of the same resource holds back...
CREATE INDEX event_deliveries_resource_pending ON event_deliveries (subscription_id, resource_id, journal_id)
    WHERE state = 'pending';
-- ...and whether anything is due, or when it will be, is the first entry of a subscription's range here.
CREATE INDEX event_deliveries_due ON event_deliveries (subscription_id, next_attempt_at) WHERE state = 'pending';
-- Retention deletes finished rows oldest first, a small batch at a time, along this index.
CREATE INDEX event_deliveries_finished ON event_deliveries (finished_at) WHERE state <> 'pending';

-- Recent attempts per subscription, for the admin API; pruned with the deliveries.
CREATE TABLE event_attempts (
    id              bigserial PRIMARY KEY,
    subscription_id uuid NOT NULL REFERENCES event_subscriptions (id) ON DELETE CASCADE,
    journal_id      bigint NOT NULL,
    attempted_at    timestamptz NOT NULL DEFAULT now(),
    status          integer,
    duration_ms     integer NOT NULL,
    error           text
);
CREATE INDEX event_attempts_subscription ON event_attempts (subscription_id, id);
CREATE INDEX event_attempts_time ON event_attempts (attempted_at);

-- What a subscription's filter names a journal row by: resource_type:operation, except that an update
-- of a user that changed its role is 'User:role' (the application acts on a role change on its own).
-- A single expression in SQL, so that the planner inlines it where it is used.
CREATE FUNCTION event_kind(resource_type text, operation text, changed text[]) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT resource_type || ':' || CASE WHEN resource_type = 'User' AND operation = 'update' AND 'role' = ANY (changed)
                                        THEN 'role' ELSE operation END
$$;

-- Statement-level with a transition table: one INSERT ... SELECT per journal statement however many
-- subscriptions match, and nothing but an index probe when the workspace has none.
CREATE FUNCTION enqueue_event_deliveries() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    queued integer;
BEGIN
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
CREATE TRIGGER change_journal_events AFTER INSERT ON change_journal
    REFERENCING NEW TABLE AS journal_rows FOR EACH STATEMENT EXECUTE FUNCTION enqueue_event_deliveries();
