package dev.scimserver.directory;

/**
 * Receives what a read of groups found ({@code T}: one group, or a page of them) inside the read,
 * with their members to come; what it returns, the read returns. The read holds a database
 * connection while the reader runs: a reader writes to something that never waits for a client.
 */
@FunctionalInterface
public interface GroupReader<T, R> {
    R read(T found, GroupMembers members);
}
