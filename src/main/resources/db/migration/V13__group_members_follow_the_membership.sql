-- A group's member is a member of the group's workspace, whatever the write path.
--
-- Why: a DELETE of a user racing a group PATCH that added the user could commit between the PATCH's
-- check and its insert; the group_members row stayed behind, unseen (reads join workspace_members),
-- and came back when the person returned. Now group_members references the membership itself, ON
-- DELETE CASCADE: a member leaving the workspace leaves its groups in the same statement, and an
-- insert checks the membership under a key-share lock, so it either waits for a leaving member and
-- fails, or keeps the member from leaving until it commits. The application locks the members it adds
-- the same way before adding them (to name the unknown ones), so the key's own check finds them
-- locked already.
--
-- The key needs the workspace in group_members; a composite key to groups (id, workspace_id) keeps
-- it equal to the group's, in place of the key on group_id alone. The key to users goes:
-- workspace_members references users already. So an insert checks two keys, as before.

ALTER TABLE group_members ADD COLUMN workspace_id uuid;
UPDATE group_members gm SET workspace_id = g.workspace_id FROM groups g WHERE g.id = gm.group_id;

-- The rows the race left behind.
DELETE FROM group_members gm
WHERE NOT EXISTS (SELECT 1 FROM workspace_members m WHERE m.workspace_id = gm.workspace_id AND m.user_id = gm.user_id);

ALTER TABLE group_members ALTER COLUMN workspace_id SET NOT NULL;
ALTER TABLE groups ADD CONSTRAINT groups_id_workspace_unique UNIQUE (id, workspace_id);
ALTER TABLE group_members
    DROP CONSTRAINT group_members_group_id_fkey,
    DROP CONSTRAINT group_members_user_id_fkey,
    ADD CONSTRAINT group_members_group FOREIGN KEY (group_id, workspace_id)
        REFERENCES groups (id, workspace_id) ON DELETE CASCADE,
    ADD CONSTRAINT group_members_membership FOREIGN KEY (workspace_id, user_id)
        REFERENCES workspace_members (workspace_id, user_id) ON DELETE CASCADE;
