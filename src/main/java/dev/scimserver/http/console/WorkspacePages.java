package dev.scimserver.http.console;

import dev.scimserver.access.Workspace;
import dev.scimserver.access.Workspaces;
import dev.scimserver.directory.Role;
import dev.scimserver.directory.RoleMapping;
import dev.scimserver.directory.RolePolicy;
import dev.scimserver.directory.RoleSource;
import dev.scimserver.directory.WorkspaceRoles;
import dev.scimserver.scim.ScimException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The workspaces: listed, created, renamed (name or slug), deleted once the operator has typed the slug;
 * and where a workspace's members get their roles (the role source and the groups mapped to roles),
 * changed through the same {@link WorkspaceRoles} as the administration API's.
 */
final class WorkspacePages {
    record ListView(Pages.Frame frame, List<Workspace> workspaces) {
    }

    /** A change the directory refused, shown beside the form ({@code form}: {@code source} or {@code mappings}). */
    record Refusal(String form, String message) {
    }

    record SettingsView(Pages.Frame frame, Workspace workspace, RolePolicy roles, List<String> sources,
                        List<String> roleNames, Refusal refusal) {
        String problem(String form) {
            return refusal != null && refusal.form().equals(form) ? refusal.message() : null;
        }
    }

    private final Workspaces workspaces;
    private final WorkspaceRoles roles;

    WorkspacePages(Workspaces workspaces, WorkspaceRoles roles) {
        this.workspaces = workspaces;
        this.roles = roles;
    }

    void addTo(RoutesConfig routes, ConsoleApp app) {
        routes.get(ConsoleApp.WORKSPACES_PATH, ConsoleApp.answering(this::list));
        routes.post(ConsoleApp.WORKSPACES_PATH, ConsoleApp.answering(this::create));
        routes.get(ConsoleApp.WORKSPACE_PATH + "/settings", ConsoleApp.answering(ctx ->
                settings(ctx, app.workspace(ctx), null)));
        routes.post(ConsoleApp.WORKSPACE_PATH + "/rename", ConsoleApp.answering(ctx -> rename(ctx, app)));
        routes.post(ConsoleApp.WORKSPACE_PATH + "/delete", ConsoleApp.answering(ctx -> delete(ctx, app)));
        routes.post(ConsoleApp.WORKSPACE_PATH + "/role-source", ConsoleApp.answering(ctx ->
                changeRoles(ctx, app, "source", workspace -> roles.changeSource(ConsoleApp.reader(ctx, workspace),
                        RoleSource.parse(Objects.requireNonNullElse(ctx.formParam("roleSource"), ""))))));
        routes.post(ConsoleApp.WORKSPACE_PATH + "/role-mappings", ConsoleApp.answering(ctx ->
                changeRoles(ctx, app, "mappings", workspace -> addMapping(ctx, workspace))));
        routes.post(ConsoleApp.WORKSPACE_PATH + "/role-mappings/remove", ConsoleApp.answering(ctx ->
                changeRoles(ctx, app, "mappings", workspace -> removeMapping(ctx, workspace))));
    }

    private void list(Context ctx) {
        Pages.render(ctx, 200, "workspaces.jte", new ListView(Pages.frame(ctx, "Workspaces"), workspaces.list()));
    }

    private void create(Context ctx) {
        Workspace created = workspaces.create(ctx.formParam("slug"), ctx.formParam("name"), ConsoleApp.origin(ctx));
        ctx.redirect(Pages.workspacePath(created), HttpStatus.SEE_OTHER);
    }

    private void settings(Context ctx, Workspace workspace, Refusal refusal) {
        Pages.render(ctx, refusal == null ? 200 : 400, "settings.jte", new SettingsView(
                Pages.frame(ctx, "Settings", workspace, Pages.Section.SETTINGS), workspace,
                roles.policy(workspace.id()), Arrays.stream(RoleSource.values()).map(RoleSource::value).toList(),
                Arrays.stream(Role.values()).map(Role::value).toList(), refusal));
    }

    private void rename(Context ctx, ConsoleApp app) {
        Workspace renamed = workspaces.update(app.workspace(ctx), FormInput.replacement(ctx, "name", "A workspace's name"),
                FormInput.replacement(ctx, "slug", "A workspace's slug"), ConsoleApp.origin(ctx));
        ctx.redirect(Pages.workspacePath(renamed) + "/settings", HttpStatus.SEE_OTHER);
    }

    /** Deleting takes everything in the workspace with it, so the operator types its slug to confirm. */
    private void delete(Context ctx, ConsoleApp app) {
        Workspace workspace = app.workspace(ctx);
        if (!workspace.slug().value().equals(FormInput.optional(ctx, "confirm"))) {
            throw new FormInput.Refused("Type the workspace's slug '" + workspace.slug().value()
                    + "' to confirm its deletion; nothing was deleted.");
        }
        workspaces.delete(workspace, ConsoleApp.origin(ctx));
        ctx.redirect(ConsoleApp.WORKSPACES_PATH, HttpStatus.SEE_OTHER);
    }

    /**
     * Makes a change to the role policy; what the directory refuses (an unknown role, a role's own name
     * as a group, the last admin's demotion) comes back as the settings page with the reason at the form.
     */
    private void changeRoles(Context ctx, ConsoleApp app, String form, Consumer<Workspace> change) {
        Workspace workspace = app.workspace(ctx);
        try {
            change.accept(workspace);
        } catch (ScimException refused) {
            if (refused.status() >= 500) {
                throw refused;
            }
            settings(ctx, workspace, new Refusal(form, refused.detail()));
            return;
        }
        ctx.redirect(Pages.workspacePath(workspace) + "/settings#roles", HttpStatus.SEE_OTHER);
    }

    private void addMapping(Context ctx, Workspace workspace) {
        roles.addMapping(ConsoleApp.reader(ctx, workspace),
                RoleMapping.parse(ctx.formParam("group"), ctx.formParam("role")));
    }

    /** Removes the mapping of the group as the settings page lists it. */
    private void removeMapping(Context ctx, Workspace workspace) {
        roles.removeMapping(ConsoleApp.reader(ctx, workspace), ctx.formParam("group"));
    }
}
