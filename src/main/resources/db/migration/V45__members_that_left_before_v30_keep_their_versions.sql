-- V30 keeps the last version of each membership that leaves a workspace, so that a person provisioned
-- again continues after it; it kept nothing of the memberships that had left before it ran. Such a
-- person came back at version 1, under the entity tags of its first life: a client's If-None-Match of
-- the old W/"1" answered 304 for another representation (RFC 7644 section 3.14). The people at risk
-- are those the journal shows deleted from a workspace before V30 was installed (Flyway records that
-- time without its zone, read in the session's: a day more covers any zone the server ran in, and a
-- person deleted in that day after V30 only moves further).
--
-- Their first life's last version is not kept anywhere, and is not bounded by the journal: releases
-- before 2026-12-06 moved a member's version without a journal row (a password set for a person that
-- another workspace also held changed nothing, but counted). Each of them continues far past it: its
-- journalled changes plus a million, a margin no first life reached. One that is gone has that as its
-- retired version (a version V30 kept since stays when higher); one that is a member again has its
-- version moved past it (its tags change once; nothing else does, and no journal row is written, since
-- no attribute changed).
WITH at_risk AS (
    SELECT j.workspace_id, j.resource_id,
           (SELECT count(*) FROM change_journal c WHERE c.resource_type = 'User'
            AND c.resource_id = j.resource_id AND c.workspace_id = j.workspace_id) + 1000000 AS past
    FROM (SELECT DISTINCT workspace_id, resource_id FROM change_journal
          WHERE resource_type = 'User' AND operation = 'delete'
            AND occurred_at < (SELECT installed_on + interval '1 day' FROM flyway_schema_history
                               WHERE version = '30')) j
    WHERE EXISTS (SELECT 1 FROM workspaces w WHERE w.id = j.workspace_id)
), returned AS (
    UPDATE workspace_members m SET version = m.version + r.past
    FROM at_risk r WHERE m.workspace_id = r.workspace_id AND m.user_id = r.resource_id
    RETURNING m.workspace_id, m.user_id
)
INSERT INTO retired_memberships (workspace_id, user_id, version)
SELECT r.workspace_id, r.resource_id, r.past FROM at_risk r
WHERE NOT EXISTS (SELECT 1 FROM returned m WHERE m.workspace_id = r.workspace_id AND m.user_id = r.resource_id)
ON CONFLICT (workspace_id, user_id) DO UPDATE SET version = greatest(retired_memberships.version, EXCLUDED.version);
