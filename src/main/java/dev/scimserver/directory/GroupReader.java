package dev.scimserver.directory;

import java.util.function.Consumer;

/**
 * Receives one group inside the transaction that read it. {@code members}, called at most once
 * before {@link #read} returns, hands the group's members over one at a time as the database sends
 * them, so that a group of 100,000 members is written out without ever being held in memory.
 */
@FunctionalInterface
public interface GroupReader {
    void read(Group group, Consumer<Consumer<MemberRef>> members);
}
