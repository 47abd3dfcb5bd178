package dev.scimserver.directory;

import dev.scimserver.scim.ClientText;
import dev.scimserver.scim.ScimException;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A workspace's role policy, as its administrator reads and changes it. A change recomputes every
 * member's role in its own transaction, in one statement, under the lock that makes the membership
 * changes in flight finish first and those after it read the new policy; a change that would leave
 * the workspace without an active admin is refused and undone whole.
 */
public final class WorkspaceRoles {
    private final DirectoryStore store;
    private final Clock clock;

    public WorkspaceRoles(DirectoryStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public RolePolicy policy(UUID workspaceId) {
        return store.read(tx -> tx.rolePolicy(workspaceId));
    }

    /** Sets where the roles come from; the actor acts in the workspace the policy is of. */
    public RolePolicy changeSource(Actor actor, RoleSource source) {
        return change(actor, policy -> policy.withSource(source), GroupRoles.SOURCE_CHANGED);
    }

    /**
     * Replaces the whole list of mappings, as the administration API's PUT does, when the mappings as
     * they are under the policy's lock have a {@link RolePolicy#mappingsDigest() digest} the caller
     * expects (412 preconditionFailed otherwise): a client that read them, changed one and writes them
     * back loses no change made in between.
     */
    public RolePolicy changeMappings(Actor actor, List<RoleMapping> mappings, Predicate<String> expectedDigest) {
        return change(actor, policy -> {
            if (!expectedDigest.test(policy.mappingsDigest())) {
                throw ScimException.preconditionFailed("the precondition does not hold: the role mappings changed "
                        + "since they were read; read them again");
            }
            return policy.withMappings(mappings);
        }, GroupRoles.MAPPINGS_CHANGED);
    }

    /**
     * Maps one more group, added to the mappings as they are under the policy's lock: two edits made at
     * once from one page both stay, where a list read before the lock and written back would lose one.
     * A group mapped already is 400 invalidValue, as in a list.
     */
    public RolePolicy addMapping(Actor actor, RoleMapping mapping) {
        return change(actor, policy -> {
            List<RoleMapping> next = new ArrayList<>(policy.mappings());
            next.add(mapping);
            return policy.withMappings(next);
        }, GroupRoles.MAPPINGS_CHANGED);
    }

    /**
     * Removes the mapping of {@code group}, found as a mapping is compared (trimmed, in any case), from
     * the mappings under the policy's lock. None to remove (a page read before another edit removed or
     * respelled it) is 400 noTarget, so that the administrator is not told of a change that was not made.
     */
    public RolePolicy removeMapping(Actor actor, String named) {
        String group = named == null ? "" : named;
        String key = RoleMapping.keyOf(group);
        return change(actor, policy -> {
            List<RoleMapping> kept = policy.mappings().stream().filter(mapping -> !mapping.key().equals(key)).toList();
            if (kept.size() == policy.mappings().size()) {
                throw ScimException.noTarget("there is no mapping of the group '" + ClientText.abbreviate(group)
                        + "' to remove: read the mappings again");
            }
            return policy.withMappings(kept);
        }, GroupRoles.MAPPINGS_CHANGED);
    }

    private RolePolicy change(Actor actor, UnaryOperator<RolePolicy> change, String cause) {
        return store.inTransaction(actor, tx -> {
            UUID workspace = actor.workspaceId();
            RolePolicy current = tx.lockRolePolicy(workspace);
            RolePolicy next = change.apply(current);
            if (next.equals(current)) {
                return current;
            }
            tx.saveRolePolicy(workspace, next);
            // Mappings count for nothing while roles come from the attribute; a change of the source
            // itself recomputes, to the attribute's roles when it returns to them.
            if (next.source().usesGroups() || current.source().usesGroups()) {
                GroupRoles.recomputeAll(tx, workspace, next, cause, Timestamps.now(clock));
            }
            return next;
        });
    }
}
