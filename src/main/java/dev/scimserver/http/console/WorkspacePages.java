package dev.scimserver.http.console;

import dev.scimserver.access.Workspace;
import dev.scimserver.access.Workspaces;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.util.List;

/** The workspaces: listed, created, renamed (name or slug), deleted once the operator has typed the slug. */
final class WorkspacePages {
    record ListView(Pages.Frame frame, List<Workspace> workspaces) {
    }

    record SettingsView(Pages.Frame frame, Workspace workspace) {
    }

    private final Workspaces workspaces;

    WorkspacePages(Workspaces workspaces) {
        this.workspaces = workspaces;
    }

    void addTo(RoutesConfig routes, ConsoleApp app) {
        routes.get(ConsoleApp.WORKSPACES_PATH, ConsoleApp.answering(this::list));
        routes.post(ConsoleApp.WORKSPACES_PATH, ConsoleApp.answering(this::create));
        routes.get(ConsoleApp.WORKSPACE_PATH + "/settings", ConsoleApp.answering(ctx -> {
            Workspace workspace = app.workspace(ctx);
            Pages.render(ctx, 200, "settings.jte", new SettingsView(
                    Pages.frame(ctx, "Settings", workspace, Pages.Section.SETTINGS), workspace));
        }));
        routes.post(ConsoleApp.WORKSPACE_PATH + "/rename", ConsoleApp.answering(ctx -> rename(ctx, app)));
        routes.post(ConsoleApp.WORKSPACE_PATH + "/delete", ConsoleApp.answering(ctx -> delete(ctx, app)));
    }

    private void list(Context ctx) {
        Pages.render(ctx, 200, "workspaces.jte", new ListView(Pages.frame(ctx, "Workspaces"), workspaces.list()));
    }

    private void create(Context ctx) {
        Workspace created = workspaces.create(ctx.formParam("slug"), ctx.formParam("name"), ConsoleApp.origin(ctx));
        ctx.redirect(Pages.workspacePath(created), HttpStatus.SEE_OTHER);
    }

    private void rename(Context ctx, ConsoleApp app) {
        Workspace renamed = workspaces.update(app.workspace(ctx), FormInput.optional(ctx, "name"),
                FormInput.optional(ctx, "slug"), ConsoleApp.origin(ctx));
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
}
