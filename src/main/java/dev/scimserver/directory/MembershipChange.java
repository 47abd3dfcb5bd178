package dev.scimserver.directory;

import java.util.List;
import java.util.UUID;

/** One change to a group's members, applied in SQL as a set operation. */
sealed interface MembershipChange {
    record Add(List<UUID> userIds) implements MembershipChange {
    }

    record Remove(List<UUID> userIds) implements MembershipChange {
    }

    /**
     * Every member but {@code kept} leaves: a replacement keeps the members it names again, so one that
     * repeats the group as it is (Okta's group push does) changes no row, no version and no journal.
     */
    record RemoveAll(List<UUID> kept) implements MembershipChange {
    }
}
