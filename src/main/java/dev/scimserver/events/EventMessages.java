package dev.scimserver.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Events as messages: Standard Webhooks JSON ({@code type}, {@code timestamp}, {@code data}) signed
 * with the subscription's secret, or RFC 9967 security event tokens signed with the server's keys.
 *
 * <p>The resource's representation is read when the event is sent, not when it happened: it is the
 * resource as it is then, with the {@code meta.version} of that representation (the event's
 * {@code version}), which is the change's own version unless the resource changed again in between; an
 * application keeps the highest version it has seen. A deleted resource, or a subscription asking for
 * notices, gets no representation. {@code password} is never in one.
 */
final class EventMessages {
    static final String SET_MEDIA_TYPE = "application/secevent+jwt";
    static final String JSON_MEDIA_TYPE = "application/json";
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Duration SHARED_FOR = Duration.ofSeconds(2);
    private static final int SHARED_READS = 4096;

    private final Representations representations;
    private final EventSigner signer;
    private final WebhookSecrets secrets;
    private final EventStore store;
    private final Clock clock;
    /** Each webhook's secrets opened once, until the subscription's row shows they were replaced. */
    private final Map<UUID, OpenedSecrets> openedSecrets = new ConcurrentHashMap<>();
    private final Map<Long, Read> recent = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Read> eldest) {
            return size() > SHARED_READS;
        }
    };

    private record OpenedSecrets(int version, String current, String previous, Instant previousUntil) {
    }

    /** A representation as read at {@code at} (epoch ms). */
    private record Read(Optional<Representation> representation, long at) {
    }

    EventMessages(Representations representations, EventSigner signer, WebhookSecrets secrets, EventStore store,
                  Clock clock) {
        this.representations = representations;
        this.signer = signer;
        this.secrets = secrets;
        this.store = store;
        this.clock = clock;
    }

    OutgoingMessage pushed(Delivery delivery) {
        Subscription subscription = delivery.subscription();
        ChangeEvent event = delivery.event();
        String id = store.eventIds().of(event.journalId(), event.occurredAt());
        if (subscription.format() == DeliveryFormat.SET_PUSH) {
            byte[] token = securityEventToken(subscription, event, id, signer.issuer())
                    .getBytes(StandardCharsets.US_ASCII);
            return new OutgoingMessage(SET_MEDIA_TYPE, Map.of("Accept", "application/json"), token);
        }
        byte[] body = webhookBody(subscription, event, id);
        Instant now = clock.instant();
        long timestamp = now.getEpochSecond();
        OpenedSecrets secret = opened(subscription);
        String signature = WebhookSignature.sign(secret.current(), id, timestamp, body);
        if (secret.previous() != null && now.isBefore(secret.previousUntil())) {
            // Standard Webhooks: several signatures, space-separated; a receiver accepts any that checks.
            signature += " " + WebhookSignature.sign(secret.previous(), id, timestamp, body);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(WebhookSignature.ID_HEADER, id);
        headers.put(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp));
        headers.put(WebhookSignature.SIGNATURE_HEADER, signature);
        return new OutgoingMessage(JSON_MEDIA_TYPE, headers, body);
    }

    /**
     * The subscription's secrets, opened again only when its row, read with the deliveries it claimed,
     * counts more replacements than the copy kept here: a replacement by any process shows from the
     * next batch on.
     */
    private OpenedSecrets opened(Subscription subscription) {
        OpenedSecrets kept = openedSecrets.get(subscription.id());
        if (kept != null && kept.version() >= subscription.secretVersion()) {
            return kept;
        }
        String id = subscription.id().toString();
        SealedSecrets sealed = store.sealedSecrets(subscription.id());
        OpenedSecrets fresh = new OpenedSecrets(sealed.version(), secrets.open(sealed.current(), id),
                sealed.previous() == null ? null : secrets.open(sealed.previous(), id), sealed.previousUntil());
        openedSecrets.put(subscription.id(), fresh);
        return fresh;
    }

    private byte[] webhookBody(Subscription subscription, ChangeEvent event, String eventId) {
        ObjectNode message = JSON.createObjectNode();
        message.put("id", eventId);
        message.put("type", event.type().wireName());
        message.put("timestamp", event.occurredAt().toString());
        ObjectNode data = message.putObject("data");
        data.put("workspaceId", event.workspaceId().toString());
        data.put("resourceType", event.resourceType());
        data.put("resourceId", event.resourceId().toString());
        data.put("operation", event.operation());
        event.changedAttributes().forEach(data.putArray("changedAttributes")::add);
        if (!event.memberIds().isEmpty()) {
            event.memberIds().forEach(id -> data.withArray("memberIds").add(id.toString()));
        }
        if (event.requestId() != null) {
            data.put("requestId", event.requestId());
        }
        if (event.cause() != null) {
            data.put("cause", event.cause());
        }
        representation(event).ifPresent(current -> {
            data.put("version", current.version());
            if (!subscription.notice()) {
                data.set("resource", current.resource());
            }
        });
        return bytes(message);
    }

    /**
     * The RFC 9967 token for {@code event}: one event per token, its {@code id} the token's {@code jti},
     * issued by {@code issuer} (the configured one for a push; for a poll, the one the polling request reached,
     * as the OAuth metadata it reads there names it).
     */
    String securityEventToken(Subscription subscription, ChangeEvent event, String id, String issuer) {
        EventType.Rfc9967 kind = event.type().rfc9967().orElseThrow(() -> new IllegalStateException(
                "no RFC 9967 event for " + event.type() + ": the subscription's filter should have left it out"));
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer);
        claims.put("iat", clock.instant().getEpochSecond());
        claims.put("jti", id);
        if (subscription.url() != null) {
            claims.put("aud", subscription.url().toString());
        }
        claims.put("toe", event.occurredAt().getEpochSecond());
        if (event.requestId() != null) {
            claims.put("txn", event.requestId());
        }
        Map<String, Object> subject = new LinkedHashMap<>();
        subject.put("format", "scim");
        subject.put("uri", "/" + event.resourceType() + "s/" + event.resourceId());
        claims.put("sub_id", subject);
        Map<String, Object> payload = new LinkedHashMap<>();
        if (kind.carriesData() || !event.changedAttributes().isEmpty()) {
            payload.put("attributes", event.changedAttributes());
        }
        if (!event.memberIds().isEmpty()) {
            payload.put("memberIds", event.memberIds().stream().map(UUID::toString).toList());
        }
        if (event.cause() != null) {
            payload.put("cause", event.cause());
        }
        Optional<Representation> current = representation(event);
        current.ifPresent(read -> {
            payload.put("version", read.version());
            if (kind.carriesData() && !subscription.notice()) {
                payload.put("data", JSON.convertValue(withoutMeta(read.resource()), Map.class));
            }
        });
        // A resource deleted before its create or patch went out has no data to carry: the event says
        // so by its kind, a notice, rather than a full event without the data RFC 9967 has it hold.
        claims.put("events", Map.of(kind.uri(subscription.notice() || current.isEmpty()), payload));
        return signer.signSecurityEvent(claims);
    }

    /**
     * Read even for a notice: its version is still the event's. Each subscription of the workspace sends
     * the same event at about the same time: the representation read for the first serves the others
     * for {@link #SHARED_FOR}, rather than one read per subscription.
     */
    private Optional<Representation> representation(ChangeEvent event) {
        boolean directory = event.resourceType().equals("User") || event.resourceType().equals("Group");
        if (!directory || event.operation().equals("delete")) {
            return Optional.empty();
        }
        long now = clock.millis();
        synchronized (recent) {
            Read read = recent.get(event.journalId());
            if (read != null && now - read.at() < SHARED_FOR.toMillis()) {
                return read.representation();
            }
        }
        Optional<Representation> current = representations.current(event.workspaceId(), event.resourceType(),
                event.resourceId());
        synchronized (recent) {
            recent.put(event.journalId(), new Read(current, now));
        }
        return current;
    }

    private static ObjectNode withoutMeta(ObjectNode resource) {
        ObjectNode copy = resource.deepCopy();
        copy.remove(List.of("meta"));
        return copy;
    }

    private static byte[] bytes(ObjectNode json) {
        try {
            return JSON.writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise an event", e);
        }
    }
}
