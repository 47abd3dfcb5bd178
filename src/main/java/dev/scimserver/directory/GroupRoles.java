package dev.scimserver.directory;

import dev.scimserver.scim.ScimException;

import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.UUID;

/**
 * Roles recomputed after a change they depend on, in the transaction of that change, and the last
 * active admin rule over the result: a change that would leave the workspace without an active admin
 * is refused, and the transaction, that change with it, is undone.
 */
final class GroupRoles {
    /** The journal's cause of a role that a change of the setting recomputed. */
    static final String SOURCE_CHANGED = "role-source";
    /** The journal's cause of a role that a change of the mappings recomputed. */
    static final String MAPPINGS_CHANGED = "role-mapping";

    private GroupRoles() {
    }

    /** The journal's cause of a role that a change of the group's members or name recomputed. */
    static String groupChanged(UUID groupId) {
        return "group:" + groupId;
    }

    /** Recomputes the roles of {@code userIds}, locked with {@link DirectoryTransaction#lockMembersForRoles}. */
    static void recompute(DirectoryTransaction tx, UUID workspace, RolePolicy policy, Collection<UUID> userIds,
                          String cause, Instant now) {
        if (!userIds.isEmpty()) {
            checkAdminRemains(tx, workspace, tx.recomputeRoles(workspace, policy, Optional.of(userIds), cause, now));
        }
    }

    /**
     * Before a change takes every member of the group out of it (a DELETE, a PUT, a PATCH that removes
     * all members), while its rows still say who they are: the members but {@code staying} get the role
     * they have once out of it, inside PostgreSQL whatever their number. Returns how many active admins
     * lost the admin role, for {@link #recomputeAfter} to judge with the rest of the change.
     */
    static int recomputeLeaving(DirectoryTransaction tx, UUID workspace, RolePolicy policy, UUID groupId,
                                Collection<UUID> staying, Instant now) {
        return tx.recomputeRolesLeaving(workspace, policy, groupId, staying, groupChanged(groupId), now);
    }

    /**
     * After a change of the group: recomputes {@code userIds} and, when {@code withMembers}, every
     * member the group has now, all locked with {@link DirectoryTransaction#lockMembersForRoles}; then
     * the last active admin rule over these and the {@code demotedBefore} of {@link #recomputeLeaving}.
     */
    static void recomputeAfter(DirectoryTransaction tx, UUID workspace, RolePolicy policy, UUID groupId,
                               Collection<UUID> userIds, boolean withMembers, int demotedBefore, Instant now) {
        int demoted = demotedBefore;
        if (withMembers) {
            demoted += tx.recomputeRolesWithGroup(workspace, policy, groupId, userIds, groupChanged(groupId), now);
        } else if (!userIds.isEmpty()) {
            demoted += tx.recomputeRoles(workspace, policy, Optional.of(userIds), groupChanged(groupId), now);
        }
        checkAdminRemains(tx, workspace, demoted);
    }

    /** Recomputes every member's role, in a transaction that holds {@link DirectoryTransaction#lockRolePolicy}. */
    static void recomputeAll(DirectoryTransaction tx, UUID workspace, RolePolicy policy, String cause, Instant now) {
        checkAdminRemains(tx, workspace, tx.recomputeRoles(workspace, policy, Optional.empty(), cause, now));
    }

    /**
     * The count after the workspace lock sees every admin change committed before it, as for a user's
     * own demotion (UserService): two changes that each take the admin role from one of the last two
     * admins cannot both pass.
     */
    private static void checkAdminRemains(DirectoryTransaction tx, UUID workspace, int adminsDemoted) {
        if (adminsDemoted == 0) {
            return;
        }
        tx.lockWorkspace(workspace);
        if (tx.countActiveAdmins(workspace) == 0) {
            throw ScimException.invalidValue("the workspace must keep at least one active admin: this change "
                    + "would take the admin role, through the mapped groups, from the last one");
        }
    }
}
