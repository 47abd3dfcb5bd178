package dev.scimserver.directory;

import java.util.UUID;
import java.util.function.Consumer;

/**
 * The members of the groups a read found, handed over one at a time as the database sends them,
 * so that a group of 100,000 members, or a page of such groups, is written out without ever being
 * held in memory.
 */
@FunctionalInterface
public interface GroupMembers {
    /** For a read that does not return members: asking for them is a bug of the caller. */
    GroupMembers NONE = (groupId, action) -> {
        throw new IllegalStateException("members of group " + groupId + " were not read");
    };

    /**
     * Hands the members of one group to {@code action}. Called for the groups in the order the read
     * found them, each at most once; a group may be skipped.
     */
    void forEach(UUID groupId, Consumer<MemberRef> action);
}
