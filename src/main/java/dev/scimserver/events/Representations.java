package dev.scimserver.events;

import java.util.Optional;
import java.util.UUID;

/** A directory resource as SCIM shows it now; empty when it no longer exists (or is no User or Group). */
public interface Representations {
    Optional<Representation> current(UUID workspaceId, String resourceType, UUID resourceId);
}
