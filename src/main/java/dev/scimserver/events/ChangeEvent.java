package dev.scimserver.events;

import dev.scimserver.scim.AsciiDigits;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One change journal row as an event: its id is the journal row's, so every delivery of it, to any
 * subscription and on any retry, carries the same {@link #id()}. {@code changedAttributes} are names
 * only (never a value: {@code password} is named, never shown); {@code memberIds} are the members a
 * membership change added or removed (or an OAuth client's secret ids). {@code occurredAt} is the
 * changing transaction's time. {@code cause} says why a change the request did not ask for was made
 * (a role recomputed from groups: {@code group:<id>}, {@code role-mapping}, {@code role-source});
 * null for the request's own change.
 */
public record ChangeEvent(long journalId, UUID workspaceId, String resourceType, UUID resourceId, String operation,
                          List<String> changedAttributes, List<UUID> memberIds, Instant occurredAt, String requestId,
                          String cause) {
    static final String ID_PREFIX = "evt_";

    public ChangeEvent {
        changedAttributes = List.copyOf(changedAttributes);
        memberIds = memberIds == null ? List.of() : List.copyOf(memberIds);
    }

    /** The event's stable id, as webhooks ({@code webhook-id}) and SETs ({@code jti}) carry it. */
    public String id() {
        return ID_PREFIX + journalId;
    }

    public EventType type() {
        return EventType.of(resourceType, operation, changedAttributes);
    }

    /** The journal id an event id names, or -1 when it names none of ours. */
    static long journalIdOf(String eventId) {
        if (eventId == null || !eventId.startsWith(ID_PREFIX) || eventId.length() > ID_PREFIX.length() + 19) {
            return -1;
        }
        try {
            return AsciiDigits.parseLong(eventId.substring(ID_PREFIX.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
