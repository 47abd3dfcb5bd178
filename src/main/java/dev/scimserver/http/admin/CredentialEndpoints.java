package dev.scimserver.http.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimserver.access.NewApiToken;
import dev.scimserver.access.Workspace;
import dev.scimserver.access.WorkspaceCredential;
import dev.scimserver.access.WorkspaceCredentials;
import io.javalin.http.Context;

import java.time.Instant;
import java.util.Locale;
import java.util.Set;

/**
 * {@code /workspaces/{slug}/credentials}: a workspace's bearer credentials. A new token's secret is
 * in the creation's answer and nowhere else, ever; lists show what a credential is, never what it is worth.
 */
final class CredentialEndpoints {
    static final String COLLECTION = "/workspaces/{slug}/credentials";
    static final String ONE = COLLECTION + "/{id}";

    private final WorkspaceEndpoints workspaces;
    private final WorkspaceCredentials credentials;

    CredentialEndpoints(WorkspaceEndpoints workspaces, WorkspaceCredentials credentials) {
        this.workspaces = workspaces;
        this.credentials = credentials;
    }

    void addTo(AdminRoutes routes) {
        routes.get(COLLECTION, this::list);
        routes.post(COLLECTION, this::create);
        routes.get(ONE, ctx -> AdminJson.write(ctx, 200,
                json(credentials.get(workspaces.workspace(ctx), ctx.pathParam("id")))));
        routes.delete(ONE, this::revoke);
    }

    private void list(Context ctx) {
        AdminJson.writeItems(ctx, credentials.list(workspaces.workspace(ctx)), CredentialEndpoints::json);
    }

    private void create(Context ctx) {
        AdminBody body = AdminBody.read(ctx, Set.of("name", "expiresAt"));
        String name = body.text("name");
        Instant expiresAt = body.optionalTime("expiresAt");
        Workspace workspace = workspaces.workspace(ctx);
        NewApiToken created = credentials.create(workspace, name, expiresAt, AdminApi.origin(ctx));
        ObjectNode answer = AdminJson.object();
        answer.put("id", created.token().id().toString());
        answer.put("name", created.token().name());
        answer.put("token", created.secret());
        AdminJson.putTime(answer, "expiresAt", created.token().expiresAt());
        AdminJson.putTime(answer, "createdAt", created.token().createdAt());
        AdminApi.created(ctx, "/workspaces/" + workspace.slug() + "/credentials/" + created.token().id(), answer);
    }

    private void revoke(Context ctx) {
        credentials.revoke(workspaces.workspace(ctx), ctx.pathParam("id"), AdminApi.origin(ctx));
        AdminApi.noContent(ctx);
    }

    static ObjectNode json(WorkspaceCredential credential) {
        ObjectNode json = AdminJson.object();
        json.put("id", credential.id());
        json.put("name", credential.name());
        json.put("kind", kind(credential.kind()));
        json.put("readOnly", credential.readOnly());
        AdminJson.putTime(json, "createdAt", credential.createdAt());
        AdminJson.putTime(json, "expiresAt", credential.expiresAt());
        AdminJson.putTime(json, "lastUsedAt", credential.lastUsedAt());
        AdminJson.putTime(json, "revokedAt", credential.revokedAt());
        return json;
    }

    /** {@code api-token}, {@code environment}. */
    static String kind(WorkspaceCredential.Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
