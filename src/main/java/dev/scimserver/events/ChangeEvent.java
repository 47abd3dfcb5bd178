package dev.scimserver.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One change journal row as an event: its id is made of the journal row's ({@link EventIds}), so every
 * delivery of it, to any subscription and on any retry, carries the same id. {@code changedAttributes} are names
 * only (never a value: {@code password} is named, never shown); {@code memberIds} are the members a
 * membership change added or removed (or an OAuth client's secret ids). {@code occurredAt} is the
 * changing transaction's time. {@code cause} says why a change the request did not ask for was made
 * (a role recomputed from groups: {@code group:<id>}, {@code role-mapping}, {@code role-source});
 * null for the request's own change.
 */
public record ChangeEvent(long journalId, UUID workspaceId, String resourceType, UUID resourceId, String operation,
                          List<String> changedAttributes, List<UUID> memberIds, Instant occurredAt, String requestId,
                          String cause) {
    public ChangeEvent {
        changedAttributes = List.copyOf(changedAttributes);
        memberIds = memberIds == null ? List.of() : List.copyOf(memberIds);
    }

    public EventType type() {
        return EventType.of(resourceType, operation, changedAttributes);
    }
}
