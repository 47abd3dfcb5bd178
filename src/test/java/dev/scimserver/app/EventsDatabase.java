package dev.scimserver.app;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * A database of its own on the shared embedded PostgreSQL, for the event tests: every server process
 * on a database delivers its events, and the other test servers of this JVM (which refuse loopback
 * receivers, as production does) must not be among them.
 */
final class EventsDatabase {
    private EventsDatabase() {
    }

    /** A fresh, empty database's JDBC URL, with credentials; the first server on it migrates it. */
    static String create() {
        String shared = RunningServer.shared().jdbcUrl();
        String name = "events_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        try (Connection connection = DriverManager.getConnection(shared); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a database for the event tests", e);
        }
        int query = shared.indexOf('?');
        int slash = shared.lastIndexOf('/', query);
        return shared.substring(0, slash + 1) + name + shared.substring(query);
    }
}
