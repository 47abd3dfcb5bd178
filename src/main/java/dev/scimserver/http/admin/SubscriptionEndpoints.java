package dev.scimserver.http.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimserver.access.Workspace;
import dev.scimserver.events.DeliveryAttempt;
import dev.scimserver.events.DeliveryFormat;
import dev.scimserver.events.DeliveryRecord;
import dev.scimserver.events.EventType;
import dev.scimserver.events.NewSubscription;
import dev.scimserver.events.Subscription;
import dev.scimserver.events.Subscriptions;
import io.javalin.http.Context;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;

/**
 * {@code /workspaces/{slug}/subscriptions}: where a workspace's events go. A webhook's secret is in the
 * answer that makes the subscription and nowhere else, ever.
 */
final class SubscriptionEndpoints {
    static final String COLLECTION = "/workspaces/{slug}/subscriptions";
    static final String ONE = COLLECTION + "/{id}";

    private final WorkspaceEndpoints workspaces;
    private final Subscriptions subscriptions;

    SubscriptionEndpoints(WorkspaceEndpoints workspaces, Subscriptions subscriptions) {
        this.workspaces = workspaces;
        this.subscriptions = subscriptions;
    }

    void addTo(AdminRoutes routes) {
        routes.get(COLLECTION, this::list);
        routes.post(COLLECTION, this::create);
        routes.get(ONE, ctx -> AdminJson.write(ctx, 200, json(subscriptions.get(workspace(ctx), ctx.pathParam("id")))));
        routes.patch(ONE, this::pauseOrResume);
        routes.delete(ONE, this::delete);
        routes.get(ONE + "/deliveries", this::deliveries);
        routes.post(ONE + "/replay", this::replay);
        routes.post(ONE + "/secret", this::replaceSecret);
    }

    private UUID workspace(Context ctx) {
        return workspaces.workspace(ctx).id();
    }

    private void list(Context ctx) {
        AdminJson.writeItems(ctx, subscriptions.list(workspace(ctx)), SubscriptionEndpoints::json);
    }

    private void create(Context ctx) {
        AdminBody body = AdminBody.read(ctx, Set.of("url", "format", "events", "notice"));
        Workspace workspace = workspaces.workspace(ctx);
        NewSubscription made = subscriptions.create(workspace.id(), body.optionalText("url"), body.text("format"),
                body.optionalTexts("events"), body.optionalBoolean("notice", false));
        ObjectNode answer = json(made.subscription());
        if (made.secret() != null) {
            answer.put("secret", made.secret());
        }
        AdminApi.created(ctx, "/workspaces/" + workspace.slug() + "/subscriptions/" + made.subscription().id(), answer);
    }

    /** A webhook's new secret, in this answer only; the old one signs beside it for the hours asked (24). */
    private void replaceSecret(Context ctx) {
        int hours = AdminBody.read(ctx, Set.of("previousSecretHours")).optionalWhole("previousSecretHours", 0,
                (int) Subscriptions.MAX_SECRET_OVERLAP.toHours(), (int) Subscriptions.DEFAULT_SECRET_OVERLAP.toHours());
        NewSubscription replaced = subscriptions.replaceSecret(workspace(ctx), ctx.pathParam("id"),
                Duration.ofHours(hours));
        ObjectNode answer = json(replaced.subscription());
        answer.put("secret", replaced.secret());
        AdminJson.write(ctx, 201, answer);
    }

    private void pauseOrResume(Context ctx) {
        AdminBody body = AdminBody.read(ctx, Set.of("paused"));
        Boolean paused = body.optionalBoolean("paused");
        if (paused == null) {
            throw Problem.badField("paused", "paused is required: true pauses the subscription, false resumes it");
        }
        UUID workspace = workspace(ctx);
        String id = ctx.pathParam("id");
        Subscription changed = paused ? subscriptions.pause(workspace, id) : subscriptions.resume(workspace, id);
        AdminJson.write(ctx, 200, json(changed));
    }

    private void delete(Context ctx) {
        subscriptions.delete(workspace(ctx), ctx.pathParam("id"));
        AdminApi.noContent(ctx);
    }

    private void deliveries(Context ctx) {
        UUID workspace = workspace(ctx);
        String id = ctx.pathParam("id");
        ObjectNode answer = AdminJson.object();
        var attempts = answer.putArray("items");
        for (DeliveryAttempt attempt : subscriptions.attempts(workspace, id)) {
            ObjectNode item = attempts.addObject();
            item.put("eventId", attempt.eventId());
            AdminJson.putTime(item, "attemptedAt", attempt.attemptedAt());
            if (attempt.status() == 0) {
                item.putNull("status");
            } else {
                item.put("status", attempt.status());
            }
            item.put("durationMs", attempt.duration().toMillis());
            item.put("error", attempt.error());
        }
        var deliveries = answer.putArray("deliveries");
        for (DeliveryRecord record : subscriptions.deliveries(workspace, id)) {
            ObjectNode item = deliveries.addObject();
            item.put("eventId", record.eventId());
            item.put("type", record.type());
            item.put("state", record.state().wireName());
            item.put("attempts", record.attempts());
            AdminJson.putTime(item, "nextAttemptAt", record.nextAttemptAt());
            AdminJson.putTime(item, "finishedAt", record.finishedAt());
            item.put("lastError", record.lastError());
        }
        AdminJson.write(ctx, 200, answer);
    }

    private void replay(Context ctx) {
        AdminBody body = AdminBody.read(ctx, Set.of("from"));
        int replayed = subscriptions.replay(workspace(ctx), ctx.pathParam("id"), body.optionalTime("from"));
        ObjectNode answer = AdminJson.object();
        answer.put("replayed", replayed);
        AdminJson.write(ctx, 202, answer);
    }

    static ObjectNode json(Subscription subscription) {
        ObjectNode json = AdminJson.object();
        json.put("id", subscription.id().toString());
        json.put("url", subscription.url() == null ? null : subscription.url().toString());
        json.put("format", subscription.format().wireName());
        var events = json.putArray("events");
        subscription.events().stream().map(EventType::wireName).forEach(events::add);
        json.put("notice", subscription.notice());
        json.put("paused", subscription.paused());
        AdminJson.putTime(json, "pausedAt", subscription.pausedAt());
        json.put("pauseReason", subscription.pauseReason());
        AdminJson.putTime(json, "failingSince", subscription.failingSince());
        AdminJson.putTime(json, "createdAt", subscription.createdAt());
        if (subscription.format() == DeliveryFormat.WEBHOOK) {
            AdminJson.putTime(json, "secretRotatedAt", subscription.secretRotatedAt());
            AdminJson.putTime(json, "previousSecretExpiresAt", subscription.previousSecretUntil());
        }
        return json;
    }
}
