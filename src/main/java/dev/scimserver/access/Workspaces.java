package dev.scimserver.access;

import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The workspaces: created with a slug and a name, renamed, deleted with everything in them. The
 * Default Workspace, where the environment's credentials act, keeps its slug {@code default} and
 * cannot be deleted.
 */
public final class Workspaces {
    /**
     * The metrics' workspace labels that stand for no one workspace (requests of none, of a workspace not
     * yet learned, of the workspaces beyond the oldest 200): a workspace with one of them as its slug
     * would have its requests counted with those. Refused for new slugs; a stored one keeps working.
     */
    public static final Set<String> RESERVED_SLUGS = Set.of("none", "other", "unknown");

    private final WorkspaceStore store;
    private final Clock clock;
    private final Runnable credentialsEnded;

    /** {@code credentialsEnded} runs after a deletion ended the workspace's credentials ({@link CredentialCache#forgetAll()}). */
    public Workspaces(WorkspaceStore store, Clock clock, Runnable credentialsEnded) {
        this.store = store;
        this.clock = clock;
        this.credentialsEnded = credentialsEnded;
    }

    /** The Default Workspace first, then the others, oldest first. */
    public List<Workspace> list() {
        return store.workspaces();
    }

    /**
     * The workspace named by {@code slug}: {@link AccessRuleException} when the text cannot be a slug,
     * {@link AccessNotFoundException} when no workspace has it.
     */
    public Workspace get(String slug) {
        WorkspaceSlug parsed = WorkspaceSlug.parse(slug);
        return store.findWorkspace(parsed).orElseThrow(() -> new AccessNotFoundException(
                "no workspace has the slug '" + parsed + "'"));
    }

    public Workspace create(String slug, String name, ChangeOrigin by) {
        Workspace workspace = new Workspace(UUID.randomUUID(), unreserved(WorkspaceSlug.parse(slug)),
                CredentialNames.check("a workspace's name", name), false, clock.instant());
        if (store.insertWorkspace(workspace, by) == WorkspaceStore.Outcome.SLUG_TAKEN) {
            throw slugTaken(workspace.slug());
        }
        return workspace;
    }

    /** Gives the workspace a new name, a new slug, or both; {@code null} keeps the present one. */
    public Workspace update(Workspace workspace, String name, String slug, ChangeOrigin by) {
        String newName = name == null ? workspace.name() : CredentialNames.check("a workspace's name", name);
        WorkspaceSlug newSlug = slug == null ? workspace.slug() : WorkspaceSlug.parse(slug);
        if (!newSlug.equals(workspace.slug())) {
            unreserved(newSlug);
        }
        if (workspace.isDefault() && !newSlug.equals(WorkspaceSlug.DEFAULT)) {
            throw new AccessConflictException("the Default Workspace keeps the slug '" + WorkspaceSlug.DEFAULT
                    + "': the environment's credentials and the command line's default name it so");
        }
        WorkspaceStore.Outcome outcome = store.updateWorkspace(workspace.id(), newName, newSlug, by);
        if (outcome == WorkspaceStore.Outcome.SLUG_TAKEN) {
            throw slugTaken(newSlug);
        }
        if (outcome == WorkspaceStore.Outcome.MISSING) {
            throw gone(workspace);
        }
        return new Workspace(workspace.id(), newSlug, newName, workspace.isDefault(), workspace.createdAt());
    }

    /** Deletes the workspace with its members, groups and credentials, in one transaction. */
    public void delete(Workspace workspace, ChangeOrigin by) {
        if (workspace.isDefault()) {
            throw new AccessConflictException("the Default Workspace cannot be deleted: the environment's "
                    + "credentials (SCIM_BASIC_AUTH_USER, SCIM_HEADER_AUTH_TOKEN) act on it");
        }
        if (store.deleteWorkspace(workspace.id(), by) == WorkspaceStore.Outcome.MISSING) {
            throw gone(workspace);
        }
        credentialsEnded.run();
    }

    private static WorkspaceSlug unreserved(WorkspaceSlug slug) {
        if (RESERVED_SLUGS.contains(slug.value())) {
            throw new AccessRuleException("slug", "the slug '" + slug + "' is reserved: the metrics' workspace label "
                    + "uses none, other and unknown for requests of no workspace, of one not yet learned and of "
                    + "those beyond the oldest 200");
        }
        return slug;
    }

    private static AccessConflictException slugTaken(WorkspaceSlug slug) {
        return new AccessConflictException("another workspace has the slug '" + slug + "'");
    }

    private static AccessNotFoundException gone(Workspace workspace) {
        return new AccessNotFoundException("no workspace has the slug '" + workspace.slug() + "'");
    }
}
