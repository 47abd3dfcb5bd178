package dev.scimserver.app;

import dev.scimserver.access.PublicUrls;
import dev.scimserver.access.SecurityEventTokens;
import dev.scimserver.access.SigningKeys;
import dev.scimserver.delivery.HttpReceiver;
import dev.scimserver.directory.GroupService;
import dev.scimserver.directory.UserService;
import dev.scimserver.events.EventDispatcher;
import dev.scimserver.events.EventPolling;
import dev.scimserver.events.EventRetention;
import dev.scimserver.events.EventSignals;
import dev.scimserver.events.EventSigner;
import dev.scimserver.events.ReceiverUrls;
import dev.scimserver.events.Representations;
import dev.scimserver.events.RetrySchedule;
import dev.scimserver.events.Subscriptions;
import dev.scimserver.events.WebhookSecrets;
import dev.scimserver.http.scim.EventPollApi;
import dev.scimserver.http.scim.EventRepresentations;
import dev.scimserver.store.Database;
import dev.scimserver.store.EventNotifications;
import dev.scimserver.store.PostgresEventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.net.InetAddress;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Event delivery wired onto the server: the subscriptions the admin API manages, the poll endpoint,
 * and, once the server listens (its own URL is then known for the tokens' issuer and the resources'
 * locations when {@code SCIM_PUBLIC_URL} is unset), the NOTIFY listener, the dispatcher and the hourly
 * retention.
 */
final class EventWiring implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventWiring.class);
    static final String USER_AGENT = "scim-server-events/1 (+https://github.com/scim-server)";

    private final PostgresEventStore store;
    private final EventSignals signals = new EventSignals();
    private final Subscriptions subscriptions;
    private final EventDispatcher dispatcher;
    private final EventPollApi pollApi;
    private final EventRetention retention;
    private final ScheduledExecutorService upkeep;
    private volatile String origin = "http://localhost";
    private EventNotifications notifications;

    EventWiring(Config config, DataSource dataSource, UserService users, GroupService groups, SigningKeys keys,
                Clock clock) {
        this.store = new PostgresEventStore(dataSource);
        Config.Events settings = config.events();
        WebhookSecrets secrets = new WebhookSecrets(settings.secretKey());
        HttpReceiver receiver = new HttpReceiver(settings.allowPrivate(), settings.allowInsecure(), USER_AGENT);
        this.subscriptions = new Subscriptions(store, secrets, new ReceiverUrls(settings.allowInsecure(),
                receiver::refusalOfAddressIn), signals::signal);
        PublicUrls publicUrls = config.publicUrls();
        Representations representations = new EventRepresentations(users, groups,
                () -> urls(publicUrls).scimBaseUrl());
        SecurityEventTokens tokens = new SecurityEventTokens(keys);
        EventSigner signer = new EventSigner() {
            @Override
            public String signSecurityEvent(Map<String, Object> claims) {
                return tokens.sign(claims);
            }

            @Override
            public String issuer() {
                return urls(publicUrls).issuer();
            }
        };
        this.dispatcher = new EventDispatcher(store, representations, signer, secrets,
                receiver, RetrySchedule.standard(),
                signals, clock);
        this.pollApi = new EventPollApi(new EventPolling(store, representations, signer, signals, clock));
        this.retention = new EventRetention(store, settings.retention(), clock);
        this.upkeep = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "event-retention");
            thread.setDaemon(true);
            return thread;
        });
    }

    private dev.scimserver.access.AuthorizationServerUrls urls(PublicUrls publicUrls) {
        return publicUrls.reachedAt(InetAddress.getLoopbackAddress(), "http", origin, null, null);
    }

    Subscriptions subscriptions() {
        return subscriptions;
    }

    EventPollApi pollApi() {
        return pollApi;
    }

    /** Starts delivering, the server now listening on {@code port} and {@code database} open. */
    void start(int port, Database database) {
        origin = "localhost:" + port;
        notifications = EventNotifications.start(database, signals::signal);
        dispatcher.start();
        upkeep.scheduleWithFixedDelay(() -> {
            try {
                int removed = retention.prune();
                if (removed > 0) {
                    LOG.info("{} event deliveries (with their attempts) ended or deleted: past their retention", removed);
                }
            } catch (RuntimeException e) {
                LOG.warn("deleting expired event deliveries failed; retried in an hour: {}", e.toString());
            }
        }, 1, 60, TimeUnit.MINUTES);
    }

    @Override
    public void close() {
        upkeep.shutdownNow();
        dispatcher.close();
        if (notifications != null) {
            notifications.close();
        }
    }
}
