package dev.scimserver.directory;

import java.util.List;
import java.util.UUID;

/** One change to a group's members, applied in SQL as a set operation. */
sealed interface MembershipChange {
    record Add(List<UUID> userIds) implements MembershipChange {
    }

    record Remove(List<UUID> userIds) implements MembershipChange {
    }

    record RemoveAll() implements MembershipChange {
    }
}
