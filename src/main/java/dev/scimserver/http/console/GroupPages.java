package dev.scimserver.http.console;

import dev.scimserver.access.Workspace;
import dev.scimserver.directory.Group;
import dev.scimserver.directory.GroupService;
import dev.scimserver.directory.OperatorSearch;
import dev.scimserver.directory.SearchResult;
import dev.scimserver.directory.UserService;
import dev.scimserver.directory.UserView;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The workspace's custom groups with their member counts, and one group with its members, paged by the
 * directory's cursors: a group's members are users whose groups hold it, so a group of a million
 * members pages like the users do.
 */
final class GroupPages {
    record Row(String id, String displayName, String externalId, long members) {
    }

    record ListView(Pages.Frame frame, String q, long total, List<Row> rows, String previous, String next) {
    }

    /** A member of the group: enough to recognise and open it. */
    record MemberRow(String id, String userName, String name, String status) {
    }

    record OneView(Pages.Frame frame, Group group, long members, List<MemberRow> rows, String previous, String next) {
    }

    private final UserService users;
    private final GroupService groups;

    GroupPages(UserService users, GroupService groups) {
        this.users = users;
        this.groups = groups;
    }

    void addTo(RoutesConfig routes, ConsoleApp app) {
        routes.get(ConsoleApp.WORKSPACE_PATH + "/groups", ConsoleApp.answering(ctx -> list(ctx, app.workspace(ctx))));
        routes.get(ConsoleApp.WORKSPACE_PATH + "/groups/{id}", ConsoleApp.answering(ctx -> one(ctx,
                app.workspace(ctx))));
    }

    private void list(Context ctx, Workspace workspace) {
        String q = FormInput.search(ctx);
        String cursor = ctx.queryParam("cursor");
        SearchResult<Group> found = groups.search(ConsoleApp.reader(ctx, workspace),
                OperatorSearch.groups(q, cursor, UserPages.PAGE_SIZE), false, (result, members) -> result);
        Map<UUID, Long> counts = groups.memberCounts(found.items());
        List<Row> rows = found.items().stream().map(g -> new Row(g.id().toString(), g.displayName(), g.externalId(),
                counts.get(g.id()))).toList();
        ListLinks links = new ListLinks(Pages.workspacePath(workspace) + "/groups").with("q", q);
        Pages.render(ctx, 200, "groups.jte", new ListView(Pages.frame(ctx, "Groups", workspace, Pages.Section.GROUPS),
                q, found.totalResults(), rows, links.at(found.previousCursor()), links.at(found.nextCursor())));
    }

    private void one(Context ctx, Workspace workspace) {
        String id = ctx.pathParam("id");
        Group group = groups.read(ConsoleApp.reader(ctx, workspace), id, false, (found, members) -> found);
        String cursor = ctx.queryParam("cursor");
        SearchResult<UserView> members = users.search(ConsoleApp.reader(ctx, workspace),
                OperatorSearch.members(group.id(), cursor, UserPages.PAGE_SIZE));
        List<MemberRow> rows = members.items().stream().map(u -> new MemberRow(u.member().userId().toString(),
                u.member().userName(), Show.name(u.member()), u.member().status().value())).toList();
        ListLinks links = new ListLinks(Pages.workspacePath(workspace) + "/groups/" + group.id());
        Pages.render(ctx, 200, "group.jte", new OneView(Pages.frame(ctx, group.displayName(), workspace,
                Pages.Section.GROUPS), group, members.totalResults(), rows, links.at(members.previousCursor()),
                links.at(members.nextCursor())));
    }
}
