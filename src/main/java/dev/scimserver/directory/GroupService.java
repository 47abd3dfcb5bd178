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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/** The SCIM Group operations on the custom groups of the actor's workspace, each one transaction. */
public final class GroupService {
    private static final ResourceType GROUPS = ScimSchemas.get().groups();
    private static final LockedWrite<Group> LOCKED = new LockedWrite<>(GROUPS, DirectoryTransaction::findGroupForUpdate,
            Group::version);

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
        List<UUID> members = MemberOperations.memberIds(tree.remove("members"));
        String name = checkedName(tree);
        return store.inTransaction(actor, tx -> {
            UUID workspace = actor.workspaceId();
            Instant now = Timestamps.now(clock);
            Group group = new Group(UUID.randomUUID(), name, tree.path("externalId").asText(null), tree, 1, now, now);
            tx.insertGroup(workspace, group);
            lockMembers(tx, workspace, members);
            if (!members.isEmpty()) {
                tx.addGroupMembers(workspace, group.id(), members);
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

    public GroupView replace(Actor actor, String id, JsonNode body, Precondition precondition, boolean withMembers) {
        // A body that is no group is refused whatever the id names, so it is read before the id.
        ObjectNode tree = ResourceNormalizer.normalize(GROUPS, body);
        List<UUID> members = MemberOperations.memberIds(tree.remove("members"));
        checkedName(tree);
        ResourceIds.checkBodyId(body, id);
        List<MembershipChange> changes = List.of(new MembershipChange.RemoveAll(), new MembershipChange.Add(members));
        return update(actor, id, precondition, current -> {
            ImmutableAttributes.checkReplacement(GROUPS, current.attributes(), tree);
            return tree;
        }, changes, withMembers);
    }

    public GroupView patch(Actor actor, String id, List<PatchOperation> operations, Precondition precondition,
                           boolean withMembers) {
        MemberOperations split = MemberOperations.split(operations);
        return update(actor, id, precondition, current -> split.attributeOperations.isEmpty() ? current.attributes()
                        : PatchEngine.apply(GROUPS, current.attributes(), split.attributeOperations),
                split.membershipChanges, withMembers);
    }

    private GroupView update(Actor actor, String id, Precondition precondition,
                             java.util.function.Function<Group, ObjectNode> change,
                             List<MembershipChange> membershipChanges, boolean withMembers) {
        return LOCKED.run(store, actor, id, precondition, (tx, workspace, current) -> {
            UUID groupId = current.id();
            ObjectNode tree = change.apply(current);
            String name = checkedName(tree);
            // Before any member is removed: a user's DELETE takes the member's lock, then the
            // group_members rows, so taking them in the other order here could deadlock with it.
            lockMembers(tx, workspace, added(membershipChanges));
            int membershipRows = 0;
            for (MembershipChange membershipChange : membershipChanges) {
                membershipRows += apply(tx, workspace, groupId, membershipChange);
            }
            if (tree.equals(current.attributes()) && membershipRows == 0) {
                return view(tx, current, withMembers);
            }
            Group updated = new Group(groupId, name, tree.path("externalId").asText(null), tree,
                    current.version() + 1, current.created(), Timestamps.now(clock));
            tx.updateGroup(workspace, updated);
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
        return tx.removeAllGroupMembers(groupId);
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
    private static void lockMembers(DirectoryTransaction tx, UUID workspace, List<UUID> userIds) {
        if (userIds.isEmpty()) {
            return;
        }
        Set<UUID> members = tx.lockMembers(workspace, userIds);
        if (members.size() < userIds.size()) {
            throw MemberOperations.unknownMembers(userIds.stream().filter(u -> !members.contains(u))
                    .map(UUID::toString).toList());
        }
    }

    public void delete(Actor actor, String id, Precondition precondition) {
        LOCKED.run(store, actor, id, precondition, (tx, workspace, current) -> {
            tx.deleteGroup(workspace, current.id());
            return null;
        });
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
