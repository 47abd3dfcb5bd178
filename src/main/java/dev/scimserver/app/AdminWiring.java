package dev.scimserver.app;

import dev.scimserver.access.AdminToken;
import dev.scimserver.access.EnvironmentCredentials;
import dev.scimserver.access.RequestThrottle;
import dev.scimserver.access.WorkspaceCredentials;
import dev.scimserver.access.WorkspaceOAuthClients;
import dev.scimserver.access.Workspaces;
import dev.scimserver.directory.WorkspaceRoles;
import dev.scimserver.http.admin.AdminApi;
import dev.scimserver.store.PostgresCredentialStore;
import dev.scimserver.store.PostgresDirectoryStore;
import dev.scimserver.store.PostgresWorkspaceStore;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

/** The administration API wired onto the server's database, its environment credentials and its throttle. */
final class AdminWiring {
    private AdminWiring() {
    }

    static AdminApi adminApi(Config config, DataSource dataSource, EnvironmentCredentials environment,
                             RequestThrottle throttle, Clock systemClock) {
        // PostgreSQL keeps microseconds: a creation's answer then shows the times every later list shows.
        Clock clock = Clock.tick(systemClock, Duration.of(1, ChronoUnit.MICROS));
        PostgresWorkspaceStore workspaces = new PostgresWorkspaceStore(dataSource);
        PostgresCredentialStore credentials = new PostgresCredentialStore(dataSource);
        return new AdminApi(new AdminApi.Guarding(new AdminToken(config.adminToken()), throttle,
                config.trustedProxies()),
                new AdminApi.Services(new Workspaces(workspaces, clock),
                        new WorkspaceCredentials(credentials, environment, clock),
                        new WorkspaceOAuthClients(credentials, clock), workspaces,
                        new WorkspaceRoles(new PostgresDirectoryStore(dataSource), clock)));
    }
}
