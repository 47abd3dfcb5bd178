package dev.scimserver.activity;

import java.time.Instant;
import java.util.UUID;

/** Where a page of the log ended: the time and id of its last (oldest) entry; the next page starts after it. */
public record LogPosition(Instant receivedAt, UUID id) {
}
