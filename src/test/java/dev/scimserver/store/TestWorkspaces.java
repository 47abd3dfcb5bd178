package dev.scimserver.store;

import dev.scimserver.app.RunningServer;
import org.jdbi.v3.core.Jdbi;

import javax.sql.DataSource;

import java.util.UUID;

/**
 * The shared test database through a small pool of the tests' own, opened on first use and left to the
 * test JVM's end, and workspaces made for one test each, so that what a test writes and counts is its
 * own whatever else runs beside it.
 */
final class TestWorkspaces {
    private static DataSource dataSource;
    private static Jdbi jdbi;

    private TestWorkspaces() {
    }

    static synchronized DataSource dataSource() {
        if (dataSource == null) {
            dataSource = Database.external(RunningServer.shared().jdbcUrl(), "postgres",
                    RunningServer.shared().databasePassword(), 4).dataSource();
        }
        return dataSource;
    }

    static synchronized Jdbi jdbi() {
        if (jdbi == null) {
            jdbi = Jdbi.create(dataSource());
        }
        return jdbi;
    }

    /** A new empty workspace named {@code name}, its slug {@code slugPrefix} and a random part. */
    static UUID create(String name, String slugPrefix) {
        UUID id = UUID.randomUUID();
        jdbi().useHandle(h -> h.execute("INSERT INTO workspaces (id, name, slug) VALUES (?, ?, ?)", id, name,
                slugPrefix + "-" + id.toString().substring(0, 8)));
        return id;
    }

    /** The workspace and everything in it. */
    static void delete(UUID id) {
        jdbi().useHandle(h -> h.execute("DELETE FROM workspaces WHERE id = ?", id));
    }
}
