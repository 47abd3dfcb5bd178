package dev.scimserver.store;

import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Supplier;

/**
 * LISTEN on {@code scim_events} over a connection of its own (never one of the pool's: it is held for
 * as long as the server runs), calling {@code onEvents} for each NOTIFY the journal's trigger sends at a
 * commit. When the connection is lost it is opened again every few seconds, and {@code onEvents} is
 * called once it is back, for whatever committed in between.
 */
public final class EventNotifications implements AutoCloseable {
    static final String CHANNEL = "scim_events";
    private static final int WAIT_MILLIS = 1_000;
    private static final long RECONNECT_MILLIS = 2_000;
    private static final long CHECK_NANOS = 15_000_000_000L;
    private static final int CHECK_TIMEOUT_SECONDS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(EventNotifications.class);

    private final Supplier<Connection> connections;
    private final Runnable onEvents;
    private final Thread thread;
    private volatile boolean running = true;

    private EventNotifications(Supplier<Connection> connections, Runnable onEvents) {
        this.connections = connections;
        this.onEvents = onEvents;
        this.thread = new Thread(this::run, "event-notifications");
        this.thread.setDaemon(true);
    }

    public static EventNotifications start(Database database, Runnable onEvents) {
        EventNotifications notifications = new EventNotifications(database::openDedicatedConnection, onEvents);
        notifications.thread.start();
        return notifications;
    }

    private void run() {
        boolean lost = false;
        while (running) {
            try (Connection connection = connections.get()) {
                try (Statement listen = connection.createStatement()) {
                    listen.execute("LISTEN " + CHANNEL);
                }
                if (lost) {
                    LOG.info("listening for events again");
                    lost = false;
                }
                onEvents.run();
                PGConnection pg = connection.unwrap(PGConnection.class);
                long checked = System.nanoTime();
                while (running) {
                    var received = pg.getNotifications(WAIT_MILLIS);
                    if (received != null && received.length > 0) {
                        onEvents.run();
                    }
                    // A connection cut without a word (a firewall, a frozen network) delivers nothing, silently.
                    if (System.nanoTime() - checked > CHECK_NANOS) {
                        if (!connection.isValid(CHECK_TIMEOUT_SECONDS)) {
                            throw new SQLException("the listening connection no longer answers");
                        }
                        checked = System.nanoTime();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                if (!lost) {
                    LOG.warn("the event listener lost its connection; reconnecting every {} s: {}",
                            RECONNECT_MILLIS / 1000, e.toString());
                    lost = true;
                }
                try {
                    Thread.sleep(RECONNECT_MILLIS);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
