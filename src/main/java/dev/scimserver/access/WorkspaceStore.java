package dev.scimserver.access;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Storage of the workspaces themselves. Every write is journaled as made by its {@link ChangeOrigin},
 * in the write's own transaction. Implementations throw {@link CredentialsUnavailableException} when
 * the database cannot be reached.
 */
public interface WorkspaceStore {
    /** What a write did. */
    enum Outcome {
        DONE,
        /** Another workspace has the slug; nothing was written. */
        SLUG_TAKEN,
        /** The workspace is gone (deleted meanwhile); nothing was written. */
        MISSING
    }

    /** Every workspace, the Default Workspace first, then oldest first. */
    List<Workspace> workspaces();

    Optional<Workspace> findWorkspace(WorkspaceSlug slug);

    /** Stores a new workspace with its role groups; {@link Outcome#SLUG_TAKEN} when the slug is another's. */
    Outcome insertWorkspace(Workspace workspace, ChangeOrigin by);

    /** Gives the workspace this name and slug (either may be its present one). */
    Outcome updateWorkspace(UUID workspaceId, String name, WorkspaceSlug slug, ChangeOrigin by);

    /** Deletes the workspace with its members, groups and credentials. */
    Outcome deleteWorkspace(UUID workspaceId, ChangeOrigin by);
}
