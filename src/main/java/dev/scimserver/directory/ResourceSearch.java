package dev.scimserver.directory;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A search at the service provider's root (RFC 7644 §3.4.3): Users and Groups in one result, in one
 * order, paged by index or cursor like a single type. Each found resource is read whole in the same
 * transaction.
 */
public final class ResourceSearch {
    private final DirectoryStore store;
    private final java.time.Clock clock;

    /** One resource found: a user or a group, the other null. */
    public record Found(UserView user, GroupService.GroupView group) {
    }

    public ResourceSearch(DirectoryStore store, java.time.Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public SearchResult<Found> search(SearchQuery query, boolean withMembers) {
        return store.read(tx -> {
            UUID workspace = tx.defaultWorkspaceId();
            return CursorPaging.search(tx, clock, "Resource", query,
                    q -> read(tx, workspace, tx.searchResources(workspace, q), withMembers));
        });
    }

    private static Page<Found> read(DirectoryTransaction tx, UUID workspace, Page<ResourceRef> refs,
                                    boolean withMembers) {
        List<UUID> userIds = ids(refs, "User");
        List<UUID> groupIds = ids(refs, "Group");
        Map<UUID, UserView> users = tx.findUsers(workspace, userIds).stream()
                .collect(Collectors.toMap(v -> v.member().userId(), Function.identity()));
        Map<UUID, GroupService.GroupView> groups = GroupService.views(tx,
                        new Page<>(0, tx.findGroups(workspace, groupIds)), withMembers).items().stream()
                .collect(Collectors.toMap(v -> v.group().id(), Function.identity()));
        List<Found> found = refs.items().stream()
                .map(r -> r.resourceType().equals("User") ? new Found(users.get(r.id()), null)
                        : new Found(null, groups.get(r.id())))
                .toList();
        return new Page<>(refs.totalResults(), found, refs.next(), refs.previous());
    }

    private static List<UUID> ids(Page<ResourceRef> refs, String type) {
        return refs.items().stream().filter(r -> r.resourceType().equals(type)).map(ResourceRef::id).toList();
    }
}
