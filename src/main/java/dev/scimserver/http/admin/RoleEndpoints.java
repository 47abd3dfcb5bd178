package dev.scimserver.http.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimserver.access.ChangeOrigin;
import dev.scimserver.access.Workspace;
import dev.scimserver.directory.Actor;
import dev.scimserver.directory.RoleMapping;
import dev.scimserver.directory.RolePolicy;
import dev.scimserver.directory.RoleSource;
import dev.scimserver.directory.WorkspaceRoles;
import dev.scimserver.scim.ScimException;
import io.javalin.http.Context;

import java.util.List;
import java.util.Set;

/**
 * {@code /workspaces/{slug}/settings} and {@code /workspaces/{slug}/role-mappings}: where a workspace's
 * members get their roles, and which groups give which role. A change answers once every member's
 * role follows it.
 */
final class RoleEndpoints {
    static final String SETTINGS = "/workspaces/{slug}/settings";
    static final String MAPPINGS = "/workspaces/{slug}/role-mappings";

    private final WorkspaceEndpoints workspaces;
    private final WorkspaceRoles roles;

    RoleEndpoints(WorkspaceEndpoints workspaces, WorkspaceRoles roles) {
        this.workspaces = workspaces;
        this.roles = roles;
    }

    void addTo(AdminRoutes routes) {
        routes.get(SETTINGS, ctx -> AdminJson.write(ctx, 200, settings(roles.policy(workspaces.workspace(ctx).id()))));
        routes.put(SETTINGS, this::putSettings);
        routes.get(MAPPINGS, ctx -> AdminJson.write(ctx, 200, mappings(roles.policy(workspaces.workspace(ctx).id()))));
        routes.put(MAPPINGS, this::putMappings);
    }

    private void putSettings(Context ctx) {
        Workspace workspace = workspaces.workspace(ctx);
        String text = AdminBody.read(ctx, Set.of("roleSource")).text("roleSource");
        RoleSource source;
        try {
            source = RoleSource.parse(text);
        } catch (ScimException unknown) {
            throw Problem.badField("roleSource", unknown.getMessage());
        }
        AdminJson.write(ctx, 200, settings(roles.changeSource(actor(ctx, workspace), source)));
    }

    private void putMappings(Context ctx) {
        Workspace workspace = workspaces.workspace(ctx);
        List<RoleMapping> mappings = AdminBody.readList(ctx, Set.of("group", "role")).stream()
                .map(item -> RoleMapping.parse(item.text("group"), item.text("role"))).toList();
        AdminJson.write(ctx, 200, mappings(roles.changeMappings(actor(ctx, workspace), mappings)));
    }

    /** The administrator, acting in the workspace, as the journal records it. */
    private static Actor actor(Context ctx, Workspace workspace) {
        ChangeOrigin origin = AdminApi.origin(ctx);
        return new Actor(workspace.id(), origin.credential(), origin.requestId(), origin.request());
    }

    private static ObjectNode settings(RolePolicy policy) {
        ObjectNode json = AdminJson.object();
        json.put("roleSource", policy.source().value());
        return json;
    }

    private static ArrayNode mappings(RolePolicy policy) {
        ArrayNode json = AdminJson.MAPPER.createArrayNode();
        for (RoleMapping mapping : policy.mappings()) {
            json.addObject().put("group", mapping.group()).put("role", mapping.role().value());
        }
        return json;
    }
}
