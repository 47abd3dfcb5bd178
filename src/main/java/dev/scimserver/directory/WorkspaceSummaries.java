package dev.scimserver.directory;

import java.util.UUID;

/**
 * Where the figures of a workspace's directory come from. Implementations throw
 * {@link DirectoryUnavailableException} when the database cannot be reached.
 */
public interface WorkspaceSummaries {
    /** The figures of the workspace {@code workspaceId}; all zero for a workspace with nothing in it. */
    WorkspaceSummary summaryOf(UUID workspaceId);
}
