package dev.scimserver.http.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scimserver.access.Workspace;
import dev.scimserver.directory.Group;
import dev.scimserver.directory.GroupService;
import dev.scimserver.directory.Member;
import dev.scimserver.directory.MemberRef;
import dev.scimserver.directory.OperatorSearch;
import dev.scimserver.directory.SearchQuery;
import dev.scimserver.directory.SearchResult;
import dev.scimserver.directory.UserHistory;
import dev.scimserver.directory.UserService;
import dev.scimserver.directory.UserView;
import dev.scimserver.scim.AttributePath;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The workspace's users: searched, filtered and sorted by the directory's own search with a SCIM filter,
 * and paged by its signed cursors (keyset paging, so page 10,000 costs what page 1 costs); and one user
 * with every attribute, its groups and its history from the change journal.
 */
final class UserPages {
    static final int PAGE_SIZE = 50;
    private static final int GROUP_CHOICES = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What the operator asked for, as the form shows it again (in the spelling the search took it in,
     * so that the form shows the choice the list is filtered by); blank fields ask for nothing.
     */
    record Filters(String q, String role, String status, String group, String sort, String order) {
        static Filters of(OperatorSearch.Users search) {
            return new Filters(search.q(), search.role(), search.status(), search.group(), search.sort(),
                    search.descending() ? "desc" : "asc");
        }
    }

    /** A group to filter by. */
    record Choice(String value, String label) {
    }

    record Row(String id, String userName, String name, String email, String role, String status,
               List<MemberRef> groups) {
    }

    record ListView(Pages.Frame frame, Filters filters, List<Choice> groups, List<String> roles, long total,
                    List<Row> rows, String previous, String next) {
    }

    record OneView(Pages.Frame frame, Member member, String email, List<MemberRef> groups, String attributes,
                   UserHistory history) {
    }

    private final UserService users;
    private final GroupService groups;

    UserPages(UserService users, GroupService groups) {
        this.users = users;
        this.groups = groups;
    }

    void addTo(RoutesConfig routes, ConsoleApp app) {
        routes.get(ConsoleApp.WORKSPACE_PATH + "/users", ConsoleApp.answering(ctx -> list(ctx, app.workspace(ctx))));
        routes.get(ConsoleApp.WORKSPACE_PATH + "/users/{id}", ConsoleApp.answering(ctx -> one(ctx,
                app.workspace(ctx))));
    }

    private void list(Context ctx, Workspace workspace) {
        String sort = FormInput.query(ctx, "sort");
        String group = FormInput.query(ctx, "group");
        // In the id's lower-case spelling, as the form's choices carry it: an upper-case id typed by hand
        // filters the same list, and the form must show its group as chosen.
        OperatorSearch.Users search = new OperatorSearch.Users(FormInput.search(ctx), FormInput.query(ctx, "role"),
                FormInput.query(ctx, "status"), group == null ? null : group.toLowerCase(Locale.ROOT),
                sort == null ? "userName" : sort, OperatorSearch.descending(FormInput.query(ctx, "order")));
        Filters filters = Filters.of(search);
        SearchResult<UserView> found = users.search(ConsoleApp.reader(ctx, workspace),
                search.query(ctx.queryParam("cursor"), PAGE_SIZE));
        Map<UUID, String> emails = users.signInEmails(ConsoleApp.reader(ctx, workspace),
                found.items().stream().map(user -> user.member().userId()).toList());
        List<Row> rows = new ArrayList<>();
        for (UserView user : found.items()) {
            Member member = user.member();
            rows.add(new Row(member.userId().toString(), member.userName(), Show.name(member),
                    emails.get(member.userId()),
                    member.role().value(), member.status().value(), user.groups()));
        }
        ListLinks links = new ListLinks(Pages.workspacePath(workspace) + "/users").with("q", filters.q())
                .with("role", filters.role()).with("status", filters.status()).with("group", filters.group())
                .with("sort", filters.sort()).with("order", filters.order());
        Pages.render(ctx, 200, "users.jte", new ListView(Pages.frame(ctx, "Users", workspace, Pages.Section.USERS),
                filters, groupChoices(ctx, workspace, filters.group()), List.of("admin", "builder", "end-user"),
                found.totalResults(), rows, links.at(found.previousCursor()), links.at(found.nextCursor())));
    }

    /**
     * The groups to filter by: the first by name, and the one the list is filtered by wherever it sorts
     * (a link from a group's page, or a filter kept across pages), so that the form never shows "any"
     * over a list it has filtered. A group since deleted is shown by its id.
     */
    private List<Choice> groupChoices(Context ctx, Workspace workspace, String chosen) {
        SearchQuery query = new SearchQuery(null, new SearchQuery.Sort(AttributePath.parse("displayName"), false), 1,
                GROUP_CHOICES, null, null);
        List<Choice> choices = new ArrayList<>(choices(ctx, workspace, query));
        if (chosen != null && choices.stream().noneMatch(choice -> choice.value().equals(chosen))) {
            List<Choice> found = choices(ctx, workspace, OperatorSearch.group(chosen));
            choices.add(found.isEmpty() ? new Choice(chosen, chosen) : found.get(0));
        }
        return choices;
    }

    private List<Choice> choices(Context ctx, Workspace workspace, SearchQuery query) {
        SearchResult<Group> found = groups.search(ConsoleApp.reader(ctx, workspace), query, false,
                (result, members) -> result);
        return found.items().stream().map(g -> new Choice(g.id().toString(), g.displayName())).toList();
    }

    private void one(Context ctx, Workspace workspace) throws JsonProcessingException {
        String id = ctx.pathParam("id");
        UserView user = users.get(ConsoleApp.reader(ctx, workspace), id);
        String email = users.signInEmails(ConsoleApp.reader(ctx, workspace), List.of(user.member().userId()))
                .get(user.member().userId());
        UserHistory history = users.history(ConsoleApp.reader(ctx, workspace), id);
        String attributes = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(user.member().attributes());
        Pages.render(ctx, 200, "user.jte", new OneView(Pages.frame(ctx, user.member().userName(), workspace,
                Pages.Section.USERS), user.member(), email, user.groups(), attributes,
                history));
    }
}
