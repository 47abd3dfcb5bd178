package dev.scimserver.access;

import java.time.Instant;
import java.util.UUID;

/**
 * A workspace as administrators see it: its id (the one credentials and the journal carry), its slug
 * (what URLs and commands name it by), its display name, and whether it is the Default Workspace, the
 * one the environment's credentials act on.
 */
public record Workspace(UUID id, WorkspaceSlug slug, String name, boolean isDefault, Instant createdAt) {
}
