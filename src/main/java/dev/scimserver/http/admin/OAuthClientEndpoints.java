package dev.scimserver.http.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimserver.access.ClientSecret;
import dev.scimserver.access.NewClientSecret;
import dev.scimserver.access.NewOAuthClient;
import dev.scimserver.access.OAuthClient;
import dev.scimserver.access.Workspace;
import dev.scimserver.access.WorkspaceOAuthClients;
import io.javalin.http.Context;

import java.time.Instant;
import java.util.Set;

/**
 * {@code /workspaces/{slug}/oauth-clients}: a workspace's OAuth clients (client-credentials grant) and
 * their secrets. A secret is in the answer that makes it and nowhere else, ever.
 */
final class OAuthClientEndpoints {
    static final String COLLECTION = "/workspaces/{slug}/oauth-clients";
    static final String ONE = COLLECTION + "/{id}";
    static final String SECRETS = ONE + "/secrets";
    static final String SECRET = SECRETS + "/{secretId}";

    private final WorkspaceEndpoints workspaces;
    private final WorkspaceOAuthClients clients;

    OAuthClientEndpoints(WorkspaceEndpoints workspaces, WorkspaceOAuthClients clients) {
        this.workspaces = workspaces;
        this.clients = clients;
    }

    void addTo(AdminRoutes routes) {
        routes.get(COLLECTION, this::list);
        routes.post(COLLECTION, this::register);
        routes.get(ONE, ctx -> AdminJson.write(ctx, 200, json(clients.get(workspaces.workspace(ctx),
                ctx.pathParam("id")))));
        routes.delete(ONE, this::delete);
        routes.post(SECRETS, this::addSecret);
        routes.get(SECRET, this::secret);
        routes.delete(SECRET, this::removeSecret);
    }

    private void list(Context ctx) {
        AdminJson.writeItems(ctx, clients.list(workspaces.workspace(ctx)), this::json);
    }

    private ObjectNode json(OAuthClient client) {
        ObjectNode json = AdminJson.object();
        json.put("id", client.id().toString());
        json.put("clientId", client.clientId());
        json.put("name", client.name());
        AdminJson.putTime(json, "createdAt", client.createdAt());
        AdminJson.putTime(json, "lastUsedAt", client.lastUsedAt());
        ArrayNode secrets = json.putArray("secrets");
        clients.secrets(client).forEach(secret -> secrets.add(json(secret)));
        return json;
    }

    private static ObjectNode json(ClientSecret secret) {
        ObjectNode json = AdminJson.object();
        json.put("id", secret.id().toString());
        AdminJson.putTime(json, "createdAt", secret.createdAt());
        AdminJson.putTime(json, "expiresAt", secret.expiresAt());
        AdminJson.putTime(json, "lastUsedAt", secret.lastUsedAt());
        return json;
    }

    private void secret(Context ctx) {
        AdminJson.write(ctx, 200, json(clients.secret(workspaces.workspace(ctx), ctx.pathParam("id"),
                ctx.pathParam("secretId"))));
    }

    private void register(Context ctx) {
        AdminBody body = AdminBody.read(ctx, Set.of("name", "expiresAt"));
        String name = body.text("name");
        Instant expiresAt = body.optionalTime("expiresAt");
        Workspace workspace = workspaces.workspace(ctx);
        NewOAuthClient registered = clients.register(workspace, name, expiresAt, AdminApi.origin(ctx));
        ObjectNode answer = AdminJson.object();
        answer.put("id", registered.client().id().toString());
        answer.put("clientId", registered.client().clientId());
        answer.put("clientSecret", registered.secret().value());
        answer.put("name", registered.client().name());
        answer.put("secretId", registered.secret().secret().id().toString());
        AdminJson.putTime(answer, "createdAt", registered.client().createdAt());
        AdminJson.putTime(answer, "expiresAt", registered.secret().secret().expiresAt());
        AdminApi.created(ctx, "/workspaces/" + workspace.slug() + "/oauth-clients/" + registered.client().id(), answer);
    }

    private void delete(Context ctx) {
        clients.delete(workspaces.workspace(ctx), ctx.pathParam("id"), AdminApi.origin(ctx));
        AdminApi.noContent(ctx);
    }

    private void addSecret(Context ctx) {
        Instant expiresAt = AdminBody.read(ctx, Set.of("expiresAt")).optionalTime("expiresAt");
        Workspace workspace = workspaces.workspace(ctx);
        NewClientSecret added = clients.addSecret(workspace, ctx.pathParam("id"), expiresAt, AdminApi.origin(ctx));
        ObjectNode answer = AdminJson.object();
        answer.put("id", added.secret().id().toString());
        answer.put("clientSecret", added.value());
        AdminJson.putTime(answer, "createdAt", added.secret().createdAt());
        AdminJson.putTime(answer, "expiresAt", added.secret().expiresAt());
        AdminApi.created(ctx, "/workspaces/" + workspace.slug() + "/oauth-clients/" + added.secret().client()
                + "/secrets/" + added.secret().id(), answer);
    }

    private void removeSecret(Context ctx) {
        clients.removeSecret(workspaces.workspace(ctx), ctx.pathParam("id"), ctx.pathParam("secretId"),
                AdminApi.origin(ctx));
        AdminApi.noContent(ctx);
    }
}
