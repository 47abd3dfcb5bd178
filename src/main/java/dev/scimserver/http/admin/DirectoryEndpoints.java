package dev.scimserver.http.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimserver.access.ChangeOrigin;
import dev.scimserver.access.Workspace;
import dev.scimserver.directory.Actor;
import dev.scimserver.directory.Group;
import dev.scimserver.directory.GroupService;
import dev.scimserver.directory.JournalEntry;
import dev.scimserver.directory.Member;
import dev.scimserver.directory.MemberRef;
import dev.scimserver.directory.OperatorSearch;
import dev.scimserver.directory.SearchQuery;
import dev.scimserver.directory.SearchResult;
import dev.scimserver.directory.UserHistory;
import dev.scimserver.directory.UserService;
import dev.scimserver.directory.UserView;
import dev.scimserver.scim.AsciiDigits;
import dev.scimserver.scim.Names;
import io.javalin.http.Context;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The workspace's directory as an operator reads it, what the console's users and groups pages show:
 * users searched, filtered and sorted ({@link OperatorSearch}), one user with its sign-in email,
 * attributes, groups and history from the change journal; the custom groups with their member counts,
 * and a group's members. Reads only: the directory is changed through the SCIM API. Lists are paged by
 * the directory's cursors, {@code nextCursor} and {@code previousCursor}.
 */
final class DirectoryEndpoints {
    static final String USERS = "/workspaces/{slug}/users";
    static final String USER = USERS + "/{id}";
    static final String GROUPS = "/workspaces/{slug}/groups";
    static final String GROUP = GROUPS + "/{id}";
    static final String GROUP_MEMBERS = GROUP + "/members";
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;
    private static final Set<String> USER_PARAMETERS = Set.of("q", "role", "status", "group", "sort", "order", "cursor",
            "limit");
    private static final Set<String> GROUP_PARAMETERS = Set.of("q", "cursor", "limit");
    private static final Set<String> PAGE_PARAMETERS = Set.of("cursor", "limit");

    private final WorkspaceEndpoints workspaces;
    private final UserService users;
    private final GroupService groups;

    DirectoryEndpoints(WorkspaceEndpoints workspaces, UserService users, GroupService groups) {
        this.workspaces = workspaces;
        this.users = users;
        this.groups = groups;
    }

    void addTo(AdminRoutes routes) {
        routes.get(USERS, this::listUsers);
        routes.get(USER, this::oneUser);
        routes.get(GROUPS, this::listGroups);
        routes.get(GROUP, this::oneGroup);
        routes.get(GROUP_MEMBERS, this::groupMembers);
    }

    private void listUsers(Context ctx) {
        QueryParameters.check(ctx, USER_PARAMETERS, "the parameters are q, role, status, group, sort and order, the "
                + "paging cursor and limit");
        String sort = text(ctx, "sort");
        OperatorSearch.Users search = new OperatorSearch.Users(text(ctx, "q"), text(ctx, "role"), text(ctx, "status"),
                text(ctx, "group"), sort == null ? "userName" : sort, OperatorSearch.descending(text(ctx, "order")));
        writeUsers(ctx, reader(ctx), search.query(ctx.queryParam("cursor"), limit(ctx)));
    }

    private void oneUser(Context ctx) {
        Actor reader = reader(ctx);
        String id = ctx.pathParam("id");
        UserView user = users.get(reader, id);
        UUID userId = user.member().userId();
        ObjectNode answer = user(user, users.signInEmails(reader, List.of(userId)).get(userId));
        answer.set("attributes", user.member().attributes());
        UserHistory history = users.history(reader, id);
        ArrayNode rows = answer.putArray("history");
        history.entries().forEach(entry -> rows.add(journalEntry(entry)));
        answer.put("olderChanges", history.olderChanges());
        AdminJson.write(ctx, 200, answer);
    }

    private void listGroups(Context ctx) {
        QueryParameters.check(ctx, GROUP_PARAMETERS, "the parameters are q, the paging cursor and limit");
        SearchResult<Group> found = groups.search(reader(ctx), OperatorSearch.groups(text(ctx, "q"),
                ctx.queryParam("cursor"), limit(ctx)), false, (result, members) -> result);
        Map<UUID, Long> counts = groups.memberCounts(found.items());
        writePage(ctx, found, group -> group(group, counts.get(group.id())));
    }

    private void oneGroup(Context ctx) {
        Group group = groups.read(reader(ctx), ctx.pathParam("id"), false, (found, members) -> found);
        AdminJson.write(ctx, 200, group(group, groups.memberCounts(List.of(group)).get(group.id())));
    }

    private void groupMembers(Context ctx) {
        QueryParameters.check(ctx, PAGE_PARAMETERS, "the parameters are the paging cursor and limit");
        Actor reader = reader(ctx);
        Group group = groups.read(reader, ctx.pathParam("id"), false, (found, members) -> found);
        writeUsers(ctx, reader, OperatorSearch.members(group.id(), ctx.queryParam("cursor"), limit(ctx)));
    }

    /** A page of users, each with its sign-in email: one read of the emails for the whole page. */
    private void writeUsers(Context ctx, Actor reader, SearchQuery query) {
        SearchResult<UserView> found = users.search(reader, query);
        Map<UUID, String> emails = users.signInEmails(reader,
                found.items().stream().map(user -> user.member().userId()).toList());
        writePage(ctx, found, user -> user(user, emails.get(user.member().userId())));
    }

    /** Who reads: the holder of the admin token, in the workspace the path names. */
    private Actor reader(Context ctx) {
        Workspace workspace = workspaces.workspace(ctx);
        return new Actor(workspace.id(), ChangeOrigin.ADMIN, ProblemResponses.requestId(ctx),
                ctx.method().name() + " " + ctx.path());
    }

    /** A parameter's text, {@code null} when absent or blank. */
    private static String text(Context ctx, String parameter) {
        String text = ctx.queryParam(parameter);
        // Blank in Unicode's sense (a no-break space alone), or stripped as before (a no-break space at an
        // end stays): the search compares an externalId with what was typed.
        return text == null || Names.trimmed(text).isEmpty() ? null : text.strip();
    }

    private static int limit(Context ctx) {
        String text = text(ctx, "limit");
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = AsciiDigits.parseInt(text);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // Refused below.
        }
        throw Problem.badField("limit", "limit must be a whole number from 1 to " + MAX_LIMIT);
    }

    private static <T> void writePage(Context ctx, SearchResult<T> found, Function<T, ObjectNode> json) {
        ObjectNode answer = AdminJson.object();
        answer.put("totalResults", found.totalResults());
        ArrayNode items = answer.putArray("items");
        found.items().forEach(item -> items.add(json.apply(item)));
        answer.put("nextCursor", found.nextCursor());
        answer.put("previousCursor", found.previousCursor());
        AdminJson.write(ctx, 200, answer);
    }

    private static ObjectNode user(UserView user, String email) {
        Member member = user.member();
        ObjectNode json = AdminJson.object();
        json.put("id", member.userId().toString());
        json.put("userName", member.userName());
        json.put("externalId", member.externalId());
        json.put("displayName", member.displayName());
        json.put("email", email);
        json.put("role", member.role().value());
        json.put("status", member.status().value());
        ArrayNode groups = json.putArray("groups");
        for (MemberRef group : user.groups()) {
            groups.addObject().put("id", group.id().toString()).put("displayName", group.display());
        }
        AdminJson.putTime(json, "created", member.created());
        AdminJson.putTime(json, "lastModified", member.lastModified());
        return json;
    }

    private static ObjectNode group(Group group, Long members) {
        ObjectNode json = AdminJson.object();
        json.put("id", group.id().toString());
        json.put("displayName", group.displayName());
        json.put("externalId", group.externalId());
        json.put("members", members == null ? 0 : members);
        AdminJson.putTime(json, "created", group.created());
        AdminJson.putTime(json, "lastModified", group.lastModified());
        return json;
    }

    private static ObjectNode journalEntry(JournalEntry entry) {
        ObjectNode json = AdminJson.object();
        AdminJson.putTime(json, "occurredAt", entry.occurredAt());
        json.put("operation", entry.operation());
        json.put("credential", entry.credential());
        json.put("requestId", entry.requestId());
        json.put("request", entry.request());
        ArrayNode changed = json.putArray("changedAttributes");
        entry.changedAttributes().forEach(changed::add);
        return json;
    }
}
