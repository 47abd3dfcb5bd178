package dev.scimserver.store;

import dev.scimserver.app.RunningServer;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

/**
 * The shared embedded PostgreSQL with the real migrations, for the credential store tests. Each
 * {@link #dataSource()} stands for one more server process on that database; each test makes its
 * own workspace, so tests share the database without seeing each other's rows.
 */
final class CredentialTestDatabase {
    private CredentialTestDatabase() {
    }

    static DataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(RunningServer.shared().jdbcUrl());
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
