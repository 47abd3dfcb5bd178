package dev.scimserver.directory;

import java.time.Instant;
import java.util.List;

/**
 * One row of the change journal as an operator reads it: when, by which credential (its name, never a
 * secret) and in which request a resource changed, the operation, and the names of the attributes it
 * changed (the journal never keeps values).
 */
public record JournalEntry(long id, Instant occurredAt, String credential, String requestId, String request,
                           String operation, List<String> changedAttributes) {
    public JournalEntry {
        changedAttributes = List.copyOf(changedAttributes);
    }
}
