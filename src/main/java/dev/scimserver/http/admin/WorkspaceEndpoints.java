package dev.scimserver.http.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimserver.access.Workspace;
import dev.scimserver.access.Workspaces;
import dev.scimserver.http.scim.ScimApi;
import io.javalin.http.Context;

import java.util.Set;

/** {@code /workspaces} and {@code /workspaces/{slug}}: list, create, read, rename, delete. */
final class WorkspaceEndpoints {
    static final String COLLECTION = "/workspaces";
    static final String ONE = "/workspaces/{slug}";

    private final Workspaces workspaces;

    WorkspaceEndpoints(Workspaces workspaces) {
        this.workspaces = workspaces;
    }

    void addTo(AdminRoutes routes) {
        routes.get(COLLECTION, this::list);
        routes.post(COLLECTION, this::create);
        routes.get(ONE, ctx -> AdminJson.write(ctx, 200, json(workspace(ctx))));
        routes.patch(ONE, this::update);
        routes.delete(ONE, this::delete);
    }

    /** The workspace the path's {@code {slug}} names: 400 when it cannot be a slug, 404 when none has it. */
    Workspace workspace(Context ctx) {
        Workspace workspace = workspaces.get(ctx.pathParam("slug"));
        ScimApi.actsIn(workspace.id());
        return workspace;
    }

    private void list(Context ctx) {
        AdminJson.writeItems(ctx, workspaces.list(), WorkspaceEndpoints::json);
    }

    private void create(Context ctx) {
        AdminBody body = AdminBody.read(ctx, Set.of("name", "slug"));
        Workspace created = workspaces.create(body.text("slug"), body.text("name"), AdminApi.origin(ctx));
        AdminApi.created(ctx, "/workspaces/" + created.slug(), json(created));
    }

    private void update(Context ctx) {
        AdminBody body = AdminBody.read(ctx, Set.of("name", "slug"));
        if (body.isEmpty()) {
            throw Problem.badRequest("send name, slug or both");
        }
        Workspace updated = workspaces.update(workspace(ctx), body.replacementText("name"), body.replacementText("slug"),
                AdminApi.origin(ctx));
        AdminJson.write(ctx, 200, json(updated));
    }

    private void delete(Context ctx) {
        workspaces.delete(workspace(ctx), AdminApi.origin(ctx));
        AdminApi.noContent(ctx);
    }

    static ObjectNode json(Workspace workspace) {
        ObjectNode json = AdminJson.object();
        json.put("id", workspace.id().toString());
        json.put("name", workspace.name());
        json.put("slug", workspace.slug().value());
        json.put("default", workspace.isDefault());
        AdminJson.putTime(json, "createdAt", workspace.createdAt());
        return json;
    }
}
