-- The query engine: indexes for the attributes identity providers filter on, the keyset order of
-- cursor paging, and the key that signs cursors.

-- Equality on a hot attribute is answered from a btree (userName, externalId and the group name
-- already have theirs in V1).
CREATE INDEX workspace_members_display_name ON workspace_members (workspace_id, lower(display_name));

-- co, sw and ew compile to LIKE over lower(column); pg_trgm's GIN indexes answer LIKE with a
-- leading wildcard, which no btree can.
CREATE INDEX workspace_members_user_name_trgm ON workspace_members USING gin (lower(user_name) gin_trgm_ops);
CREATE INDEX workspace_members_display_name_trgm ON workspace_members USING gin (lower(display_name) gin_trgm_ops);
CREATE INDEX groups_name_trgm ON groups USING gin (lower(name) gin_trgm_ops);

-- The default order of lists (created, then id) as an index, so a cursor page is an index range
-- scan from the last key of the previous page: the millionth user costs what the first does.
CREATE INDEX workspace_members_keyset ON workspace_members (workspace_id, created_at, user_id);
CREATE INDEX groups_keyset ON groups (workspace_id, created_at, id);

-- A member's emails, one row each, copied from workspace_members.attributes by a trigger.
-- Why a side table and not an expression index over the jsonb: Entra's probe
-- emails[type eq "work"].value eq "x" tests two sub-attributes of one element, and co tests a
-- substring of any element; an index over an expression of the whole array (a text[] or a
-- concatenation) can answer neither without rechecking every candidate in jsonb, while rows
-- answer both with plain btree and trigram indexes. Why a trigger and not the application: the
-- copy changes in the same statement as the jsonb, so no write path (PUT, PATCH, Bulk, a manual
-- UPDATE) can leave them apart.
CREATE TABLE member_emails (
    workspace_id  uuid NOT NULL,
    user_id       uuid NOT NULL,
    position      integer NOT NULL,
    value         text,
    display       text,
    type          text,
    is_primary    boolean,
    PRIMARY KEY (workspace_id, user_id, position),
    FOREIGN KEY (workspace_id, user_id) REFERENCES workspace_members (workspace_id, user_id) ON DELETE CASCADE
);
CREATE INDEX member_emails_value ON member_emails (workspace_id, lower(value));
CREATE INDEX member_emails_value_trgm ON member_emails USING gin (lower(value) gin_trgm_ops);

CREATE FUNCTION copy_member_emails() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM member_emails WHERE workspace_id = NEW.workspace_id AND user_id = NEW.user_id;
    INSERT INTO member_emails (workspace_id, user_id, position, value, display, type, is_primary)
    SELECT NEW.workspace_id, NEW.user_id, e.n, e.v->>'value', e.v->>'display', e.v->>'type',
           CASE WHEN jsonb_typeof(e.v->'primary') = 'boolean' THEN (e.v->'primary')::boolean END
    FROM jsonb_array_elements(CASE WHEN jsonb_typeof(NEW.attributes->'emails') = 'array'
                                   THEN NEW.attributes->'emails' ELSE '[]'::jsonb END) WITH ORDINALITY AS e(v, n)
    WHERE jsonb_typeof(e.v) = 'object';
    RETURN NULL;
END
$$;

CREATE TRIGGER member_emails_on_insert AFTER INSERT ON workspace_members
    FOR EACH ROW EXECUTE FUNCTION copy_member_emails();
CREATE TRIGGER member_emails_on_update AFTER UPDATE OF attributes ON workspace_members
    FOR EACH ROW WHEN (OLD.attributes->'emails' IS DISTINCT FROM NEW.attributes->'emails')
    EXECUTE FUNCTION copy_member_emails();

INSERT INTO member_emails (workspace_id, user_id, position, value, display, type, is_primary)
SELECT m.workspace_id, m.user_id, e.n, e.v->>'value', e.v->>'display', e.v->>'type',
       CASE WHEN jsonb_typeof(e.v->'primary') = 'boolean' THEN (e.v->'primary')::boolean END
FROM workspace_members m,
     jsonb_array_elements(CASE WHEN jsonb_typeof(m.attributes->'emails') = 'array'
                               THEN m.attributes->'emails' ELSE '[]'::jsonb END) WITH ORDINALITY AS e(v, n)
WHERE jsonb_typeof(e.v) = 'object';

-- The HMAC-SHA256 key of RFC 9865 cursors. In the database, not in the process, so that a cursor
-- survives a restart and is honoured by every server on the same data; made here, under Flyway's
-- lock, so two servers starting at once cannot make two. gen_random_uuid() draws from the
-- server's strong random source: two of them give 244 random bits.
CREATE TABLE cursor_keys (
    id      smallint PRIMARY KEY CHECK (id = 1),
    secret  bytea NOT NULL
);
INSERT INTO cursor_keys (id, secret) VALUES (1, uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid()));
