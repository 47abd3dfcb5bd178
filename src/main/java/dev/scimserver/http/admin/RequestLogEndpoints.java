package dev.scimserver.http.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimserver.activity.LogDrops;
import dev.scimserver.activity.LogEntry;
import dev.scimserver.activity.LogPage;
import dev.scimserver.activity.LoggedRequest;
import dev.scimserver.activity.MinuteCount;
import dev.scimserver.activity.ProvisioningLog;
import dev.scimserver.activity.RequestFilter;
import dev.scimserver.activity.RequestRates;
import dev.scimserver.scim.AsciiDigits;
import io.javalin.http.Context;

import java.util.List;
import java.util.Set;

/**
 * The provisioning log: {@code /workspaces/{slug}/requests} (newest first, filtered, cursor-paged) and
 * one entry with its bodies; and the same for the requests refused before any workspace was known,
 * under {@code /unattributed-requests}, which belong to no workspace and only this API shows.
 */
final class RequestLogEndpoints {
    static final String COLLECTION = "/workspaces/{slug}/requests";
    static final String ONE = COLLECTION + "/{id}";
    static final String UNATTRIBUTED = "/unattributed-requests";
    static final String UNATTRIBUTED_ONE = UNATTRIBUTED + "/{id}";
    static final String RATES = "/workspaces/{slug}/request-rates";
    static final String STATE = "/provisioning-log";
    private static final Set<String> PARAMETERS = Set.of("from", "to", "status", "credential", "method", "resource",
            "requestId", "cursor", "limit");

    private final WorkspaceEndpoints workspaces;
    private final ProvisioningLog log;
    private final RequestRates rates;

    RequestLogEndpoints(WorkspaceEndpoints workspaces, ProvisioningLog log, RequestRates rates) {
        this.workspaces = workspaces;
        this.log = log;
        this.rates = rates;
    }

    void addTo(AdminRoutes routes) {
        routes.get(COLLECTION, ctx -> writePage(ctx, log.search(workspaces.workspace(ctx).id(), filter(ctx),
                ctx.queryParam("cursor"), limit(ctx))));
        routes.get(ONE, ctx -> writeEntry(ctx, log.entry(workspaces.workspace(ctx).id(), ctx.pathParam("id"))
                .orElseThrow(RequestLogEndpoints::noSuchEntry)));
        routes.get(UNATTRIBUTED, ctx -> writePage(ctx, log.searchUnattributed(filter(ctx), ctx.queryParam("cursor"),
                limit(ctx))));
        routes.get(UNATTRIBUTED_ONE, ctx -> writeEntry(ctx, log.unattributedEntry(ctx.pathParam("id"))
                .orElseThrow(RequestLogEndpoints::noSuchEntry)));
        routes.get(RATES, ctx -> writeRates(ctx, rates.lastDay(workspaces.workspace(ctx).id())));
        routes.get(STATE, this::writeState);
    }

    /** The console overview's chart and totals: each minute of the last day, and their sums. */
    private static void writeRates(Context ctx, List<MinuteCount> minutes) {
        ObjectNode answer = AdminJson.object();
        answer.put("requests", minutes.stream().mapToLong(MinuteCount::requests).sum());
        answer.put("clientErrors", minutes.stream().mapToLong(MinuteCount::clientErrors).sum());
        answer.put("serverErrors", minutes.stream().mapToLong(MinuteCount::serverErrors).sum());
        ArrayNode each = answer.putArray("minutes");
        for (MinuteCount minute : minutes) {
            ObjectNode one = each.addObject();
            AdminJson.putTime(one, "minute", minute.minute());
            one.put("requests", minute.requests());
            one.put("clientErrors", minute.clientErrors());
            one.put("serverErrors", minute.serverErrors());
        }
        AdminJson.write(ctx, 200, answer);
    }

    /** What the console's log page says the log lost since the process started, and what waits to be stored. */
    private void writeState(Context ctx) {
        LogDrops drops = log.drops();
        ObjectNode answer = AdminJson.object();
        answer.put("bodiesDropped", drops.bodiesDropped());
        answer.put("entriesDropped", drops.entriesDropped());
        answer.put("entriesLost", drops.entriesLost());
        answer.put("waiting", log.queueDepth());
        AdminJson.write(ctx, 200, answer);
    }

    private static RequestFilter filter(Context ctx) {
        QueryParameters.check(ctx, PARAMETERS, "the filters are from, to, status, credential, method, resource and "
                + "requestId, the paging cursor and limit");
        return RequestFilter.ANY.from(ctx.queryParam("from")).to(ctx.queryParam("to"))
                .status(ctx.queryParam("status")).credential(ctx.queryParam("credential"))
                .method(ctx.queryParam("method")).resource(ctx.queryParam("resource"))
                .requestId(ctx.queryParam("requestId"));
    }

    private static int limit(Context ctx) {
        String text = ctx.queryParam("limit");
        if (text == null || text.isBlank()) {
            return ProvisioningLog.DEFAULT_LIMIT;
        }
        try {
            return AsciiDigits.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw Problem.badField("limit", "limit must be a whole number from 1 to " + ProvisioningLog.MAX_LIMIT);
        }
    }

    private static Problem noSuchEntry() {
        return Problem.of(404, "no entry of the log has this id here");
    }

    private static void writePage(Context ctx, LogPage page) {
        ObjectNode answer = AdminJson.object();
        ArrayNode items = answer.putArray("items");
        page.items().forEach(item -> items.add(json(item)));
        answer.put("nextCursor", page.nextCursor().orElse(null));
        AdminJson.write(ctx, 200, answer);
    }

    private static void writeEntry(Context ctx, LogEntry entry) {
        ObjectNode answer = json(entry.request());
        answer.put("requestBody", entry.requestBody());
        answer.put("responseBody", entry.responseBody());
        answer.put("bodiesDropped", entry.bodiesDropped());
        answer.put("ifMatch", entry.preconditions().ifMatch());
        answer.put("ifNoneMatch", entry.preconditions().ifNoneMatch());
        AdminJson.write(ctx, 200, answer);
    }

    static ObjectNode json(LoggedRequest request) {
        ObjectNode json = AdminJson.object();
        json.put("id", request.id().toString());
        AdminJson.putTime(json, "receivedAt", request.receivedAt());
        json.put("credential", request.credential());
        json.put("clientAddress", request.clientAddress());
        json.put("method", request.method());
        json.put("path", request.path());
        json.put("query", request.query());
        json.put("resourceId", request.resourceId());
        json.put("status", request.status());
        json.put("scimType", request.scimType());
        json.put("detail", request.detail());
        json.put("durationMicros", request.durationMicros());
        json.put("requestId", request.requestId());
        json.put("requestBytes", request.requestBytes());
        json.put("responseBytes", request.responseBytes());
        return json;
    }
}
