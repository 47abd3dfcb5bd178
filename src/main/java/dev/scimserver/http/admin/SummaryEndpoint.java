package dev.scimserver.http.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimserver.access.OAuthClient;
import dev.scimserver.access.Workspace;
import dev.scimserver.access.WorkspaceCredential;
import dev.scimserver.access.WorkspaceCredentials;
import dev.scimserver.access.WorkspaceOAuthClients;
import dev.scimserver.directory.Role;
import dev.scimserver.directory.WorkspaceSummaries;
import dev.scimserver.directory.WorkspaceSummary;
import io.javalin.http.Context;

/**
 * {@code /workspaces/{slug}/summary}: a workspace at a glance. Its directory in figures, when its
 * journal last recorded a change, and when each of its unrevoked credentials last made a request
 * ({@code null}: never).
 */
final class SummaryEndpoint {
    static final String PATH = "/workspaces/{slug}/summary";

    private final WorkspaceEndpoints workspaces;
    private final WorkspaceSummaries summaries;
    private final WorkspaceCredentials credentials;
    private final WorkspaceOAuthClients clients;

    SummaryEndpoint(WorkspaceEndpoints workspaces, WorkspaceSummaries summaries, WorkspaceCredentials credentials,
                    WorkspaceOAuthClients clients) {
        this.workspaces = workspaces;
        this.summaries = summaries;
        this.credentials = credentials;
        this.clients = clients;
    }

    void addTo(AdminRoutes routes) {
        routes.get(PATH, this::summary);
    }

    private void summary(Context ctx) {
        Workspace workspace = workspaces.workspace(ctx);
        WorkspaceSummary figures = summaries.summaryOf(workspace.id());
        ObjectNode answer = AdminJson.object();
        answer.set("workspace", WorkspaceEndpoints.json(workspace));
        ObjectNode members = answer.putObject("members");
        members.put("active", figures.activeMembers());
        members.put("archived", figures.archivedMembers());
        answer.putObject("groups").put("custom", figures.customGroups());
        ObjectNode roles = answer.putObject("activeMembersPerRole");
        for (Role role : Role.values()) {
            roles.put(role.value(), figures.activeMembersPerRole().get(role));
        }
        AdminJson.putTime(answer, "lastChangeAt", figures.lastChangeAt());
        ArrayNode used = answer.putArray("credentials");
        for (WorkspaceCredential credential : credentials.list(workspace)) {
            if (credential.revokedAt() == null) {
                AdminJson.putTime(lastUse(used, credential.id(), credential.name(),
                        CredentialEndpoints.kind(credential.kind())), "lastUsedAt", credential.lastUsedAt());
            }
        }
        for (OAuthClient client : clients.list(workspace)) {
            AdminJson.putTime(lastUse(used, client.id().toString(), client.name(), "oauth-client"), "lastUsedAt",
                    client.lastUsedAt());
        }
        AdminJson.write(ctx, 200, answer);
    }

    private static ObjectNode lastUse(ArrayNode used, String id, String name, String kind) {
        ObjectNode entry = used.addObject();
        entry.put("id", id);
        entry.put("name", name);
        entry.put("kind", kind);
        return entry;
    }
}
