package dev.scimserver.directory;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The members of the groups of one read, from one statement, handed out group by group as the
 * reader reaches each group: the statement starts when the first group's members are asked for,
 * and each call reads on from where the previous one stopped. One way for every read of groups
 * (one group, a page of them, a page at the root), so none of them holds a page's members.
 */
final class StreamedMembers implements GroupMembers, AutoCloseable {
    private final DirectoryTransaction tx;
    private final List<UUID> groupIds;
    private final Map<UUID, Integer> positions = new HashMap<>();
    private Stream<GroupMember> rows;
    private Iterator<GroupMember> cursor;
    private GroupMember next;
    private int reached = -1;

    private StreamedMembers(DirectoryTransaction tx, List<UUID> groupIds) {
        this.tx = tx;
        this.groupIds = groupIds;
        for (int i = 0; i < groupIds.size(); i++) {
            positions.put(groupIds.get(i), i);
        }
    }

    /**
     * A read of groups: {@code find} finds them, and {@code reader} receives them in the same
     * transaction with their members, streamed when {@code withMembers}. Rows stream only inside a
     * transaction (the driver reads them through a portal); a read without members needs none and
     * saves the COMMIT's round trip.
     */
    static <T, R> R read(DirectoryStore store, boolean withMembers, Function<DirectoryTransaction, T> find,
                         Function<T, List<UUID>> groupIds, GroupReader<T, R> reader) {
        if (!withMembers) {
            return store.read(tx -> reader.read(find.apply(tx), GroupMembers.NONE));
        }
        return store.readStreaming(tx -> {
            T found = find.apply(tx);
            try (StreamedMembers members = new StreamedMembers(tx, groupIds.apply(found))) {
                return reader.read(found, members);
            }
        });
    }

    @Override
    public void forEach(UUID groupId, Consumer<MemberRef> action) {
        Integer position = positions.get(groupId);
        if (position == null || position <= reached) {
            throw new IllegalStateException("members of group " + groupId + " asked for out of the read's order");
        }
        reached = position;
        if (rows == null) {
            rows = tx.membersOfGroups(groupIds);
            cursor = rows.iterator();
            next = advance();
        }
        while (next != null && positions.get(next.groupId()) < position) {
            next = advance();
        }
        while (next != null && next.groupId().equals(groupId)) {
            action.accept(next.member());
            next = advance();
        }
    }

    private GroupMember advance() {
        return cursor.hasNext() ? cursor.next() : null;
    }

    @Override
    public void close() {
        if (rows != null) {
            rows.close();
        }
    }
}
