import com.sun.net.httpserver.HttpServer;
import dev.scimserver.delivery.HttpReceiver;
import dev.scimserver.events.NewSubscription;
import dev.scimserver.events.ReceiverUrls;
import dev.scimserver.events.Subscriptions;
import dev.scimserver.events.WebhookSecrets;
import dev.scimserver.store.Database;
import dev.scimserver.store.PostgresEventStore;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Events while creates run at full speed: the same closed-loop POST /Users without subscriptions and
 * then with three webhook subscriptions on a local receiver (the second judged against the first);
 * the webhooks delivered per second and their lag (arrival minus the change's transaction time),
 * with the backlog left when the creates stop; then the end-to-end latency on an idle server, one
 * create every 50 ms.
 */
final class EventDelivery {
    private static final String BASE = ServerUnderTest.BASE;
    private static final Pattern TIMESTAMP = Pattern.compile("\"timestamp\":\"([^\"]+)\"");
    private static final int IDLE_EVENTS = 100;

    private final Settings settings;
    private final LoadedDataSet data;
    private final LoadDriver driver;
    private final ResultsTable results;

    EventDelivery(Settings settings, LoadedDataSet data, LoadDriver driver, ResultsTable results) {
        this.settings = settings;
        this.data = data;
        this.driver = driver;
        this.results = results;
    }

    void run() throws Exception {
        Row without = creates("events: create POST /Users, no subscriptions", "e0");
        try (Receiver receiver = new Receiver();
             Database database = Database.external(settings.jdbcUrl, settings.dbUser, settings.dbPassword, 2)) {
            Subscriptions subscriptions = new Subscriptions(new PostgresEventStore(database.dataSource()),
                    new WebhookSecrets(null), new ReceiverUrls(true,
                    new HttpReceiver(false, true, "bench")::refusalOfAddressIn), () -> { });
            List<NewSubscription> made = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                made.add(subscriptions.create(data.workspace, receiver.url(), "webhook", List.of(), false));
            }
            try {
                Row with = creates("events: create POST /Users, 3 webhook subscriptions", "e3");
                with.baselines = List.of(without);
                with.baselineTarget = 0.85;
                with.baselineName = "the same creates with no subscription, the row before";
                long stopped = System.nanoTime();
                long backlog = pending(database);
                awaitDrained(database);
                double drained = (System.nanoTime() - stopped) / 1e9;
                Row delivered = receiver.row("events: webhooks delivered during those creates (3 subscriptions), "
                        + "latency = arrival - change");
                delivered.note = String.format(java.util.Locale.ROOT, "backlog when the creates stopped: %d, "
                        + "drained %.1f s later", backlog, drained);
                results.add(delivered);
                System.out.println(delivered.line() + " " + delivered.note);
                receiver.reset();
                idleCreates();
                awaitDrained(database);
                Row idle = receiver.row("events: end-to-end latency on an idle server (1 create / 50 ms, "
                        + "3 subscriptions)");
                idle.throughput = 0;
                results.add(idle);
                System.out.println(idle.line());
            } finally {
                for (NewSubscription subscription : made) {
                    subscriptions.delete(data.workspace, subscription.subscription().id().toString());
                }
            }
        }
    }

    private Row creates(String name, String kind) throws Exception {
        return driver.http(name, (h, w, s) -> h.send("POST", BASE + "/Users", DataSet.user((int) s,
                settings.newName(kind, w, s), UUID.randomUUID().toString(), settings.newName(kind, w, s), null)
                .toString()).status() == 201);
    }

    private void idleCreates() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        for (int i = 0; i < IDLE_EVENTS; i++) {
            String name = settings.newName("ei", 0, i);
            HttpResponse<String> created = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                            + settings.port + BASE + "/Users"))
                    .header("Authorization", "Bearer " + ServerUnderTest.TOKEN)
                    .header("Content-Type", "application/scim+json")
                    .POST(HttpRequest.BodyPublishers.ofString(DataSet.user(i, name, UUID.randomUUID().toString(), name,
                            null).toString())).build(), HttpResponse.BodyHandlers.ofString());
            if (created.statusCode() != 201) {
                throw new IllegalStateException("idle create failed: " + created.statusCode());
            }
            Thread.sleep(50);
        }
    }

    private long pending(Database database) throws Exception {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM event_deliveries WHERE state = 'pending'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void awaitDrained(Database database) throws Exception {
        long deadline = System.nanoTime() + 300_000_000_000L;
        while (pending(database) > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the deliveries did not drain within 5 minutes");
            }
            Thread.sleep(100);
        }
    }

    /** The application: acknowledges at once, notes each webhook's lag behind its change. */
    private static final class Receiver implements AutoCloseable {
        private final HttpServer server;
        private final ExecutorService threads = Executors.newFixedThreadPool(8);
        private final List<Long> lags = new ArrayList<>();
        private long first;
        private long last;

        Receiver() throws Exception {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                Instant arrived = Instant.now();
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
                Matcher m = TIMESTAMP.matcher(body);
                if (m.find()) {
                    long lag = java.time.Duration.between(Instant.parse(m.group(1)), arrived).toNanos();
                    synchronized (this) {
                        long now = System.nanoTime();
                        first = lags.isEmpty() ? now : first;
                        last = now;
                        lags.add(lag);
                    }
                }
            });
            server.setExecutor(threads);
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/events";
        }

        synchronized void reset() {
            lags.clear();
        }

        synchronized Row row(String name) {
            long[] latencies = lags.stream().mapToLong(Long::longValue).toArray();
            return Row.of(name, 3, latencies, 0, Math.max(1e-3, (last - first) / 1e9));
        }

        @Override
        public void close() {
            server.stop(0);
            threads.shutdownNow();
        }
    }
}
