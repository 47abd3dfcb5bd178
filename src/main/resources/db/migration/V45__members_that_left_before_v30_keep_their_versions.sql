-- V30 keeps the last version of each membership that leaves a workspace, so that a person provisioned
-- again continues after it; it kept nothing of the memberships that had left before it ran. Such a
-- person still came back at version 1, and a client's If-None-Match of its first life's W/"1" answered
-- 304 for another representation (RFC 7644 section 3.14); one that then left again had its second
-- life's version kept, below its first life's. No version of a membership passes the number of its
-- changes, each of which the journal holds: the count of a person's journalled changes in the workspace
-- is a version none of the tags of its lives reach, and a version kept exactly stays when higher.
-- One pass over the journal for its deletions, then the changes of each person that left.
WITH gone AS (
    SELECT DISTINCT workspace_id, resource_id FROM change_journal
    WHERE resource_type = 'User' AND operation = 'delete'
)
INSERT INTO retired_memberships (workspace_id, user_id, version)
SELECT g.workspace_id, g.resource_id,
       (SELECT count(*) FROM change_journal j
        WHERE j.resource_type = 'User' AND j.resource_id = g.resource_id AND j.workspace_id = g.workspace_id)
FROM gone g
WHERE NOT EXISTS (SELECT 1 FROM workspace_members m WHERE m.workspace_id = g.workspace_id
                  AND m.user_id = g.resource_id)
  AND EXISTS (SELECT 1 FROM workspaces w WHERE w.id = g.workspace_id)
ON CONFLICT (workspace_id, user_id) DO UPDATE SET version = greatest(retired_memberships.version, EXCLUDED.version);
