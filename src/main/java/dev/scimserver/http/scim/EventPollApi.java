package dev.scimserver.http.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimserver.events.EventNotFoundException;
import dev.scimserver.events.EventPolling;
import dev.scimserver.events.PollRefusedException;
import dev.scimserver.scim.JsonFields;
import dev.scimserver.scim.ScimException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * RFC 8936 polling at {@value #POLL_PATH}, authenticated as the SCIM API is (the workspace's API token
 * or the environment's credentials for the Default Workspace): the credential's workspace is the
 * queue polled. The body is {@code {"ack", "setErrs", "maxEvents", "returnImmediately"}}; the answer
 * {@code {"sets": {jti: token}, "moreAvailable"}}. A malformed request is a SCIM error, as on every path
 * the SCIM credentials open.
 */
public final class EventPollApi implements ScimApi.Mount {
    public static final String BASE_PATH = "/api/events/v1";
    static final String POLL_PATH = BASE_PATH + "/poll";
    private static final Set<String> FIELDS = Set.of("ack", "setErrs", "maxEvents", "returnImmediately");

    private final EventPolling polling;

    public EventPollApi(EventPolling polling) {
        this.polling = polling;
    }

    @Override
    public boolean owns(String path) {
        return ScimApi.isEventsPath(path);
    }

    @Override
    public String door() {
        return "events";
    }

    @Override
    public void addRoutes(RoutesConfig routes) {
        routes.post(POLL_PATH, this::poll);
    }

    @Override
    public void answerFrameworkError(Context ctx, int status) {
        // The poll's own refusal (no set-poll subscription, a body too large) says more than the framework's.
        if (ScimApi.answeredWithScimError(ctx)) {
            return;
        }
        ScimApi.writeError(ctx, status, null, status == 404 ? "no such endpoint" : "the request could not be served ("
                + status + ")");
    }

    private void poll(Context ctx) throws InterruptedException {
        byte[] sent = ResourceEndpoints.body(ctx);
        JsonNode body = sent.length == 0 ? ScimJson.MAPPER.createObjectNode() : ScimJson.parse(sent);
        EventPolling.Answer answer;
        try {
            answer = polling.poll(ScimApi.actor(ctx).workspaceId(), request(body), ScimApi.urls(ctx).issuer());
        } catch (EventNotFoundException e) {
            throw ScimException.notFound(e.getMessage());
        } catch (PollRefusedException e) {
            // Its own workspace's waiting polls end within a long poll; a full server's sooner, as they come.
            ctx.header("Retry-After", e.workspacesOwn() ? Long.toString(EventPolling.LONG_POLL.toSeconds()) : "5");
            throw ScimException.of(e.workspacesOwn() ? 429 : 503, null, e.getMessage());
        }
        ObjectNode out = ScimJson.MAPPER.createObjectNode();
        ObjectNode sets = out.putObject("sets");
        answer.sets().forEach(sets::put);
        out.put("moreAvailable", answer.moreAvailable());
        ctx.status(200).contentType("application/json").header("Cache-Control", "no-store")
                .result(out.toString());
    }

    private static EventPolling.Request request(JsonNode body) {
        if (!body.isObject()) {
            throw ScimException.invalidSyntax("the poll request must be a JSON object");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            if (!FIELDS.contains(names.next())) {
                throw ScimException.invalidSyntax("the poll request takes only ack, setErrs, maxEvents and "
                        + "returnImmediately");
            }
        }
        List<String> ack = new ArrayList<>();
        JsonNode acks = body.path("ack");
        if (!acks.isMissingNode() && !acks.isArray()) {
            throw ScimException.invalidValue("ack must be an array of jti strings");
        }
        acks.forEach(jti -> ack.add(text(jti, "ack")));
        Map<String, String> errors = new LinkedHashMap<>();
        JsonNode setErrs = body.path("setErrs");
        if (!setErrs.isMissingNode() && !setErrs.isObject()) {
            throw ScimException.invalidValue("setErrs must be an object of jti to {err, description}");
        }
        setErrs.fields().forEachRemaining(entry -> errors.put(entry.getKey(),
                text(entry.getValue().path("err"), "setErrs") + ": " + entry.getValue().path("description").asText("")));
        JsonNode max = body.path("maxEvents");
        BigDecimal maxValue = max.isMissingNode() ? null : JsonFields.wholeNumber(max).filter(v -> v.signum() >= 0)
                .orElseThrow(() -> ScimException.invalidValue("maxEvents must be a whole number of 0 or more"));
        JsonNode immediately = body.path("returnImmediately");
        if (!immediately.isMissingNode() && !immediately.isBoolean()) {
            throw ScimException.invalidValue("returnImmediately must be true or false");
        }
        // Any whole number is a request: beyond what an int holds too, it asks for as many as a poll hands out.
        int maxEvents = maxValue == null ? EventPolling.DEFAULT_MAX_EVENTS
                : maxValue.min(BigDecimal.valueOf(EventPolling.MAX_EVENTS)).intValue();
        return new EventPolling.Request(ack, errors, maxEvents, immediately.asBoolean(false));
    }

    private static String text(JsonNode value, String field) {
        if (!value.isTextual()) {
            throw ScimException.invalidValue(field + " must hold strings");
        }
        return value.textValue();
    }
}
