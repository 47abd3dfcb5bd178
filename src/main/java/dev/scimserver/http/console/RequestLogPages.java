package dev.scimserver.http.console;

import dev.scimserver.access.Workspace;
import dev.scimserver.activity.InvalidLogQueryException;
import dev.scimserver.activity.LogDrops;
import dev.scimserver.activity.LogEntry;
import dev.scimserver.activity.LogPage;
import dev.scimserver.activity.LoggedRequest;
import dev.scimserver.activity.Preconditions;
import dev.scimserver.activity.ProvisioningLog;
import dev.scimserver.activity.RequestFilter;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The provisioning log: a workspace's requests, newest first, with the administration API's filters
 * and its cursor paging; one entry with its (redacted) bodies and the request as a curl command; and
 * the same for the requests refused before any workspace was known, which belong to none.
 */
final class RequestLogPages {
    static final int PAGE_SIZE = 50;
    static final String UNATTRIBUTED_PATH = ConsoleApp.PATH_PREFIX + "/unattributed-requests";
    /** What a {@code datetime-local} field sends: a time without an offset, which the form says is UTC. */
    private static final Pattern LOCAL_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?");

    /** What the operator asked for, as typed; blank fields ask for nothing. */
    record Filters(String from, String to, String status, String credential, String method, String resource,
                   String requestId) {
    }

    /**
     * {@code workspace} is {@code null} on the unattributed requests' list; {@code problem}: of the form
     * {@code filters}, at the parameter the log refused.
     */
    record ListView(Pages.Frame frame, String path, Workspace workspace, Filters filters, FormProblem problem,
                    List<LoggedRequest> rows, String first, String next, LogDrops drops, int queueDepth) {
        /**
         * The methods the form offers: the usual ones, and one the list is filtered by beside them
         * (OPTIONS from a link or typed in the address), so that the form never shows "any" over a list
         * it has filtered.
         */
        List<String> methodChoices() {
            String chosen = filters.method();
            List<String> usual = RequestFilter.USUAL_METHODS;
            return chosen == null || usual.stream().anyMatch(chosen::equalsIgnoreCase) ? usual
                    : java.util.stream.Stream.concat(usual.stream(), java.util.stream.Stream.of(chosen)).toList();
        }
    }

    record EntryView(Pages.Frame frame, String listPath, LoggedRequest request, Preconditions preconditions,
                     String requestBody, String responseBody, boolean bodiesDropped, String curl,
                     boolean requestBodyCut) {
    }

    private final ConsoleGate gate;
    private final ProvisioningLog log;

    RequestLogPages(ConsoleGate gate, ProvisioningLog log) {
        this.gate = gate;
        this.log = log;
    }

    void addTo(RoutesConfig routes, ConsoleApp app) {
        String requests = ConsoleApp.WORKSPACE_PATH + "/requests";
        routes.get(requests, ConsoleApp.answering(ctx -> {
            Workspace workspace = app.workspace(ctx);
            list(ctx, Pages.frame(ctx, "Provisioning log", workspace, Pages.Section.LOG), workspace);
        }));
        routes.get(requests + "/{id}", ConsoleApp.answering(ctx -> {
            Workspace workspace = app.workspace(ctx);
            show(ctx, Pages.frame(ctx, "Log entry", workspace, Pages.Section.LOG),
                    Pages.workspacePath(workspace) + "/requests", log.entry(workspace.id(), ctx.pathParam("id")));
        }));
        routes.get(UNATTRIBUTED_PATH, ConsoleApp.answering(ctx ->
                list(ctx, Pages.frame(ctx, "Unattributed requests"), null)));
        routes.get(UNATTRIBUTED_PATH + "/{id}", ConsoleApp.answering(ctx ->
                show(ctx, Pages.frame(ctx, "Unattributed log entry"), UNATTRIBUTED_PATH,
                        log.unattributedEntry(ctx.pathParam("id")))));
    }

    private void list(Context ctx, Pages.Frame frame, Workspace workspace) {
        Filters filters = new Filters(FormInput.query(ctx, "from"), FormInput.query(ctx, "to"),
                FormInput.query(ctx, "status"), FormInput.exact(ctx, "credential"), FormInput.query(ctx, "method"),
                FormInput.query(ctx, "resource"), FormInput.query(ctx, "requestId"));
        String path = workspace == null ? UNATTRIBUTED_PATH : Pages.workspacePath(workspace) + "/requests";
        String cursor = FormInput.query(ctx, "cursor");
        LogPage page;
        FormProblem problem = FormProblem.NONE;
        try {
            page = search(workspace == null ? null : workspace.id(), filter(filters), cursor);
        } catch (InvalidLogQueryException refused) {
            page = new LogPage(List.of(), Optional.empty());
            problem = new FormProblem("filters", refused.parameter(), refused.getMessage(), 400, Map.of());
        }
        ListLinks links = new ListLinks(path).with("from", filters.from()).with("to", filters.to())
                .with("status", filters.status()).with("credential", filters.credential())
                .with("method", filters.method()).with("resource", filters.resource())
                .with("requestId", filters.requestId());
        Pages.render(ctx, problem.status(), "requests.jte", new ListView(frame, path, workspace, filters,
                problem, page.items(), cursor == null ? null : links.first(), links.at(page.nextCursor().orElse(null)),
                log.drops(), log.queueDepth()));
    }

    private LogPage search(UUID workspaceId, RequestFilter filter, String cursor) {
        return workspaceId == null ? log.searchUnattributed(filter, cursor, PAGE_SIZE)
                : log.search(workspaceId, filter, cursor, PAGE_SIZE);
    }

    /** The administration API's filter of the form's fields; {@link InvalidLogQueryException} says which is wrong. */
    static RequestFilter filter(Filters filters) {
        return RequestFilter.ANY.from(utc(filters.from())).to(utc(filters.to())).status(filters.status())
                .credential(filters.credential()).method(filters.method()).resource(filters.resource())
                .requestId(filters.requestId());
    }

    /** A time without an offset, as a {@code datetime-local} field sends it, read in UTC; any other text as it is. */
    static String utc(String text) {
        return text != null && LOCAL_TIME.matcher(text).matches() ? text + "Z" : text;
    }

    private void show(Context ctx, Pages.Frame frame, String listPath, Optional<LogEntry> found) {
        if (found.isEmpty()) {
            Pages.error(ctx, 404, "Not found", "No entry of the log has this id here.");
            return;
        }
        LogEntry entry = found.get();
        Pages.render(ctx, 200, "request.jte", new EntryView(frame, listPath, entry.request(), entry.preconditions(),
                ShownBody.of(entry.requestBody()), ShownBody.of(entry.responseBody()), entry.bodiesDropped(),
                CurlCommand.of(entry, gate.urls(ctx)), entry.requestBodyCut()));
    }
}
