package dev.scimserver.http.console;

import dev.scimserver.access.ClientSecret;
import dev.scimserver.access.OAuthClient;
import dev.scimserver.access.Workspace;
import dev.scimserver.access.WorkspaceCredential;
import dev.scimserver.directory.Role;
import dev.scimserver.directory.WorkspaceSummary;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A workspace at a glance: its directory in figures, when each credential last made a request, and
 * what expires within {@link #EXPIRY_WARNING}, and the provisioning log's requests and errors over the last day.
 */
final class OverviewPage {
    static final Duration EXPIRY_WARNING = Duration.ofDays(30);

    /** Members of one role that can act as it (active ones). */
    record RoleCount(String role, long members) {
    }

    /** When a credential was last used ({@code null}: never). */
    record LastUse(String name, String kind, Instant lastUsedAt) {
    }

    /** A token or client secret that expires soon, or has expired. */
    record Expiring(String name, String kind, Instant expiresAt, boolean expired) {
    }

    record View(Pages.Frame frame, WorkspaceSummary summary, List<RoleCount> roles, List<LastUse> lastUses,
                List<Expiring> expiring, RequestChart.View traffic) {
    }

    private final ConsoleApp.Services services;
    private final Clock clock;

    OverviewPage(ConsoleApp.Services services, Clock clock) {
        this.services = services;
        this.clock = clock;
    }

    void addTo(RoutesConfig routes, ConsoleApp app) {
        routes.get(ConsoleApp.WORKSPACE_PATH, ConsoleApp.answering(ctx -> show(ctx, app.workspace(ctx))));
    }

    private void show(Context ctx, Workspace workspace) {
        WorkspaceSummary summary = services.summaries().summaryOf(workspace.id());
        List<RoleCount> roles = new ArrayList<>();
        for (Role role : Role.values()) {
            roles.add(new RoleCount(role.value(), summary.activeMembersPerRole().getOrDefault(role, 0L)));
        }
        Instant now = clock.instant();
        List<LastUse> lastUses = new ArrayList<>();
        List<Expiring> expiring = new ArrayList<>();
        for (WorkspaceCredential credential : services.credentials().list(workspace)) {
            if (credential.revokedAt() != null) {
                continue;
            }
            String kind = credential.readOnly() ? "environment" : "API token";
            lastUses.add(new LastUse(credential.name(), kind, credential.lastUsedAt()));
            noteExpiry(expiring, credential.name(), kind, credential.expiresAt(), now);
        }
        for (OAuthClient client : services.oauthClients().list(workspace)) {
            lastUses.add(new LastUse(client.name(), "OAuth client", client.lastUsedAt()));
            for (ClientSecret secret : services.oauthClients().secrets(client)) {
                noteExpiry(expiring, client.name(), "OAuth client secret", secret.expiresAt(), now);
            }
        }
        expiring.sort(Comparator.comparing(Expiring::expiresAt));
        Pages.render(ctx, 200, "overview.jte", new View(Pages.frame(ctx, workspace.name(), workspace,
                Pages.Section.OVERVIEW), summary, roles, lastUses, expiring,
                RequestChart.of(services.rates().lastDay(workspace.id()))));
    }

    private static void noteExpiry(List<Expiring> expiring, String name, String kind, Instant expiresAt, Instant now) {
        if (expiresAt != null && expiresAt.isBefore(now.plus(EXPIRY_WARNING))) {
            expiring.add(new Expiring(name, kind, expiresAt,
                    !expiresAt.isAfter(now)));
        }
    }
}
