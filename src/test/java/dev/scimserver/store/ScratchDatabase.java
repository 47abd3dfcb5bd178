package dev.scimserver.store;

import dev.scimserver.app.RunningServer;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database of its own on the shared embedded server, migrated to an earlier version, for the tests of
 * an upgrade: fill it as that version left it, {@link #migrate()}, look. Dropped afterwards.
 */
final class ScratchDatabase implements AutoCloseable {
    private final String adminUrl;
    private final String name;
    private final Connection connection;

    private ScratchDatabase(String adminUrl, String name) throws SQLException {
        this.adminUrl = adminUrl;
        this.name = name;
        this.connection = DriverManager.getConnection(adminUrl + name, "postgres", password());
    }

    static ScratchDatabase atVersion(String version) throws SQLException {
        URI shared = URI.create(RunningServer.shared().jdbcUrl().substring("jdbc:".length()));
        String adminUrl = "jdbc:postgresql://" + shared.getHost() + ":" + shared.getPort() + "/";
        String name = "upgrade_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection admin = DriverManager.getConnection(adminUrl + "postgres", "postgres", password());
             Statement sql = admin.createStatement()) {
            sql.execute("CREATE DATABASE " + name);
        }
        ScratchDatabase scratch = new ScratchDatabase(adminUrl, name);
        scratch.flyway(version).migrate();
        return scratch;
    }

    private static String password() {
        return RunningServer.shared().databasePassword();
    }

    private Flyway flyway(String target) {
        return Flyway.configure().dataSource(adminUrl + name, "postgres", password())
                .locations("classpath:db/migration").target(target).load();
    }

    void migrate() {
        flyway("latest").migrate();
    }

    void execute(String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** The scratch database as a data source, for code that asks for connections of its own. */
    DataSource dataSource() {
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setUrl(adminUrl + name);
        source.setUser("postgres");
        source.setPassword(password());
        return source;
    }

    String text(String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
            return rs.getString(1);
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
        try (Connection admin = DriverManager.getConnection(adminUrl + "postgres", "postgres", password());
             Statement sql = admin.createStatement()) {
            sql.execute("DROP DATABASE " + name + " WITH (FORCE)");
        }
    }
}
