package dev.scimserver.directory;

import java.util.UUID;

/** Where a create put a membership: the person's id, and the membership's first version. */
public record PlacedMember(UUID userId, long version) {
}
