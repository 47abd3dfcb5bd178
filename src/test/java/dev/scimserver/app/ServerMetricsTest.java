package dev.scimserver.app;

import dev.scimserver.access.Workspace;
import dev.scimserver.access.WorkspaceSlug;
import dev.scimserver.activity.ObservedRequest;
import dev.scimserver.activity.Preconditions;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The workspace label of the request series follows the workspaces as they are now. */
class ServerMetricsTest {
    private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");

    @Test
    void theSeriesOfADeletedOrRenamedWorkspaceLeaveTheScrape() {
        Workspace kept = workspace("kept");
        Workspace deleted = workspace("deleted");
        Workspace renamed = workspace("before-rename");
        try (ServerMetrics metrics = new ServerMetrics()) {
            metrics.learnWorkspaces(List.of(kept, deleted, renamed));
            metrics.accept(request(kept.id()));
            metrics.accept(request(deleted.id()));
            metrics.accept(request(renamed.id()));
            metrics.accept(request(null));
            assertThat(metrics.scrape()).contains("workspace=\"kept\"", "workspace=\"deleted\"",
                    "workspace=\"before-rename\"", "workspace=\"none\"");

            Workspace afterRename = new Workspace(renamed.id(), new WorkspaceSlug("after-rename"), "renamed", false, NOW);
            metrics.learnWorkspaces(List.of(kept, afterRename));
            metrics.accept(request(afterRename.id()));

            assertThat(metrics.scrape()).contains("workspace=\"kept\"", "workspace=\"after-rename\"",
                    "workspace=\"none\"").doesNotContain("workspace=\"deleted\"", "workspace=\"before-rename\"");
        }
    }

    /**
     * A slug freed by a delete (or a rename) and taken again before the next refresh: the new workspace
     * made none of the requests its label's series counted.
     */
    @Test
    void aSlugTakenAgainStartsWithoutTheOldWorkspacesSeries() {
        Workspace deleted = workspace("acme");
        Workspace renamed = workspace("beta");
        try (ServerMetrics metrics = new ServerMetrics()) {
            metrics.learnWorkspaces(List.of(deleted, renamed));
            for (int i = 0; i < 7; i++) {
                metrics.accept(request(deleted.id()));
                metrics.accept(request(renamed.id()));
            }
            assertThat(metrics.scrape()).contains("workspace=\"acme\"} 7", "workspace=\"beta\"} 7");

            Workspace newAcme = workspace("acme");
            Workspace newBeta = workspace("beta");
            Workspace afterRename = new Workspace(renamed.id(), new WorkspaceSlug("beta-old"), "renamed", false, NOW);
            metrics.learnWorkspaces(List.of(afterRename, newAcme, newBeta));

            assertThat(metrics.scrape()).doesNotContain("workspace=\"acme\"", "workspace=\"beta\"");
            metrics.accept(request(newAcme.id()));
            assertThat(metrics.scrape()).contains("scim_requests_seconds_count{method=\"GET\",operation=\"Users\","
                    + "status=\"2xx\",workspace=\"acme\"} 1");
        }
    }

    private static Workspace workspace(String slug) {
        return new Workspace(UUID.randomUUID(), new WorkspaceSlug(slug), slug, false, NOW);
    }

    private static ObservedRequest request(UUID workspaceId) {
        return new ObservedRequest(NOW, workspaceId, "okta", "127.0.0.1", "GET", "/api/scim/v2/Users", null, 200,
                null, null, 1500, "r1", null, 0, null, 0, null, Preconditions.NONE, null);
    }
}
