package dev.scimserver.directory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimserver.scim.ImmutableAttributes;
import dev.scimserver.scim.PatchEngine;
import dev.scimserver.scim.PatchOperation;
import dev.scimserver.scim.ResourceNormalizer;
import dev.scimserver.scim.ResourceType;
import dev.scimserver.scim.ScimException;
import dev.scimserver.scim.ScimSchemas;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/** The SCIM Group operations on the custom groups of the actor's workspace, each one transaction. */
public final class GroupService {
    private static final ResourceType GROUPS = ScimSchemas.get().groups();
    private static final LockedWrite<Group> LOCKED = new LockedWrite<>(GROUPS,
            DirectoryTransaction::findGroupForUpdateWithPolicy, Group::version);

    private final DirectoryStore store;
    private final Clock clock;

    public GroupService(DirectoryStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** A group as a write left it; {@code members} is null when the caller did not ask for them. */
    public record GroupView(Group group, List<MemberRef> members) {
    }

    public GroupView create(Actor actor, JsonNode body, boolean withMembers) {
        ObjectNode tree = ResourceNormalizer.normalize(GROUPS, body);
        MemberOperations.refuseMembersWithoutValue(body);
        List<UUID> members = MemberOperations.memberIds(tree.remove("members"));
        String name = refusingLookalikes(checkedName(tree));
        return store.inTransaction(actor, tx -> {
            UUID workspace = actor.workspaceId();
            Instant now = Timestamps.now(clock);
            Group group = new Group(UUID.randomUUID(), name, tree.path("externalId").asText(null), tree, 1, now, now);
            RolePolicy policy = tx.rolePolicy(workspace);
            boolean rolesFollow = policy.rolesFollow(group.id(), name, name);
            tx.insertGroup(workspace, group);
            lockMembers(tx, workspace, members, rolesFollow, Optional.empty());
            if (!members.isEmpty()) {
                tx.addGroupMembers(workspace, group.id(), members);
            }
            if (rolesFollow) {
                GroupRoles.recompute(tx, workspace, policy, members, GroupRoles.groupChanged(group.id()), now);
            }
            return view(tx, group, withMembers);
        });
    }

    /**
     * GET of one group: {@code reader} receives it inside the read, its members (when
     * {@code withMembers}) streaming from the database as the reader writes them.
     */
    public <R> R read(Actor actor, String id, boolean withMembers, GroupReader<Group, R> reader) {
        UUID groupId = ResourceIds.parse(GROUPS, id);
        return StreamedMembers.read(store, withMembers,
                tx -> tx.findGroup(actor.workspaceId(), groupId).orElseThrow(() -> ResourceIds.notFound(GROUPS, id)),
                group -> List.of(group.id()), reader);
    }

    /** A list of groups: {@code reader} receives the page inside the read, as {@link #read} a group. */
    public <R> R search(Actor actor, SearchQuery query, boolean withMembers,
                        GroupReader<SearchResult<Group>, R> reader) {
        return StreamedMembers.read(store, withMembers,
                tx -> CursorPaging.search(tx, clock, actor.workspaceId(), "Group", query,
                        q -> tx.searchGroups(actor.workspaceId(), q)),
                page -> page.items().stream().map(Group::id).toList(), reader);
    }

    /** How many members each of {@code groups}, as a read of a workspace found them, has (zero included). */
    public Map<UUID, Long> memberCounts(List<Group> groups) {
        List<UUID> ids = groups.stream().map(Group::id).toList();
        Map<UUID, Long> found = store.read(tx -> tx.countGroupMembers(ids));
        Map<UUID, Long> counts = new HashMap<>();
        ids.forEach(id -> counts.put(id, found.getOrDefault(id, 0L)));
        return counts;
    }

    public GroupView replace(Actor actor, String id, JsonNode body, Precondition precondition, boolean withMembers) {
        // A body that is no group is refused whatever the id names, so it is read before the id.
        ObjectNode tree = ResourceNormalizer.normalize(GROUPS, body);
        MemberOperations.refuseMembersWithoutValue(body);
        List<UUID> members = MemberOperations.memberIds(tree.remove("members"));
        checkedName(tree);
        ResourceIds.checkBodyId(body, id);
        List<MembershipChange> changes = List.of(new MembershipChange.RemoveAll(members),
                new MembershipChange.Add(members));
        return update(actor, id, precondition, current -> {
            ImmutableAttributes.checkReplacement(GROUPS, current.attributes(), tree);
            return tree;
        }, changes, withMembers);
    }

    public GroupView patch(Actor actor, String id, List<PatchOperation> operations, Precondition precondition,
                           boolean withMembers) {
        MemberOperations split = MemberOperations.split(operations);
        return update(actor, id, precondition, current -> split.attributeOperations.isEmpty() ? current.attributes()
                        : PatchEngine.apply(GROUPS, current.id().toString(), current.attributes(), split.attributeOperations),
                split.membershipChanges, withMembers);
    }

    private GroupView update(Actor actor, String id, Precondition precondition,
                             java.util.function.Function<Group, ObjectNode> change,
                             List<MembershipChange> membershipChanges, boolean withMembers) {
        return LOCKED.run(store, actor, id, precondition, (tx, workspace, current, policy) -> {
            UUID groupId = current.id();
            ObjectNode tree = change.apply(current);
            String name = checkedName(tree);
            if (!name.equals(current.displayName())) {
                refusingLookalikes(name);
            }
            boolean rolesFollow = policy.rolesFollow(groupId, current.displayName(), name);
            // Every member whose role can change: those added and removed by id and, when the change
            // empties the group or changes the role it gives, all of its members as they are now.
            boolean emptied = membershipChanges.stream().anyMatch(MembershipChange.RemoveAll.class::isInstance);
            boolean allMembers = rolesFollow && (emptied
                    || !policy.roleOf(groupId, current.displayName()).equals(policy.roleOf(groupId, name)));
            // Before any member is removed, in the order every write takes its locks: the group, then
            // the members, then their group_members rows (a user's DELETE takes its groups first too).
            Set<UUID> touched = lockMembers(tx, workspace, added(membershipChanges), rolesFollow,
                    allMembers ? Optional.of(groupId) : Optional.empty(), removed(membershipChanges));
            Instant now = Timestamps.after(current.lastModified(), clock);
            // The members that leave with the group emptied are those no change names: only its rows,
            // about to go, still say who they are, so their roles are recomputed first.
            int demoted = allMembers && emptied
                    ? GroupRoles.recomputeLeaving(tx, workspace, policy, groupId, touched, now) : 0;
            int membershipRows = 0;
            for (MembershipChange membershipChange : membershipChanges) {
                membershipRows += apply(tx, workspace, groupId, membershipChange);
            }
            boolean attributesChanged = !tree.equals(current.attributes());
            if (!attributesChanged && membershipRows == 0) {
                return view(tx, current, withMembers);
            }
            Group updated = new Group(groupId, name, tree.path("externalId").asText(null), tree,
                    current.version() + 1, current.created(), now);
            if (attributesChanged) {
                tx.updateGroup(workspace, updated);
            } else {
                tx.updateGroupVersion(workspace, updated);
            }
            if (rolesFollow) {
                GroupRoles.recomputeAfter(tx, workspace, policy, groupId, touched, allMembers && !emptied, demoted,
                        now);
            }
            return view(tx, updated, withMembers);
        });
    }

    private static int apply(DirectoryTransaction tx, UUID workspace, UUID groupId, MembershipChange change) {
        // Java 17 has no pattern switch; the sealed interface keeps this list complete.
        if (change instanceof MembershipChange.Add add) {
            return add.userIds().isEmpty() ? 0 : tx.addGroupMembers(workspace, groupId, add.userIds());
        }
        if (change instanceof MembershipChange.Remove remove) {
            return remove.userIds().isEmpty() ? 0 : tx.removeGroupMembers(groupId, remove.userIds());
        }
        return tx.removeGroupMembersBut(groupId, ((MembershipChange.RemoveAll) change).kept());
    }

    private static List<UUID> removed(List<MembershipChange> changes) {
        List<UUID> ids = new ArrayList<>();
        for (MembershipChange change : changes) {
            if (change instanceof MembershipChange.Remove remove) {
                ids.addAll(remove.userIds());
            }
        }
        return ids;
    }

    private static List<UUID> added(List<MembershipChange> changes) {
        Set<UUID> ids = new LinkedHashSet<>();
        for (MembershipChange change : changes) {
            if (change instanceof MembershipChange.Add add) {
                ids.addAll(add.userIds());
            }
        }
        return List.copyOf(ids);
    }

    /**
     * Keeps the users about to be added from leaving the workspace until the change commits, and
     * refuses those that are no member of it. Archived members are members: Entra keeps sending the
     * memberships of disabled users, and one refused member would fail the IdP's whole batch.
     */
    private static Set<UUID> lockMembers(DirectoryTransaction tx, UUID workspace, List<UUID> userIds,
                                         boolean rolesFollow, Optional<UUID> membersOf, List<UUID> alsoForRoles) {
        if (!rolesFollow && userIds.isEmpty()) {
            return Set.of();
        }
        // While their roles follow the group, the members are locked for the change of their rows
        // that the recomputation makes, the others only against their leaving. Of the group's
        // members (membersOf) only those named by id come back: the rest stay in the database.
        Set<UUID> members;
        if (rolesFollow) {
            Set<UUID> ids = new LinkedHashSet<>(userIds);
            ids.addAll(alsoForRoles);
            members = tx.lockMembersForRoles(workspace, ids, membersOf);
        } else {
            members = tx.lockMembers(workspace, userIds);
        }
        if (!members.containsAll(userIds)) {
            throw MemberOperations.unknownMembers(userIds.stream().filter(u -> !members.contains(u))
                    .map(UUID::toString).toList());
        }
        return members;
    }

    private static Set<UUID> lockMembers(DirectoryTransaction tx, UUID workspace, List<UUID> userIds,
                                         boolean rolesFollow, Optional<UUID> membersOf) {
        return lockMembers(tx, workspace, userIds, rolesFollow, membersOf, List.of());
    }

    public void delete(Actor actor, String id, Precondition precondition) {
        LOCKED.run(store, actor, id, precondition, (tx, workspace, current, policy) -> {
            boolean rolesFollow = policy.rolesFollow(current.id(), current.displayName(), current.displayName());
            if (!rolesFollow) {
                tx.deleteGroup(workspace, current.id());
                return null;
            }
            lockMembers(tx, workspace, List.of(), true, Optional.of(current.id()));
            // Its rows go with the group: its members' roles are recomputed while they still say who they are.
            Instant now = Timestamps.now(clock);
            int demoted = GroupRoles.recomputeLeaving(tx, workspace, policy, current.id(), List.of(), now);
            tx.deleteGroup(workspace, current.id());
            GroupRoles.recomputeAfter(tx, workspace, policy, current.id(), List.of(), false, demoted, now);
            return null;
        });
    }

    private static String refusingLookalikes(String name) {
        if (Role.looksLikeRoleName(name)) {
            throw ScimException.invalidValue("'" + name + "' looks like the name of a role; custom groups cannot "
                    + "take the names admin, builder or end-user, nor forms of them");
        }
        return name;
    }

    private static String checkedName(ObjectNode tree) {
        String name = tree.path("displayName").asText("");
        if (name.isBlank()) {
            throw ScimException.invalidValue("displayName is required");
        }
        if (Role.isRoleName(name)) {
            throw ScimException.invalidValue("'" + name + "' is the name of a role; custom groups cannot take "
                    + "the names admin, builder or end-user");
        }
        return name;
    }

    /** The answer of a write, whose members are those the write left (read in its transaction). */
    private static GroupView view(DirectoryTransaction tx, Group group, boolean withMembers) {
        if (!withMembers) {
            return new GroupView(group, null);
        }
        try (Stream<GroupMember> members = tx.membersOfGroups(List.of(group.id()))) {
            return new GroupView(group, members.map(GroupMember::member).toList());
        }
    }
}
