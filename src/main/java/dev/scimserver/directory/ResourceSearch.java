package dev.scimserver.directory;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A search at the service provider's root (RFC 7644 §3.4.3): Users and Groups in one result, in one
 * order, paged by index or cursor like a single type. Each found resource is read whole in the same
 * transaction, but a group's members, which stream to the reader as a list of groups' do.
 */
public final class ResourceSearch {
    private final DirectoryStore store;
    private final java.time.Clock clock;

    /** One resource found: a user or a group, the other null. */
    public record Found(UserView user, Group group) {
    }

    public ResourceSearch(DirectoryStore store, java.time.Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** {@code reader} receives the page inside the read, with the members of its groups to come. */
    public <R> R search(Actor actor, SearchQuery query, boolean withMembers,
                        GroupReader<SearchResult<Found>, R> reader) {
        UUID workspace = actor.workspaceId();
        return StreamedMembers.read(store, withMembers, tx -> CursorPaging.search(tx, clock, workspace, "Resource",
                        query, q -> read(tx, workspace, tx.searchResources(workspace, q))), page -> page.items().stream().filter(f -> f.group() != null).map(f -> f.group().id()).toList(), reader);
    }

    private static Page<Found> read(DirectoryTransaction tx, UUID workspace, Page<ResourceRef> refs) {
        Map<UUID, UserView> users = tx.findUsers(workspace, ids(refs, "User")).stream()
                .collect(Collectors.toMap(v -> v.member().userId(), Function.identity()));
        Map<UUID, Group> groups = tx.findGroups(workspace, ids(refs, "Group")).stream()
                .collect(Collectors.toMap(Group::id, Function.identity()));
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
