package dev.scimserver.http.scim;

import dev.scimserver.access.Caller;
import dev.scimserver.access.TrustedProxies;
import dev.scimserver.activity.ObservedRequest;
import dev.scimserver.activity.Preconditions;
import dev.scimserver.activity.RequestTarget;
import dev.scimserver.activity.TimeOrderedIds;
import dev.scimserver.directory.Actor;
import dev.scimserver.http.scim.ScimApi.Mount;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.slf4j.MDC;

import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * Watches every request to the SCIM API and the token endpoint and, once it is answered, hands what
 * it saw to the observer (the provisioning log, the metrics) as one {@link ObservedRequest}. Runs on
 * the request thread, so it only copies what is already in memory: the request body the endpoint read
 * (a request refused before its credentials passed is kept without its body: nothing an
 * unauthenticated client sends is read for the log), and at most the first
 * {@value #RESPONSE_HEAD_BYTES} bytes of the answer.
 *
 * <p>It also puts the request id, and the workspace once the credential names one, into the logging
 * context (MDC {@value #MDC_REQUEST_ID}, {@value #MDC_WORKSPACE}) for every log line of the request.
 */
final class RequestObservation {
    static final String MDC_REQUEST_ID = "requestId";
    static final String MDC_WORKSPACE = "workspace";
    /** One more than the log keeps, so that it knows to mark the cut. */
    static final int RESPONSE_HEAD_BYTES = 64 * 1024 + 1;
    private static final String RECEIVED = "observed.received";
    private static final String STARTED = "observed.started";
    private static final String ERROR_TYPE = "observed.errorType";
    private static final String ERROR_DETAIL = "observed.errorDetail";
    private static final String RESPONSE_HEAD = "observed.responseHead";
    private static final String RESPONSE_BYTES = "observed.responseBytes";
    private static final String CALLER = "observed.caller";

    private final Observability settings;
    private final TrustedProxies trustedProxies;
    private final Mount[] mounts;
    private final Clock clock;

    RequestObservation(Observability settings, TrustedProxies trustedProxies, Mount[] mounts, Clock clock) {
        this.settings = settings;
        this.trustedProxies = trustedProxies;
        this.mounts = mounts;
        this.clock = clock;
    }

    /**
     * Before anything else runs. Answers the request's id: the one the client sent when the server takes
     * it ({@link #requestId}), or else a new time ordered id of the very millisecond the log records the request as received, by which the log
     * finds the entry without indexing the id (V25).
     */
    String begin(Context ctx) {
        Instant received = clock.instant();
        String requestId = requestId(ctx.header(ScimApi.REQUEST_ID_HEADER), received);
        MDC.clear();
        MDC.put(MDC_REQUEST_ID, requestId);
        ctx.attribute(STARTED, System.nanoTime());
        ctx.attribute(RECEIVED, received);
        return requestId;
    }

    /**
     * The id a client sent, when the server takes it as the request's own ({@link ScimApi#isSafeRequestId},
     * and no secret of the server's configuration: the log would keep it as a mark, and the log lines,
     * the journal and the events would repeat it); else a new one.
     */
    private String requestId(String sent, Instant received) {
        return ScimApi.isSafeRequestId(sent) && !settings.holdsSecret().test(sent) ? sent
                : TimeOrderedIds.next(received).toString();
    }

    /** The credential passed, and names the workspace the request acts on. */
    static void actsIn(UUID workspaceId) {
        MDC.put(MDC_WORKSPACE, workspaceId.toString());
    }

    /** The token endpoint authenticated this client: it issued it a token, or refused its grant. */
    static void authenticatedAtTokenEndpoint(Context ctx, Caller client) {
        ctx.attribute(CALLER, client);
        actsIn(client.workspaceId());
    }

    /** The error the answer carries: a SCIM {@code scimType} (or an OAuth error code) and its detail. */
    static void failed(Context ctx, String type, String detail) {
        ctx.attribute(ERROR_TYPE, type);
        ctx.attribute(ERROR_DETAIL, detail);
    }

    /** An answer written to the output stream rather than set as the result: its first bytes and its size. */
    static void answered(Context ctx, byte[] head, long bytes) {
        ctx.attribute(RESPONSE_HEAD, head);
        ctx.attribute(RESPONSE_BYTES, bytes);
    }

    /**
     * Once the answer is sent: reports the request if it is one of those observed, or its refusal at
     * another door, and clears the logging context.
     */
    void end(Context ctx, Actor actor) {
        try {
            Long started = ctx.attribute(STARTED);
            if (started != null && (ScimApi.isScimPath(ctx.path()) || RequestTarget.isTokenPath(ctx.path()))) {
                settings.requests().accept(observed(ctx, actor, (System.nanoTime() - started) / 1_000));
            } else if (ctx.statusCode() == 401 || ctx.statusCode() == 429) {
                String door = door(ctx.path());
                if (door != null) {
                    settings.refusals().accept(door, ctx.statusCode());
                }
            }
        } finally {
            MDC.clear();
        }
    }

    /**
     * A request answered before any route ran (a path that is no UTF-8 once decoded, a request arriving
     * while the server stops, a method override), with {@code detail}. Its id is the one the client sent
     * or a new one, as {@link #begin} gives, and goes into {@code response} whatever its path (a request
     * line Jetty could not read has none, and is not reported here). One to
     * the SCIM API or the token endpoint is reported as refused before its credential passed, without
     * its body, under no workspace.
     */
    void refusedBeforeRouting(Request request, Response response, int status, String detail, byte[] answer) {
        long durationMicros = Math.max(0, (System.nanoTime() - request.getBeginNanoTime()) / 1_000);
        Instant received = clock.instant().minusNanos(durationMicros * 1_000);
        String requestId = requestId(request.getHeaders().get(ScimApi.REQUEST_ID_HEADER), received);
        response.getHeaders().put(ScimApi.REQUEST_ID_HEADER, requestId);
        String path = request.getHttpURI().getPath();
        if (path == null || !(ScimApi.isScimPath(path) || RequestTarget.isTokenPath(path))) {
            return;
        }
        String address = trustedProxies.clientAddress(Request.getRemoteAddr(request),
                request.getHeaders().getValuesList("X-Forwarded-For")).getHostAddress();
        long requestBytes = Math.max(0, request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH));
        settings.requests().accept(new ObservedRequest(received, null, null, address, request.getMethod(), path,
                request.getHttpURI().getQuery(), status, null, detail, durationMicros, requestId,
                null, requestBytes, null, answer.length, settings.bodies() ? answer : null, Preconditions.NONE, null));
    }

    /**
     * The door, other than the SCIM API and the token endpoint, that a path opens, if any: each takes
     * a credential, so a guesser's 401s and 429s show in the metrics whichever one it tries.
     */
    private String door(String path) {
        Mount owner = ScimApi.owner(mounts, path);
        return owner != null ? owner.door() : MetricsEndpoint.isMetricsPath(path) ? "metrics" : null;
    }

    private ObservedRequest observed(Context ctx, Actor actor, long durationMicros) {
        Caller issued = ctx.attribute(CALLER);
        UUID workspace = actor != null ? actor.workspaceId() : issued != null ? issued.workspaceId() : null;
        String credential = actor != null ? actor.credential() : issued != null ? issued.journalName() : null;
        // The token endpoint's body is the part it read, kept once the client authenticated: like any
        // request refused before its credential passed, a refused token request is kept without it.
        // Only that body is a form: a SCIM endpoint reads a body only as JSON (RequestBodies), and its
        // bodies are redacted as JSON.
        boolean tokenPath = RequestTarget.isTokenPath(ctx.path());
        long declared = ctx.contentLength();
        byte[] requestBody = !settings.bodies() ? null : tokenPath ? (issued != null ? OAuthEndpoints.formBody(ctx) : null)
                : actor != null ? RequestBodies.readByTheEndpoint(ctx) : null;
        long requestBytes = requestBody != null ? requestBody.length : Math.max(0, declared);
        byte[] head = ctx.attribute(RESPONSE_HEAD);
        Long written = ctx.attribute(RESPONSE_BYTES);
        long responseBytes = written != null ? written : 0;
        if (written == null && ctx.resultInputStream() instanceof ByteArrayInputStream result) {
            result.reset();
            responseBytes = result.available();
            head = settings.bodies() ? new byte[(int) Math.min(responseBytes, RESPONSE_HEAD_BYTES)] : null;
            if (head != null) {
                result.read(head, 0, head.length);
            }
        }
        Instant received = ctx.attribute(RECEIVED);
        return new ObservedRequest(received, workspace, credential,
                ClientAddress.client(ctx, trustedProxies).getHostAddress(), ctx.method().name(), ctx.path(),
                ctx.queryString(), ctx.statusCode(), ctx.attribute(ERROR_TYPE), ctx.attribute(ERROR_DETAIL),
                durationMicros, ctx.res().getHeader(ScimApi.REQUEST_ID_HEADER), tokenPath ? ctx.header("Content-Type") : null,
                requestBytes,
                requestBody, responseBytes, settings.bodies() ? head : null,
                actor != null ? new Preconditions(listed(ctx, "If-Match"), SentPreconditions.ifNoneMatch(ctx))
                        : Preconditions.NONE,
                ctx.statusCode() == HttpStatus.CREATED.getCode() ? ctx.res().getHeader("Location") : null);
    }

    /** Every value of a list header, in the order sent, as one (RFC 9110 §5.3); null when it was not sent. */
    private static String listed(Context ctx, String header) {
        List<String> values = Collections.list(ctx.req().getHeaders(header));
        return values.isEmpty() ? null : String.join(", ", values);
    }
}
