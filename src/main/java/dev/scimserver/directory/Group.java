package dev.scimserver.directory;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.UUID;

/**
 * A custom group of the workspace. {@code attributes} is its canonical SCIM tree without members,
 * which live in their own table and are never loaded to be changed.
 */
public record Group(UUID id, String displayName, String externalId, ObjectNode attributes, long version,
                    Instant created, Instant lastModified) {
}
