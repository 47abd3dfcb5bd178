package dev.scimserver.app;

import dev.scimserver.access.ApiTokens;
import dev.scimserver.access.NewApiToken;
import dev.scimserver.access.NewOAuthClient;
import dev.scimserver.access.OAuthClients;
import dev.scimserver.http.scim.ScimApi;
import dev.scimserver.store.PostgresCredentialStore;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import static dev.scimserver.app.ScimAssertions.json;

/**
 * Workspaces and their credentials on the shared test database, made the way the admin API will
 * make them: a row in {@code workspaces}, and API tokens and OAuth clients through
 * {@code access.ApiTokens} and {@code access.OAuthClients} on the real store. Access tokens come
 * from the running server's token endpoint over HTTP, as an identity provider gets them.
 */
final class WorkspaceFixtures {
    private static final Clock CLOCK = Clock.systemUTC();

    private WorkspaceFixtures() {
    }

    /** A workspace with one API token and one OAuth client (with its first secret). */
    record TestWorkspace(UUID id, NewApiToken apiToken, NewOAuthClient client) {
        String apiTokenAuthorization() {
            return "Bearer " + apiToken.secret();
        }

        /** {@code client_secret_basic}: id and secret each form-urlencoded, then Basic (RFC 6749 §2.3.1). */
        String clientBasicAuthorization() {
            return "Basic " + Base64.getEncoder().encodeToString((form(client.client().clientId()) + ":"
                    + form(client.secret().value())).getBytes(StandardCharsets.UTF_8));
        }
    }

    static DataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(RunningServer.shared().jdbcUrl());
        return dataSource;
    }

    /** A new, empty workspace; its slug is unique. */
    static UUID newWorkspace(String name) {
        UUID id = UUID.randomUUID();
        try (Connection connection = dataSource().getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO workspaces (id, name, slug) VALUES (?, ?, ?)")) {
            insert.setObject(1, id);
            insert.setString(2, name);
            insert.setString(3, "test-" + id.toString().substring(0, 18));
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return id;
    }

    static UUID defaultWorkspace() {
        try (Connection connection = dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT id FROM workspaces WHERE is_default");
             ResultSet row = select.executeQuery()) {
            row.next();
            return row.getObject(1, UUID.class);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new workspace with a credential of each kind. */
    static TestWorkspace workspaceWithCredentials(String name) {
        return withCredentials(newWorkspace(name));
    }

    static TestWorkspace withCredentials(UUID workspace) {
        return new TestWorkspace(workspace, apiToken(workspace, "IdP token"), oauthClient(workspace, "IdP client"));
    }

    static NewApiToken apiToken(UUID workspace, String name) {
        return apiTokens().create(workspace, name, null);
    }

    static boolean revoke(NewApiToken token) {
        return apiTokens().revoke(token.token().workspaceId(), token.token().id());
    }

    static NewOAuthClient oauthClient(UUID workspace, String name) {
        return oauthClients().register(workspace, name, null);
    }

    static OAuthClients oauthClients() {
        return new OAuthClients(new PostgresCredentialStore(dataSource()), CLOCK);
    }

    private static ApiTokens apiTokens() {
        return new ApiTokens(new PostgresCredentialStore(dataSource()), CLOCK);
    }

    /** {@code POST /oauth2/token} on the server at {@code origin} with this body and these headers. */
    static HttpResponse<String> tokenRequest(String origin, String body, Map<String, String> headers) {
        return RunningServer.shared().send("POST", origin + "/oauth2/token", body, headers);
    }

    /** An access token for the workspace's client, asked for at {@code origin} with {@code client_secret_basic}. */
    static String accessToken(String origin, TestWorkspace workspace) {
        HttpResponse<String> response = tokenRequest(origin, "grant_type=client_credentials",
                Map.of("Authorization", workspace.clientBasicAuthorization(),
                        "Content-Type", "application/x-www-form-urlencoded"));
        if (response.statusCode() != 200) {
            throw new IllegalStateException("no access token: " + response.statusCode() + " " + response.body());
        }
        return json(response).path("access_token").asText();
    }

    /** The origin of the shared server, as the tests reach it. */
    static String sharedOrigin() {
        String base = RunningServer.shared().baseUrl();
        return base.substring(0, base.length() - ScimApi.BASE_PATH.length());
    }

    static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
