package dev.scimserver.store;

import dev.scimserver.app.RunningServer;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The shared embedded PostgreSQL with the real migrations, for the credential store tests. Each
 * {@link #dataSource()} stands for one more server process on that database; each test makes its
 * own workspace, so tests share the database without seeing each other's rows.
 */
final class CredentialTestDatabase {
    private static String separateUrl;

    private CredentialTestDatabase() {
    }

    static DataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(RunningServer.shared().jdbcUrl());
        return dataSource;
    }

    /**
     * A database of its own on the shared cluster, with the real migrations, made once per JVM: for
     * the tests that rotate, retire and delete signing keys, which every server process of a
     * database shares, so that the shared server's keys stay as it left them.
     */
    static synchronized DataSource separateDataSource() {
        if (separateUrl == null) {
            URI shared = URI.create(RunningServer.shared().jdbcUrl().substring("jdbc:".length()));
            String cluster = "jdbc:postgresql://" + shared.getHost() + ":" + shared.getPort() + "/";
            String name = "keys_" + UUID.randomUUID().toString().replace("-", "");
            String password = RunningServer.shared().databasePassword();
            try (Connection admin = DriverManager.getConnection(cluster + "postgres", "postgres", password);
                 Statement sql = admin.createStatement()) {
                sql.execute("CREATE DATABASE " + name);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            Database.external(cluster + name, "postgres", password, 2).close();
            separateUrl = cluster + name + "?user=postgres&password=" + password;
        }
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(separateUrl);
        return dataSource;
    }

    static UUID newWorkspace(DataSource dataSource) {
        UUID id = UUID.randomUUID();
        update(dataSource, "INSERT INTO workspaces (id, name, slug) VALUES (?, 'Credential test', ?)",
                id, "creds-" + id.toString().substring(0, 8));
        return id;
    }

    /** Runs one statement with its arguments. */
    static int update(DataSource dataSource, String sql, Object... arguments) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < arguments.length; i++) {
                statement.setObject(i + 1, arguments[i]);
            }
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
