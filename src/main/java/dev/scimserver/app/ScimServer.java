package dev.scimserver.app;

import dev.scimserver.access.AccessTokenIssuer;
import dev.scimserver.access.AdminToken;
import dev.scimserver.access.AccessTokenVerifier;
import dev.scimserver.access.BearerAuthentication;
import dev.scimserver.access.ClientCredentialsGrant;
import dev.scimserver.access.ClientSecretAuthenticator;
import dev.scimserver.access.CredentialCache;
import dev.scimserver.access.EnvironmentCredentials;
import dev.scimserver.access.LastUseRecorder;
import dev.scimserver.access.RequestThrottle;
import dev.scimserver.access.SigningKeys;
import dev.scimserver.access.TokenEndpoint;
import dev.scimserver.activity.ConfiguredSecrets;
import dev.scimserver.activity.LogRetention;
import dev.scimserver.activity.ObservedRequest;
import dev.scimserver.activity.ProvisioningLog;
import dev.scimserver.activity.ProvisioningLogRecorder;
import dev.scimserver.activity.RequestRates;
import dev.scimserver.directory.GroupService;
import dev.scimserver.directory.ResourceSearch;
import dev.scimserver.directory.UserService;
import dev.scimserver.http.admin.AdminApi;
import dev.scimserver.http.console.ConsoleApp;
import dev.scimserver.http.scim.Observability;
import dev.scimserver.http.scim.ScimApi;
import dev.scimserver.store.Database;
import dev.scimserver.store.OpeningDatabase;
import dev.scimserver.store.PostgresCredentialStore;
import dev.scimserver.store.PostgresDirectoryStore;
import dev.scimserver.store.PostgresProvisioningLog;
import dev.scimserver.store.PostgresSigningKeyStore;
import dev.scimserver.store.PostgresWorkspaceStore;
import dev.scimserver.store.StartRefusedException;
import io.javalin.Javalin;
import io.javalin.util.JavalinBindException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** The whole server wired from a {@link Config}: what {@code main} starts and what the tests start. */
public final class ScimServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ScimServer.class);

    private final Database database;
    private final Javalin javalin;
    private final CredentialUpkeep upkeep;
    private final EventWiring events;
    private final Activity activity;

    private ScimServer(Database database, Javalin javalin, CredentialUpkeep upkeep, EventWiring events,
                       Activity activity) {
        this.database = database;
        this.javalin = javalin;
        this.upkeep = upkeep;
        this.events = events;
        this.activity = activity;
    }

    /** The provisioning log, the metrics and their upkeep: what is closed after the web server, before the database. */
    private record Activity(ProvisioningLogRecorder recorder, ServerMetrics metrics, ActivityUpkeep upkeep)
            implements AutoCloseable {
        @Override
        public void close() {
            recorder.close();
            upkeep.close();
            metrics.close();
        }
    }

    public static ScimServer start(Config config) {
        return start(config, false);
    }

    /**
     * Starts the server as the process's own, its stop hooked to the JVM's shutdown from the moment
     * the database begins to open: a SIGTERM while starting (a first start takes seconds) ended the
     * JVM with the embedded PostgreSQL left running, as the stop was hooked only once the start ended.
     */
    public static ScimServer startHooked(Config config) {
        return start(config, true);
    }

    private static ScimServer start(Config config, boolean hooked) {
        long started = System.nanoTime();
        ServerMetrics metrics = new ServerMetrics();
        OpeningDatabase opening = OpeningDatabase.start(() -> openDatabase(config, metrics));
        Thread stopWhileStarting = new Thread(opening::closeWhenOpen, "stop-while-starting");
        if (hooked) {
            Runtime.getRuntime().addShutdownHook(stopWhileStarting);
        }
        try {
            PostgresDirectoryStore store = new PostgresDirectoryStore(opening);
            Clock clock = Clock.systemUTC();
            EnvironmentCredentials authenticator = new EnvironmentCredentials(config.basicUser(), config.basicPassword(),
                    config.headerToken());
            PostgresCredentialStore credentials = new PostgresCredentialStore(opening);
            LastUseRecorder lastUse = new LastUseRecorder(credentials, clock);
            CredentialCache cache = new CredentialCache(credentials, credentials, lastUse, clock);
            SigningKeys keys = new SigningKeys(new PostgresSigningKeyStore(opening), config.oauthTokenTtl(), clock);
            // One throttle for every door: a guesser's failures count the same at the SCIM API, the
            // token endpoint and the admin API.
            RequestThrottle throttle = RequestThrottle.of(config.rateLimit());
            UserService users = new UserService(store, clock);
            GroupService groups = new GroupService(store, clock);
            EventWiring events = new EventWiring(config, opening, users, groups, keys, clock);
            PostgresProvisioningLog logStore = new PostgresProvisioningLog(opening);
            ProvisioningLogRecorder recorder = ProvisioningLogRecorder.start(logStore,
                    ConfiguredSecrets.of(config.secrets()));
            metrics.watch(recorder);
            Javalin javalin = ScimApi.create(settings(config, authenticator, cache, credentials, lastUse, keys, throttle,
                            clock, observability(config, recorder, metrics)),
                    users, groups, new ResourceSearch(store, clock), store,
                    Stream.concat(Stream.of(events.pollApi()), Stream.of(AdminWiring.mounts(config, opening,
                            authenticator, throttle, events.subscriptions(), new ProvisioningLog(logStore, recorder),
                            new RequestRates(logStore, clock), clock, users, groups, cache::forgetAll)))
                            .toArray(ScimApi.Mount[]::new));
            Database database = opening.await();
            database.passwords().forEach(recorder::alsoWithhold);
            keys.ensureActiveKey();
            CredentialUpkeep upkeep = CredentialUpkeep.start(cache, lastUse, keys);
            Activity activity = new Activity(recorder, metrics, ActivityUpkeep.start(
                    new LogRetention(logStore, config.observability().logRetentionDays(), clock),
                    () -> metrics.learnWorkspaces(new PostgresWorkspaceStore(opening).workspaces())));
            try {
                javalin.start(config.port());
            } catch (JavalinBindException taken) {
                throw new StartRefusedException(taken.getMessage(), taken);
            }
            events.start(javalin.port(), database);
            ScimServer server = new ScimServer(database, javalin, upkeep, events, activity);
            LOG.info("SCIM {} at http://localhost:{}{} (auth: {}; rate limit: {}; trusted proxies: {}; public URL: {}; "
                            + "OAuth access tokens live {} s; administration: {}; database: {}; started in {} ms)",
                    config.scimEnabled() ? "provisioning enabled" : "provisioning DISABLED (SCIM_ENABLED is not true)",
                    server.port(), ScimApi.BASE_PATH, authModes(authenticator),
                    config.rateLimit() == 0 ? "off" : config.rateLimit() + "/s per credential", config.trustedProxies(),
                    config.publicUrls(), config.oauthTokenTtl().toSeconds(),
                    config.adminToken() == null ? "off" : "on at " + AdminApi.BASE_PATH + " and " + ConsoleApp.PATH_PREFIX,
                    database.description(),
                    (System.nanoTime() - started) / 1_000_000);
            if (hooked) {
                // The server's stop takes over before the start's own is let go: no moment is unhooked.
                Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown"));
                unhook(stopWhileStarting);
            }
            return server;
        } catch (RuntimeException e) {
            boolean stopping = hooked && !unhook(stopWhileStarting);
            opening.closeWhenOpen();
            // The stop closed the database under the start, which then failed for want of it: that
            // failure is the stop's doing, not a fault to report.
            throw stopping ? new StoppedWhileStartingException(e) : e;
        }
    }

    /** Lets a shutdown hook go, unless the shutdown has begun and runs it already; whether it was let go. */
    private static boolean unhook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
            return true;
        } catch (IllegalStateException shuttingDown) {
            // It runs, or has run: closing an opened database twice stops it once.
            return false;
        }
    }

    /**
     * The embedded PostgreSQL, or the external one {@code config} names, migrated. It opens on a
     * thread of its own while the web layer is built: on a restart these are the two halves of the
     * time to the first answer, and neither needs the other.
     */
    private static Database openDatabase(Config config, ServerMetrics metrics) {
        return config.database() == null
                ? Database.embedded(config.dataDir(), config.poolSize(), metrics.registry())
                : Database.external(config.database().jdbcUrl(), config.database().user(),
                config.database().password(), config.poolSize(), metrics.registry());
    }

    /**
     * The web adapter's settings: one failed-authentication throttle for the SCIM endpoints and the
     * token endpoint, and bearer tokens checked as workspaces' API tokens or as access tokens.
     */
    private static ScimApi.Settings settings(Config config, EnvironmentCredentials authenticator, CredentialCache cache,
                                             PostgresCredentialStore clients, LastUseRecorder lastUse, SigningKeys keys,
                                             RequestThrottle throttle, Clock clock, Observability observability) {
        BearerAuthentication bearers = new BearerAuthentication(cache, new AccessTokenVerifier(keys, clock));
        TokenEndpoint tokens = new TokenEndpoint(new ClientSecretAuthenticator(clients, lastUse, clock),
                new ClientCredentialsGrant(new AccessTokenIssuer(keys, clock)), throttle);
        return new ScimApi.Settings(config.scimEnabled(), authenticator, lastUse, bearers, throttle,
                config.trustedProxies(), config.publicUrls(), tokens, keys, observability,
                config.cursorReadAhead());
    }

    /**
     * Every request goes to the metrics, and to the provisioning log unless {@code SCIM_LOG_ENABLED} is
     * false (then the bodies are not even copied).
     */
    private static Observability observability(Config config, ProvisioningLogRecorder recorder, ServerMetrics metrics) {
        boolean log = config.observability().logEnabled();
        Consumer<ObservedRequest> requests = log ? metrics.andThen(recorder::record) : metrics;
        return new Observability(requests, log, metrics::readAhead, metrics::refused, metrics::scrape,
                new AdminToken(config.observability().metricsToken()), recorder::withholds);
    }

    private static String authModes(EnvironmentCredentials authenticator) {
        List<String> modes = new ArrayList<>();
        if (authenticator.basicEnabled()) {
            modes.add("Basic");
        }
        if (authenticator.tokenEnabled()) {
            modes.add("Bearer token");
        }
        return modes.isEmpty() ? "none" : String.join(", ", modes);
    }

    /** The JDBC URL the server uses, without credentials. */
    public String jdbcUrl() {
        return database.jdbcUrl();
    }

    public int port() {
        return javalin.port();
    }

    /**
     * Stops gracefully: no new connections, requests in flight finish (within a bounded grace), then
     * the pool and the embedded database close. What SIGTERM runs through {@code Main}'s hook.
     */
    @Override
    public void close() {
        // Each step runs whatever the one before threw: Jetty's stop throws when a request is still
        // running at the end of the grace, and the stop ended there, leaving the provisioning log's last
        // entries unwritten and the embedded PostgreSQL running after the process had exited.
        try {
            javalin.stop();
        } catch (RuntimeException e) {
            LOG.warn("stopping: requests still running when the grace ended were cut off ({})",
                    e.getClass().getSimpleName());
        }
        for (Runnable step : List.<Runnable>of(events::close, activity::close, upkeep::close, database::close)) {
            try {
                step.run();
            } catch (RuntimeException e) {
                LOG.warn("stopping: {} (the stop goes on)", e.getClass().getSimpleName());
            }
        }
    }
}
