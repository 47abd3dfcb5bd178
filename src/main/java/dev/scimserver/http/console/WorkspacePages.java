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
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The workspaces: listed, created, renamed (name or slug), deleted once the operator has typed the slug;
 * and where a workspace's members get their roles (the role source and the groups mapped to roles),
 * changed through the same {@link WorkspaceRoles} as the administration API's.
 */
final class WorkspacePages {
    /** {@code problem}: of the form {@code create}. */
    record ListView(Pages.Frame frame, List<Workspace> workspaces, FormProblem problem) {
    }

    /** {@code problem}: of the form {@code rename}, {@code source}, {@code mappings} or {@code delete}. */
    record SettingsView(Pages.Frame frame, Workspace workspace, RolePolicy roles, List<String> sources,
                        List<String> roleNames, FormProblem problem) {
        /** The section of the page that holds the form refused, which the notice at the top links to. */
        String refusedSection() {
            return switch (problem.form()) {
                case "source", "mappings", "remove-mapping" -> "roles";
                default -> problem.form();
            };
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
                settings(ctx, app.workspace(ctx), FormProblem.NONE)));
        routes.post(ConsoleApp.WORKSPACE_PATH + "/rename", ConsoleApp.answering(ctx -> rename(ctx, app)));
        routes.post(ConsoleApp.WORKSPACE_PATH + "/delete", ConsoleApp.answering(ctx -> delete(ctx, app)));
        routes.post(ConsoleApp.WORKSPACE_PATH + "/role-source", ConsoleApp.answering(ctx ->
                changeRoles(ctx, app, "source", "roleSource", workspace -> roles.changeSource(
                        ConsoleApp.reader(ctx, workspace),
                        RoleSource.parse(Objects.requireNonNullElse(ctx.formParam("roleSource"), ""))))));
        // A role the form does not offer was sent by hand; any other refusal of a new mapping is its group's.
        routes.post(ConsoleApp.WORKSPACE_PATH + "/role-mappings", ConsoleApp.answering(ctx ->
                changeRoles(ctx, app, "mappings",
                        Role.find(Objects.requireNonNullElse(ctx.formParam("role"), "")).isPresent() ? "group" : "role",
                        workspace -> addMapping(ctx, workspace))));
        // A Remove button of the table: no field of a form to point at, the notice says it.
        routes.post(ConsoleApp.WORKSPACE_PATH + "/role-mappings/remove", ConsoleApp.answering(ctx ->
                changeRoles(ctx, app, "remove-mapping", null, workspace -> removeMapping(ctx, workspace))));
    }

    private void list(Context ctx) {
        list(ctx, FormProblem.NONE);
    }

    private void list(Context ctx, FormProblem problem) {
        Pages.render(ctx, problem.status(), "workspaces.jte", new ListView(Pages.frame(ctx, "Workspaces"),
                workspaces.list(), problem));
    }

    /** A slug taken or malformed comes back at the form, with what was typed (the slug is what a conflict is about). */
    private void create(Context ctx) {
        Workspace created;
        try {
            created = workspaces.create(ctx.formParam("slug"), ctx.formParam("name"), ConsoleApp.origin(ctx));
        } catch (RuntimeException refused) {
            list(ctx, FormProblem.of("create", refused, "slug", FormProblem.typed(ctx, "name", "slug")));
            return;
        }
        ctx.redirect(Pages.workspacePath(created), HttpStatus.SEE_OTHER);
    }

    private void settings(Context ctx, Workspace workspace, FormProblem problem) {
        Pages.render(ctx, problem.status(), "settings.jte", new SettingsView(
                Pages.frame(ctx, "Settings", workspace, Pages.Section.SETTINGS), workspace,
                roles.policy(workspace.id()), Arrays.stream(RoleSource.values()).map(RoleSource::value).toList(),
                Arrays.stream(Role.values()).map(Role::value).toList(), problem));
    }

    private void rename(Context ctx, ConsoleApp app) {
        Workspace workspace = app.workspace(ctx);
        Workspace renamed;
        try {
            renamed = workspaces.update(workspace, FormInput.replacement(ctx, "name", "A workspace's name"),
                    FormInput.replacement(ctx, "slug", "A workspace's slug"), ConsoleApp.origin(ctx));
        } catch (RuntimeException refused) {
            settings(ctx, workspace, FormProblem.of("rename", refused, "slug", FormProblem.typed(ctx, "name", "slug")));
            return;
        }
        ctx.redirect(Pages.workspacePath(renamed) + "/settings", HttpStatus.SEE_OTHER);
    }

    /** Deleting takes everything in the workspace with it, so the operator types its slug to confirm. */
    private void delete(Context ctx, ConsoleApp app) {
        Workspace workspace = app.workspace(ctx);
        if (!workspace.slug().value().equals(FormInput.optional(ctx, "confirm"))) {
            settings(ctx, workspace, new FormProblem("delete", "confirm", "Type the workspace's slug '"
                    + workspace.slug().value() + "' to confirm its deletion; nothing was deleted.", 400, Map.of()));
            return;
        }
        workspaces.delete(workspace, ConsoleApp.origin(ctx));
        ctx.redirect(ConsoleApp.WORKSPACES_PATH, HttpStatus.SEE_OTHER);
    }

    /**
     * Makes a change to the role policy; what the directory refuses (an unknown role, a role's own name
     * as a group, the last admin's demotion) comes back as the settings page with the reason at the form.
     */
    private void changeRoles(Context ctx, ConsoleApp app, String form, String field, Consumer<Workspace> change) {
        Workspace workspace = app.workspace(ctx);
        try {
            change.accept(workspace);
        } catch (ScimException refused) {
            if (refused.status() >= 500) {
                throw refused;
            }
            settings(ctx, workspace, new FormProblem(form, field, refused.detail(), 400,
                    FormProblem.typed(ctx, "roleSource", "group", "role")));
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
