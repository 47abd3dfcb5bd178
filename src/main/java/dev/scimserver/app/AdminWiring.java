package dev.scimserver.app;

import dev.scimserver.access.AdminToken;
import dev.scimserver.access.EnvironmentCredentials;
import dev.scimserver.access.RequestThrottle;
import dev.scimserver.access.WorkspaceCredentials;
import dev.scimserver.access.WorkspaceOAuthClients;
import dev.scimserver.access.Workspaces;
import dev.scimserver.activity.ProvisioningLog;
import dev.scimserver.activity.RequestRates;
import dev.scimserver.directory.GroupService;
import dev.scimserver.directory.UserService;
import dev.scimserver.directory.WorkspaceRoles;
import dev.scimserver.events.Subscriptions;
import dev.scimserver.http.admin.AdminApi;
import dev.scimserver.http.console.ConsoleApp;
import dev.scimserver.http.scim.ScimApi;
import dev.scimserver.store.PostgresCredentialStore;
import dev.scimserver.store.PostgresDirectoryStore;
import dev.scimserver.store.PostgresWorkspaceStore;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * The administration API and the console wired onto the server's database, its environment
 * credentials and its throttle: both doors call the same services, so neither can do what the other cannot.
 */
final class AdminWiring {
    private AdminWiring() {
    }

    static ScimApi.Mount[] mounts(Config config, DataSource dataSource, EnvironmentCredentials environment,
                                  RequestThrottle throttle, Subscriptions subscriptions, ProvisioningLog requestLog,
                                  RequestRates requestRates,
                                  Clock systemClock, UserService users, GroupService groups,
                                  Runnable credentialsEnded) {
        // PostgreSQL keeps microseconds: a creation's answer then shows the times every later list shows.
        Clock clock = Clock.tick(systemClock, Duration.of(1, ChronoUnit.MICROS));
        PostgresWorkspaceStore workspaceStore = new PostgresWorkspaceStore(dataSource);
        PostgresCredentialStore credentialStore = new PostgresCredentialStore(dataSource);
        AdminToken token = new AdminToken(config.adminToken());
        Workspaces workspaces = new Workspaces(workspaceStore, clock, credentialsEnded);
        WorkspaceCredentials credentials = new WorkspaceCredentials(credentialStore, environment, clock,
                credentialsEnded);
        WorkspaceOAuthClients oauthClients = new WorkspaceOAuthClients(credentialStore, clock, credentialsEnded);
        WorkspaceRoles roles = new WorkspaceRoles(new PostgresDirectoryStore(dataSource), clock);
        AdminApi api = new AdminApi(new AdminApi.Guarding(token, throttle, config.trustedProxies()),
                new AdminApi.Services(workspaces, credentials, oauthClients, workspaceStore, roles, subscriptions,
                        requestLog, requestRates, users, groups));
        ConsoleApp console = new ConsoleApp(new ConsoleApp.Guarding(token, throttle, config.trustedProxies(),
                config.publicUrls(), clock),
                new ConsoleApp.Services(workspaces, credentials, oauthClients, workspaceStore, users, groups,
                        roles, requestLog, requestRates));
        return new ScimApi.Mount[] {api, console};
    }
}
