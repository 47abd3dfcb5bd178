package dev.scimserver.http.scim;

import dev.scimserver.access.SecretFormat;
import dev.scimserver.access.AuthorizationServerUrls;
import dev.scimserver.access.BearerCredentials;
import dev.scimserver.access.PublicUrls;
import dev.scimserver.access.SigningKeys;
import dev.scimserver.access.TokenEndpoint;
import dev.scimserver.access.TrustedProxies;
import dev.scimserver.access.RequestThrottle;
import dev.scimserver.access.CredentialsUnavailableException;
import dev.scimserver.access.EnvironmentCredentials;
import dev.scimserver.access.LastUseRecorder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimserver.activity.RequestTarget;
import dev.scimserver.directory.Actor;
import dev.scimserver.directory.CommitOutcomeUnknownException;
import dev.scimserver.directory.ConcurrentChangeException;
import dev.scimserver.directory.DirectoryStore;
import dev.scimserver.directory.DirectoryUnavailableException;
import dev.scimserver.directory.GroupService;
import dev.scimserver.directory.ResourceSearch;
import dev.scimserver.directory.UserService;
import dev.scimserver.scim.ScimException;
import dev.scimserver.scim.ScimType;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.config.Key;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.http.MethodNotAllowedResponse;
import io.javalin.router.ParsedEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The web adapter: routes, the switch, auth, request limits, and one place that maps exceptions to SCIM errors. */
public final class ScimApi {
    public static final String BASE_PATH = "/api/scim/v2";
    static final String SCIM_CONTENT_TYPE = "application/scim+json";
    static final long MAX_BODY_BYTES = 1024 * 1024;
    /** The largest body any route takes (Bulk's); each endpoint enforces its own limit below it. */
    public static final long MAX_REQUEST_BYTES = BulkEndpoint.MAX_PAYLOAD_BYTES;
    static final String REQUEST_ID_HEADER = "X-Request-Id";
    private static final String ACTOR = "scim.actor";
    private static final String URLS = "scim.urls";
    private static final Key<PublicUrls> PUBLIC_URLS = new Key<>("scim.publicUrls");
    private static final Logger LOG = LoggerFactory.getLogger(ScimApi.class);
    private static final Pattern SAFE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /**
     * What the web adapter needs from the configuration. {@code bearers} tells which workspace's
     * credential a bearer token is, if any, in a request that reached the given URLs (the
     * environment's token is the authenticator's, and {@code lastUse} notes its uses). {@code throttle}
     * counts failed authentications at the SCIM endpoints and the token endpoint alike; {@code publicUrls}
     * says where clients reach the server; {@code tokens} and {@code signingKeys} serve the OAuth
     * endpoints; {@code observability} is told of every request and serves the metrics.
     */
    public record Settings(boolean enabled, EnvironmentCredentials authenticator, LastUseRecorder lastUse,
                           BearerCredentials bearers, RequestThrottle throttle,
                           TrustedProxies trustedProxies, PublicUrls publicUrls, TokenEndpoint tokens,
                           SigningKeys signingKeys, Observability observability, boolean cursorReadAhead) {
    }

    /**
     * Routes another adapter serves on this server, under paths of its own and with error bodies of its
     * own: the errors Javalin raises on its paths (no such route, method not allowed, body too large)
     * are its to answer, never as SCIM errors.
     */
    public interface Mount {
        /** Whether the path is one of the mount's; compare in any case, as routes match in any case. */
        boolean owns(String path);

        /** The door the mount is, as the metrics name its refusals ({@code scim_authentication_failures_total}'s label). */
        String door();

        /** Whether {@code path} is {@code prefix} or below it, in any case: what a mount at a prefix owns. */
        static boolean isUnder(String path, String prefix) {
            return path.regionMatches(true, 0, prefix, 0, prefix.length())
                    && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
        }

        void addRoutes(RoutesConfig routes);

        /** Answers Javalin's error {@code status} on one of the mount's paths, unless the mount has answered already. */
        void answerFrameworkError(Context ctx, int status);

        /**
         * The body of the server's own refusal {@code status} of a request to one of the mount's paths
         * that reached no route (a path that is no UTF-8 once decoded): a SCIM error unless the mount
         * speaks another language.
         */
        default ErrorBody containerError(int status, String detail) {
            return JettyHardening.scimError(status, detail);
        }
    }

    /** An answer's media type and bytes, for an error written outside any route. */
    public record ErrorBody(String contentType, byte[] bytes) {
    }

    private ScimApi() {
    }

    /** A configured, unstarted Javalin application, with the {@code mounts}' routes beside the SCIM ones. */
    public static Javalin create(Settings settings, UserService users, GroupService groups, ResourceSearch search,
                                 DirectoryStore store, Mount... mounts) {
        UserOperations userOperations = new UserOperations(users);
        ResourceOperations groupOperations = new GroupOperations(groups);
        PageReadAhead readAhead = new PageReadAhead(settings.cursorReadAhead(),
                settings.observability().readAheads());
        ResourceEndpoints userEndpoints = new ResourceEndpoints(userOperations, new UserReads(users, readAhead));
        ResourceEndpoints groupEndpoints = new ResourceEndpoints(groupOperations, new GroupStreamer(groups));
        SearchEndpoints rootSearch = new SearchEndpoints(search);
        BulkEndpoint bulk = new BulkEndpoint(userOperations, groupOperations, store);
        AccessGuard guard = new AccessGuard(settings.enabled(), settings.authenticator(), settings.lastUse(),
                settings.bearers(), store::defaultWorkspaceId, settings.throttle(), settings.trustedProxies());
        DiscoveryEndpoints discovery = new DiscoveryEndpoints(settings.authenticator());
        OAuthEndpoints oauth = new OAuthEndpoints(settings.enabled(), settings.tokens(), settings.signingKeys(),
                settings.publicUrls(), settings.trustedProxies());
        RequestObservation observation = new RequestObservation(settings.observability(), settings.trustedProxies(),
                mounts, Clock.systemUTC());
        MetricsEndpoint metrics = new MetricsEndpoint(settings.observability().metrics(),
                settings.observability().metricsToken(), settings.throttle(), settings.trustedProxies());
        return Javalin.create(config -> {
            configureServer(config, mounts, observation);
            config.appData(PUBLIC_URLS, settings.publicUrls());
            var routes = config.routes;
            routes.before(ctx -> {
                String requestId = observation.begin(ctx);
                ctx.header(REQUEST_ID_HEADER, requestId);
                if (isScimPath(ctx.path()) || isEventsPath(ctx.path())) {
                    guard.check(ctx, requestId);
                    UnstorableText.refuseInQuery(ctx);
                    RequestBodies.refuseTransferCoding(ctx);
                    RequestBodies.refuseContentCoding(ctx);
                    RequestBodies.refuseMediaType(ctx);
                }
            });
            config.requestLogger.http((ctx, millis) -> observation.end(ctx, ctx.attribute(ACTOR)));
            routes.get("/health", ctx -> {
                boolean up = store.isAvailable();
                ctx.status(up ? 200 : 503).contentType("application/json")
                        .result(up ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\",\"database\":\"unreachable\"}");
            });
            userEndpoints.register(routes, BASE_PATH + "/Users");
            groupEndpoints.register(routes, BASE_PATH + "/Groups");
            discovery.register(routes, BASE_PATH);
            rootSearch.register(routes, BASE_PATH);
            routes.addHttpHandler(HandlerType.GET, BASE_PATH + "/Me", ScimApi::me);
            for (String path : new String[] {BASE_PATH + "/Me", BASE_PATH + "/Me/{rest}"}) {
                routes.post(path, ScimApi::me);
                routes.put(path, ScimApi::me);
                routes.patch(path, ScimApi::me);
                routes.delete(path, ScimApi::me);
            }
            routes.post(BASE_PATH + "/Bulk", bulk::handle);
            oauth.register(routes);
            metrics.register(routes);
            for (Mount mount : mounts) {
                mount.addRoutes(routes);
            }
            answerHeadAsGet(config, routes);
            routes.exception(ScimException.class, (e, ctx) -> writeError(ctx, e.status(), e.scimType().orElse(null),
                    e.detail()));
            routes.exception(ConcurrentChangeException.class, (e, ctx) -> {
                LOG.info("request {}: {}", ctx.res().getHeader(REQUEST_ID_HEADER), e.getMessage());
                ctx.header("Retry-After", "1");
                writeError(ctx, 503, null, "a concurrent change undid this request's changes; none of them was "
                        + "applied, retry");
            });
            routes.exception(CredentialsUnavailableException.class, (e, ctx) -> {
                LOG.warn("request {}: {}", ctx.res().getHeader(REQUEST_ID_HEADER), e.getMessage());
                if (RequestTarget.isTokenPath(ctx.path())) {
                    OAuthEndpoints.databaseUnavailable(ctx);
                    return;
                }
                ctx.header("Retry-After", "5");
                writeError(ctx, 503, null, "the database is unavailable, every connection to it is busy, a statement "
                        + "ran too long, or it takes no writes for now: the credentials could not be checked, or the "
                        + "request's work was not done; retry later");
            });
            routes.exception(DirectoryUnavailableException.class, (e, ctx) -> {
                LOG.warn("request {}: {}", ctx.res().getHeader(REQUEST_ID_HEADER), e.getMessage());
                ctx.header("Retry-After", "5");
                writeError(ctx, 503, null, "the directory database is unavailable, takes no writes for now (read-only, "
                        + "out of disk), every connection to it is busy, or a statement ran too long and was "
                        + "cancelled; nothing was applied, retry later");
            });
            routes.exception(CommitOutcomeUnknownException.class, (e, ctx) -> {
                LOG.warn("request {}: {}", ctx.res().getHeader(REQUEST_ID_HEADER), e.getMessage());
                ctx.header("Retry-After", "5");
                writeError(ctx, 503, null, CommitOutcomeUnknownException.ADVICE);
            });
            routes.exception(HttpResponseException.class, (e, ctx) -> {
                if (e instanceof MethodNotAllowedResponse) {
                    allow(ctx, e.getDetails().values());
                }
                Mount owner = owner(mounts, ctx.path());
                if (owner != null) {
                    owner.answerFrameworkError(ctx, e.getStatus());
                } else {
                    writeError(ctx, e.getStatus(), null, frameworkDetail(e.getStatus(), ctx.path()));
                }
            });
            routes.exception(Exception.class, (e, ctx) -> {
                String id = ctx.res().getHeader(REQUEST_ID_HEADER);
                LOG.error("request {} failed: {} {}", id, ctx.method(), ctx.path(), e);
                writeError(ctx, 500, null, "internal server error; request id " + id);
            });
            for (int status : new int[] {404, 405, 413}) {
                routes.error(status, ctx -> {
                    Mount owner = owner(mounts, ctx.path());
                    if (owner != null) {
                        owner.answerFrameworkError(ctx, status);
                    } else if (ctx.result() == null || !(isScimContentType(ctx) || OAuthEndpoints.answered(ctx))) {
                        writeError(ctx, status, null, frameworkDetail(status, ctx.path()));
                    }
                });
            }
        });
    }

    /**
     * Every GET route answers HEAD with the GET's handler, whose content Jetty leaves unsent (RFC 9110
     * section 9.3.2: the status and headers a GET would have). Left to itself, Javalin answers a HEAD of
     * any path with a GET route 200 without running the GET: a HEAD of a user that does not exist
     * said it did, and a HEAD of /health said UP without asking the database. A path with a HEAD
     * route of its own keeps it.
     */
    private static void answerHeadAsGet(JavalinConfig config, RoutesConfig routes) {
        List<ParsedEndpoint> all = List.copyOf(config.unsafe.internalRouter.allHttpHandlers());
        Set<String> ownHead = all.stream().filter(route -> route.endpoint.method == HandlerType.HEAD)
                .map(route -> route.endpoint.path).collect(Collectors.toSet());
        for (ParsedEndpoint route : all) {
            if (route.endpoint.method == HandlerType.GET && !ownHead.contains(route.endpoint.path)) {
                routes.addHttpHandler(HandlerType.HEAD, route.endpoint.path, route.endpoint.handler);
            }
        }
    }

    private static void configureServer(JavalinConfig config, Mount[] mounts, RequestObservation observation) {
        JettyHardening.apply(config, mounts, observation);
        config.http.maxRequestSize = MAX_REQUEST_BYTES;
        config.http.prefer405over404 = true;
        config.http.generateEtags = false;
        config.router.ignoreTrailingSlashes = true;
        // Endpoint names in any case (/users, /serviceproviderconfig), as Microsoft's reference
        // implementation answers them; ids keep their case, since only the route pattern ignores it.
        config.router.caseInsensitiveRoutes = true;
        config.startup.showJavalinBanner = false;
        config.concurrency.useVirtualThreads = true;
    }

    /**
     * The request acts in this workspace (an administration or console request on one, once its slug
     * is found): its log lines name the workspace, as a SCIM request's do once its credential passed.
     */
    public static void actsIn(UUID workspaceId) {
        RequestObservation.actsIn(workspaceId);
    }

    /**
     * Whether the switch, authentication and limits apply: compared in any case, because routes
     * match in any case, and a request that reaches an endpoint must never pass around its guard.
     */
    static boolean isScimPath(String path) {
        return path.regionMatches(true, 0, BASE_PATH, 0, BASE_PATH.length());
    }

    /** The events' poll path opens with the same credentials, each for its own workspace. */
    static boolean isEventsPath(String path) {
        return path.regionMatches(true, 0, EventPollApi.BASE_PATH, 0, EventPollApi.BASE_PATH.length());
    }

    /** The mount that owns {@code path}, or null. */
    static Mount owner(Mount[] mounts, String path) {
        for (Mount mount : mounts) {
            if (mount.owns(path)) {
                return mount;
            }
        }
        return null;
    }

    private static void me(Context ctx) {
        throw ScimException.notImplemented("/Me is not supported: provisioning clients are not users of the workspace");
    }

    /** Whether a route or an exception handler has written a SCIM answer already. */
    static boolean answeredWithScimError(Context ctx) {
        return ctx.result() != null && isScimContentType(ctx);
    }

    private static boolean isScimContentType(Context ctx) {
        String type = ctx.res().getContentType();
        return type != null && type.startsWith(SCIM_CONTENT_TYPE);
    }

    /** Who the request acts as, and on which workspace: set by the access guard before any SCIM endpoint runs. */
    /**
     * The credential passed and names who acts: from here on the request is the workspace's, in the
     * log and the metrics, whatever refuses it next (the credential's rate limit included).
     */
    static void actsAs(Context ctx, Actor actor) {
        ctx.attribute(ACTOR, actor);
        RequestObservation.actsIn(actor.workspaceId());
    }

    static Actor actor(Context ctx) {
        Actor actor = ctx.attribute(ACTOR);
        if (actor == null) {
            throw new IllegalStateException("a SCIM endpoint ran without the access guard: " + ctx.path());
        }
        return actor;
    }

    /**
     * Whether a client's request id is one the server takes as the request's own: one the logs can
     * carry as it is, and no token or client secret of this server, which the answer, the log lines
     * and the provisioning log would otherwise repeat.
     */
    static boolean isSafeRequestId(String sent) {
        return sent != null && SAFE_REQUEST_ID.matcher(sent).matches() && !SecretFormat.holdsAnyPrefix(sent);
    }


    /**
     * RFC 9110 §15.5.6: a 405 names the methods the path takes, as the router found them, with HEAD
     * beside the GET whose handler answers it ({@link #answerHeadAsGet}).
     */
    private static void allow(Context ctx, Collection<String> found) {
        List<String> allowed = new ArrayList<>();
        for (String listed : found) {
            for (String method : listed.split(",")) {
                String name = method.strip();
                if (!name.isEmpty() && !allowed.contains(name)) {
                    allowed.add(name);
                }
            }
        }
        if (allowed.remove("HEAD")) {
            allowed.add(allowed.indexOf("GET") + 1, "HEAD");
        }
        if (!allowed.isEmpty()) {
            ctx.header("Allow", String.join(", ", allowed));
        }
    }

    /**
     * What a request no route took is told. A path holding "//" is most often a base URL entered with a
     * trailing slash, which the IdP then extends: said, since no route matches it (the guards and the log
     * read the path as sent, so it is not read as the single slash it was meant as).
     */
    private static String frameworkDetail(int status, String path) {
        return switch (status) {
            case 404 -> path.contains("//") ? "no such endpoint: the path holds '//'; enter the SCIM base URL "
                    + "without a trailing slash" : "no such endpoint";
            case 405 -> "method not allowed on this endpoint";
            case 413 -> "the request body is larger than this server takes: " + MAX_BODY_BYTES / 1024
                    + " KiB for a resource, " + BulkEndpoint.MAX_PAYLOAD_BYTES / 1024 + " KiB for a Bulk request";
            default -> "the request could not be served (" + status + ")";
        };
    }

    static void writeError(Context ctx, int status, ScimType scimType, String detail) {
        RequestObservation.failed(ctx, scimType == null ? null : scimType.wireValue(), detail);
        write(ctx, status, ScimErrors.body(status, scimType, detail));
    }

    /**
     * An answer without a body (204, 304): without the framework's default {@code text/plain} either,
     * which would name a type for no content (Entra expects a SCIM type or none).
     */
    public static void withoutBody(Context ctx, int status) {
        ctx.status(status);
        ctx.res().setContentType(null);
    }

    static void write(Context ctx, int status, JsonNode body) {
        try {
            ctx.status(status).contentType(SCIM_CONTENT_TYPE).result(ScimJson.MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a response", e);
        }
    }

    /** The absolute base URL the client reached us at, for meta.location and Location. */
    static String baseUrl(Context ctx) {
        return urls(ctx).scimBaseUrl();
    }

    /**
     * Where the request reached us ({@link PublicUrls}): the SCIM base URL, and the issuer and
     * audience of the access tokens issued or accepted here. Worked out once per request.
     */
    static AuthorizationServerUrls urls(Context ctx) {
        AuthorizationServerUrls urls = ctx.attribute(URLS);
        if (urls == null) {
            urls = ctx.appData(PUBLIC_URLS).reachedAt(ClientAddress.peer(ctx), ctx.scheme(), ctx.host(),
                    ctx.header("X-Forwarded-Proto"), ctx.header("X-Forwarded-Host"));
            ctx.attribute(URLS, urls);
        }
        return urls;
    }

    static ObjectNode object() {
        return ScimJson.MAPPER.createObjectNode();
    }
}
