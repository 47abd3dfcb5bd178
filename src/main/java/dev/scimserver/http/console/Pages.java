package dev.scimserver.http.console;

import dev.scimserver.access.Workspace;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders the console's pages: one jte template per page, compiled at build time into this package,
 * each taking one typed view. jte escapes every value it writes for where it lands (text, attribute,
 * URL), so no value an IdP sent is ever written raw, nor shown reordered ({@link ConsoleHtmlOutput}).
 */
final class Pages {
    private static final TemplateEngine TEMPLATES = TemplateEngine.createPrecompiled(null, ContentType.Html,
            Pages.class.getClassLoader(), Pages.class.getPackageName());

    /** The parts of a workspace's pages, in the navigation's order; the path is relative to the workspace's. */
    enum Section {
        OVERVIEW("Overview", ""),
        USERS("Users", "/users"),
        GROUPS("Groups", "/groups"),
        CREDENTIALS("Credentials", "/credentials"),
        LOG("Provisioning log", "/requests"),
        SETTINGS("Settings", "/settings");

        final String label;
        final String path;

        Section(String label, String path) {
            this.label = label;
            this.path = path;
        }
    }

    /** One link of the navigation; {@code current} marks the section the page belongs to. */
    record NavItem(String label, String href, boolean current) {
    }

    /**
     * What every page's frame shows: its title, the session's CSRF token for its forms ({@code null}
     * when signed out), and, on a workspace's pages, the workspace and its navigation.
     */
    record Frame(String title, String csrf, Workspace workspace, List<NavItem> nav) {
        boolean signedIn() {
            return csrf != null;
        }

        /** The workspace's pages' common start: {@code /admin/workspaces/{slug}}. */
        String base() {
            return workspace == null ? ConsoleApp.WORKSPACES_PATH : workspacePath(workspace);
        }
    }

    private Pages() {
    }

    static String workspacePath(Workspace workspace) {
        return ConsoleApp.WORKSPACES_PATH + "/" + workspace.slug().value();
    }

    /** The frame of a signed-in page outside any workspace. */
    static Frame frame(Context ctx, String title) {
        return new Frame(title, ConsoleGate.session(ctx).csrfToken, null, List.of());
    }

    /** The frame of one of a workspace's pages, in {@code section}. */
    static Frame frame(Context ctx, String title, Workspace workspace, Section section) {
        List<NavItem> nav = new ArrayList<>();
        for (Section each : Section.values()) {
            nav.add(new NavItem(each.label, workspacePath(workspace) + each.path, each == section));
        }
        return new Frame(title, ConsoleGate.session(ctx).csrfToken, workspace, nav);
    }

    static void render(Context ctx, int status, String template, Object view) {
        StringOutput html = new StringOutput();
        TEMPLATES.render(template, view, new ConsoleHtmlOutput(html));
        ctx.status(status).contentType("text/html; charset=utf-8").result(html.toString());
    }

    /** What went wrong, as a page of its own with a way back. */
    record ErrorView(Frame frame, int status, String message) {
    }

    static void error(Context ctx, int status, String title, String message) {
        ConsoleSessions.Session session = ConsoleGate.sessionIfAny(ctx);
        Frame frame = new Frame(title, session == null ? null : session.csrfToken, null, List.of());
        render(ctx, status, "error.jte", new ErrorView(frame, status, message));
    }
}
