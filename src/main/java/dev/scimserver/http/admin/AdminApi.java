package dev.scimserver.http.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimserver.access.AdminToken;
import dev.scimserver.access.ChangeOrigin;
import dev.scimserver.access.RequestThrottle;
import dev.scimserver.access.TrustedProxies;
import dev.scimserver.access.WorkspaceCredentials;
import dev.scimserver.access.WorkspaceOAuthClients;
import dev.scimserver.access.Workspaces;
import dev.scimserver.activity.ProvisioningLog;
import dev.scimserver.activity.RequestRates;
import dev.scimserver.directory.GroupService;
import dev.scimserver.directory.UserService;
import dev.scimserver.directory.WorkspaceRoles;
import dev.scimserver.directory.WorkspaceSummaries;
import dev.scimserver.events.Subscriptions;
import dev.scimserver.http.scim.ScimApi;
import dev.scimserver.scim.PercentEscapes;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The administration API, served beside the SCIM API under {@value #BASE_PATH}. Every path under
 * {@value #PATH_PREFIX} passes {@link AdminGuard} first; every failure, the framework's own included,
 * is answered as a problem by {@link ProblemResponses}.
 */
public final class AdminApi implements ScimApi.Mount {
    public static final String PATH_PREFIX = "/api/admin";
    public static final String BASE_PATH = PATH_PREFIX + "/v1";
    static final String OPENAPI_PATH = "/openapi.json";
    private static final String OPENAPI_RESOURCE = "/admin/openapi.json";

    /** What the routes work with. */
    public record Services(Workspaces workspaces, WorkspaceCredentials credentials, WorkspaceOAuthClients oauthClients,
                           WorkspaceSummaries summaries, WorkspaceRoles roles, Subscriptions subscriptions,
                           ProvisioningLog requestLog, RequestRates requestRates, UserService users,
                           GroupService groups) {
    }

    /** What decides who gets in; {@code throttle} is the one the SCIM side counts failures in. */
    public record Guarding(AdminToken token, RequestThrottle throttle, TrustedProxies trustedProxies) {
    }

    private final AdminGuard guard;
    private final AdminRoutes routes = new AdminRoutes();

    public AdminApi(Guarding guarding, Services services) {
        this.guard = new AdminGuard(guarding.token(), guarding.throttle(), guarding.trustedProxies());
        WorkspaceEndpoints workspaces = new WorkspaceEndpoints(services.workspaces());
        workspaces.addTo(routes);
        new CredentialEndpoints(workspaces, services.credentials()).addTo(routes);
        new OAuthClientEndpoints(workspaces, services.oauthClients()).addTo(routes);
        new SubscriptionEndpoints(workspaces, services.subscriptions()).addTo(routes);
        new SummaryEndpoint(workspaces, services.summaries(), services.credentials(), services.oauthClients())
                .addTo(routes);
        new RoleEndpoints(workspaces, services.roles()).addTo(routes);
        new RequestLogEndpoints(workspaces, services.requestLog(), services.requestRates()).addTo(routes);
        new DirectoryEndpoints(workspaces, services.users(), services.groups()).addTo(routes);
        byte[] openApi = openApiDocument();
        routes.get(OPENAPI_PATH, ctx -> ctx.status(200).contentType(AdminJson.CONTENT_TYPE).result(openApi));
    }

    @Override
    public boolean owns(String path) {
        return ScimApi.Mount.isUnder(path, PATH_PREFIX);
    }

    @Override
    public String door() {
        return "admin";
    }

    @Override
    public void addRoutes(RoutesConfig config) {
        config.before(ctx -> {
            if (owns(ctx.path())) {
                try {
                    guard.check(ctx);
                    int malformed = PercentEscapes.firstMalformed(ctx.queryString());
                    if (malformed >= 0) {
                        throw Problem.badRequest(PercentEscapes.problem(malformed));
                    }
                } catch (Exception e) {
                    ProblemResponses.answer(ctx, e);
                    ctx.skipRemainingHandlers();
                }
            }
        });
        for (AdminRoutes.Route route : routes.all()) {
            config.addHttpHandler(route.method(), BASE_PATH + route.path(), answeringFailures(route.handler()));
        }
    }

    /** Javalin's own errors as problems (a 405's Allow is ScimApi's, for every mount). */
    @Override
    public void answerFrameworkError(Context ctx, int status) {
        ProblemResponses.answerFrameworkError(ctx, status);
    }

    @Override
    public ScimApi.ErrorBody containerError(int status, String detail) {
        return ProblemResponses.body(status, detail);
    }

    /** The routes served, as {@code "GET /workspaces/{slug}"}, relative to {@link #BASE_PATH}. */
    List<String> routes() {
        return routes.all().stream().map(route -> route.method() + " " + route.path()).toList();
    }

    /** A change done, answered 204 as a SCIM DELETE is: no body and no content type. */
    static void noContent(Context ctx) {
        ScimApi.withoutBody(ctx, 204);
    }

    /**
     * A resource made, answered 201 with its {@code Location} (RFC 9110 §15.3.2: without one, the
     * created resource would be the collection the request was sent to). {@code path} is relative to
     * {@link #BASE_PATH}.
     */
    static void created(Context ctx, String path, JsonNode answer) {
        ctx.header("Location", BASE_PATH + path);
        AdminJson.write(ctx, 201, answer);
    }

    /** Who makes the change the current request asks for, for the journal. */
    static ChangeOrigin origin(Context ctx) {
        return ChangeOrigin.admin(ProblemResponses.requestId(ctx), ctx.method().name() + " " + ctx.path());
    }

    private static Handler answeringFailures(Handler handler) {
        return ctx -> {
            ctx.header("Cache-Control", "no-store");
            try {
                handler.handle(ctx);
            } catch (Exception e) {
                ProblemResponses.answer(ctx, e);
            }
        };
    }

    private static byte[] openApiDocument() {
        try (InputStream in = AdminApi.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the OpenAPI document is missing from the classpath: " + OPENAPI_RESOURCE);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
