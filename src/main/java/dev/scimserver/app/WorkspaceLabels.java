package dev.scimserver.app;

import dev.scimserver.access.Workspace;
import dev.scimserver.access.Workspaces;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The workspace label of the metrics: the workspace's slug, read from a map that a background
 * refresh keeps (the request path never waits for the database). At most {@value #MAX_LABELS}
 * workspaces get a label of their own, the oldest; the rest share {@code other}, so that the number
 * of series stays bounded however many workspaces there are. A workspace created since the last
 * refresh is {@code unknown} until the next; a request of none (refused before) is {@code none}.
 * A slug that a refresh no longer finds (its workspace deleted or renamed) is no longer a label, and
 * one that a refresh finds on another workspace than before (freed by a delete or a rename, then taken
 * again) is a label that {@link #refresh} names as reassigned: its series counted the other workspace.
 */
final class WorkspaceLabels {
    static final int MAX_LABELS = 200;
    /** The labels of no one workspace, which no workspace may take as its slug. */
    private static final Set<String> SHARED = Workspaces.RESERVED_SLUGS;

    private volatile Map<UUID, String> slugs = Map.of();
    private volatile Set<String> labels = SHARED;

    String of(UUID workspaceId) {
        if (workspaceId == null) {
            return "none";
        }
        Map<UUID, String> known = slugs;
        String slug = known.get(workspaceId);
        return slug != null ? slug : known.size() >= MAX_LABELS ? "other" : "unknown";
    }

    /**
     * Learns the workspaces again, as the store lists them (oldest first); from a background thread.
     * Answers the labels that named another workspace before this refresh.
     */
    Set<String> refresh(List<Workspace> workspaces) {
        Map<String, UUID> before = new HashMap<>();
        slugs.forEach((id, slug) -> before.put(slug, id));
        Map<UUID, String> fresh = new HashMap<>();
        for (Workspace workspace : workspaces.subList(0, Math.min(MAX_LABELS, workspaces.size()))) {
            fresh.put(workspace.id(), workspace.slug().value());
        }
        Set<String> current = new HashSet<>(SHARED);
        current.addAll(fresh.values());
        Set<String> reassigned = new HashSet<>();
        fresh.forEach((id, slug) -> {
            UUID previous = before.get(slug);
            if (previous != null && !previous.equals(id)) {
                reassigned.add(slug);
            }
        });
        slugs = Map.copyOf(fresh);
        labels = Set.copyOf(current);
        return Set.copyOf(reassigned);
    }

    /** Whether {@link #of} can still answer {@code label}. */
    boolean isCurrent(String label) {
        return labels.contains(label);
    }
}
