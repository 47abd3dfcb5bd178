package dev.scimserver.http.console;

import dev.scimserver.access.AdminToken;
import dev.scimserver.access.ChangeOrigin;
import dev.scimserver.access.PublicUrls;
import dev.scimserver.access.RequestThrottle;
import dev.scimserver.access.TrustedProxies;
import dev.scimserver.access.Workspace;
import dev.scimserver.access.WorkspaceCredentials;
import dev.scimserver.access.WorkspaceOAuthClients;
import dev.scimserver.access.Workspaces;
import dev.scimserver.activity.ProvisioningLog;
import dev.scimserver.activity.RequestRates;
import dev.scimserver.directory.Actor;
import dev.scimserver.directory.GroupService;
import dev.scimserver.directory.UserService;
import dev.scimserver.directory.WorkspaceRoles;
import dev.scimserver.directory.WorkspaceSummaries;
import dev.scimserver.http.scim.RequestBodies;
import dev.scimserver.http.scim.ScimApi;
import dev.scimserver.scim.PercentEscapes;
import io.javalin.config.RoutesConfig;
import io.javalin.http.ContentTooLargeResponse;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Locale;
import java.util.Objects;

/**
 * The operator's console, served beside the SCIM API under {@value #PATH_PREFIX}. Without
 * {@code SCIM_ADMIN_TOKEN} every path under it answers 404. Every request passes {@link ConsoleGate}
 * first; every failure becomes a page through {@link ConsoleFailures}.
 */
public final class ConsoleApp implements ScimApi.Mount {
    public static final String PATH_PREFIX = "/admin";
    static final String LOGIN_PATH = PATH_PREFIX + "/login";
    static final String LOGOUT_PATH = PATH_PREFIX + "/logout";
    static final String ASSETS_PATH = PATH_PREFIX + "/assets/";
    static final String WORKSPACES_PATH = PATH_PREFIX + "/workspaces";
    static final String WORKSPACE_PATH = WORKSPACES_PATH + "/{slug}";
    /** The hidden field of a workspace page's forms naming the workspace the page showed (its id). */
    static final String WORKSPACE_FIELD = "workspace";

    /** The services the administration API calls, and the directory's reads. */
    public record Services(Workspaces workspaces, WorkspaceCredentials credentials, WorkspaceOAuthClients oauthClients,
                           WorkspaceSummaries summaries, UserService users, GroupService groups,
                           WorkspaceRoles roles, ProvisioningLog log, RequestRates rates) {
    }

    /** What decides who gets in; {@code throttle} is the one every other door counts failures in. */
    public record Guarding(AdminToken token, RequestThrottle throttle, TrustedProxies trustedProxies,
                           PublicUrls publicUrls, Clock clock) {
    }

    private final AdminToken token;
    private final ConsoleGate gate;
    private final Services services;
    private final SignInPages signIn;
    private final WorkspacePages workspacePages;
    private final OverviewPage overview;
    private final UserPages userPages;
    private final GroupPages groupPages;
    private final CredentialPages credentialPages;
    private final RequestLogPages requestLogPages;

    public ConsoleApp(Guarding guarding, Services services) {
        this.token = guarding.token();
        this.services = services;
        ConsoleSessions sessions = new ConsoleSessions(guarding.clock());
        this.gate = new ConsoleGate(sessions, guarding.publicUrls());
        this.signIn = new SignInPages(gate, sessions, guarding.token(), guarding.throttle(),
                guarding.trustedProxies());
        this.workspacePages = new WorkspacePages(services.workspaces(), services.roles());
        this.overview = new OverviewPage(services, guarding.clock());
        this.userPages = new UserPages(services.users(), services.groups());
        this.groupPages = new GroupPages(services.users(), services.groups());
        this.credentialPages = new CredentialPages(gate, services.credentials(), services.oauthClients(),
                guarding.clock());
        this.requestLogPages = new RequestLogPages(gate, services.log());
    }

    @Override
    public boolean owns(String path) {
        return ScimApi.Mount.isUnder(path, PATH_PREFIX);
    }

    @Override
    public String door() {
        return "console";
    }

    @Override
    public void addRoutes(RoutesConfig config) {
        config.before(ctx -> {
            if (!owns(ctx.path())) {
                return;
            }
            ConsoleGate.securityHeaders(ctx);
            if (!token.enabled()) {
                Pages.error(ctx, 404, "Not found", "The console is off on this server (SCIM_ADMIN_TOKEN is not set).");
                ctx.skipRemainingHandlers();
            } else if (!isOpen(ctx.path()) && !gate.admit(ctx)) {
                ctx.skipRemainingHandlers();
            } else if (ctx.method() == HandlerType.POST && !readableForm(ctx)) {
                // A multipart parser that gave up left the rest of the body unread, so the server ends
                // the connection after this answer; said here, a client does not send its next request
                // on a connection about to close.
                ctx.header("Connection", "close");
                Pages.error(ctx, 400, "Not accepted", "The form could not be read: the console's forms are sent "
                        + "as application/x-www-form-urlencoded in UTF-8.");
                ctx.skipRemainingHandlers();
            } else if (!isOpen(ctx.path()) && !gate.sentByOurPage(ctx)) {
                ctx.skipRemainingHandlers();
            } else {
                // A filter that the framework would drop for its malformed escape must not list everything.
                int malformed = PercentEscapes.firstMalformed(ctx.queryString());
                if (malformed >= 0) {
                    Pages.error(ctx, 400, "Not accepted", "The address could not be read: "
                            + PercentEscapes.problem(malformed) + ".");
                    ctx.skipRemainingHandlers();
                } else if (ctx.queryString() != null
                        && !FormInput.isUtf8Form(ctx.queryString().getBytes(StandardCharsets.ISO_8859_1))) {
                    // The framework decodes bytes that are no UTF-8 into U+FFFD: a search would look for that.
                    Pages.error(ctx, 400, "Not accepted", "The address could not be read: its query is not UTF-8 "
                            + "once its escapes are decoded.");
                    ctx.skipRemainingHandlers();
                }
            }
        });
        config.get(ASSETS_PATH + "{name}", Assets::serve);
        config.get(LOGIN_PATH, answering(signIn::form));
        config.post(LOGIN_PATH, answering(signIn::signIn));
        config.post(LOGOUT_PATH, answering(signIn::signOut));
        config.get(PATH_PREFIX, ctx -> ctx.redirect(WORKSPACES_PATH, HttpStatus.SEE_OTHER));
        workspacePages.addTo(config, this);
        overview.addTo(config, this);
        userPages.addTo(config, this);
        groupPages.addTo(config, this);
        credentialPages.addTo(config, this);
        requestLogPages.addTo(config, this);
    }

    @Override
    public void answerFrameworkError(Context ctx, int status) {
        ConsoleFailures.answerFrameworkError(ctx, status);
    }

    /** Plain text: a page needs the template engine, which runs inside a route. */
    @Override
    public ScimApi.ErrorBody containerError(int status, String detail) {
        return new ScimApi.ErrorBody("text/plain; charset=utf-8", (HttpStatus.forStatus(status).getMessage() + ": "
                + detail + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Whether the framework can read the POST's form (an unknown charset, a broken multipart body: it
     * throws), read here once, before the sign-in or the CSRF check reads a field of it.
     */
    private static boolean readableForm(Context ctx) {
        try {
            // The framework decodes bytes that are no UTF-8 into U+FFFD, which would be kept as such.
            // Read before the form's parameters, which keep the body's bytes; a multipart body is left
            // to them (no console form sends one).
            if (RequestBodies.declaredOver(ctx, ScimApi.MAX_REQUEST_BYTES)) {
                throw new ContentTooLargeResponse();
            }
            String type = Objects.requireNonNullElse(ctx.header("Content-Type"), "").toLowerCase(Locale.ROOT);
            if (type.startsWith("application/x-www-form-urlencoded") && !FormInput.isUtf8Form(ctx.bodyAsBytes())) {
                return false;
            }
            ctx.formParamMap();
            return true;
        } catch (HttpResponseException tooLarge) {
            // The framework's own answer (413 for a body beyond the request limit), said as such.
            throw tooLarge;
        } catch (Exception unreadable) {
            // Javalin rethrows the servlet container's checked exception for a broken multipart body.
            return false;
        }
    }

    /** The sign-in page and the assets are served without a session; the sign-in POST checks its own token. */
    private static boolean isOpen(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        return lower.equals(LOGIN_PATH) || lower.startsWith(ASSETS_PATH);
    }

    /** A page handler whose every failure becomes a page. */
    static Handler answering(Handler handler) {
        return ctx -> {
            try {
                handler.handle(ctx);
            } catch (Exception e) {
                ConsoleFailures.answer(ctx, e);
            }
        };
    }

    /**
     * The workspace the path's {@code {slug}} names: 400 when it cannot be a slug, 404 when none has it.
     * A form of a workspace's page names the workspace it was shown for ({@value #WORKSPACE_FIELD}): when
     * the slug has moved to another workspace since (the one shown renamed or deleted, its slug taken
     * again), 409, so that a page left open never acts on a workspace it did not show.
     */
    Workspace workspace(Context ctx) {
        Workspace workspace = services.workspaces().get(ctx.pathParam("slug"));
        ScimApi.actsIn(workspace.id());
        if (ctx.method() == HandlerType.POST) {
            String shown = ctx.formParam(WORKSPACE_FIELD);
            if (shown != null && !shown.equals(workspace.id().toString())) {
                throw new StalePage("the slug '" + workspace.slug() + "' names another workspace "
                        + "since this page was opened (the one it showed was renamed or deleted); nothing was "
                        + "changed. Open the workspace again from the list of workspaces.");
            }
        }
        return workspace;
    }

    /** A form of a page that showed another workspace than the one its slug names now: 409. */
    static final class StalePage extends RuntimeException {
        StalePage(String message) {
            super(message, null, false, false);
        }
    }

    /** Who reads or changes the directory in this request: the holder of the admin token, in the workspace. */
    static Actor reader(Context ctx, Workspace workspace) {
        return new Actor(workspace.id(), ChangeOrigin.ADMIN, requestId(ctx), ctx.method().name() + " " + ctx.path());
    }

    /** Who makes the change this request asks for, for the journal. */
    static ChangeOrigin origin(Context ctx) {
        return ChangeOrigin.admin(requestId(ctx), ctx.method().name() + " " + ctx.path());
    }

    private static String requestId(Context ctx) {
        return ctx.res().getHeader("X-Request-Id");
    }
}
