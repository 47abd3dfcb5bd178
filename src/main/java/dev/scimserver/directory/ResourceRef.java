package dev.scimserver.directory;

import java.util.UUID;

/** One resource found by a search across resource types: its type ("User" or "Group") and id. */
public record ResourceRef(String resourceType, UUID id) {
}
