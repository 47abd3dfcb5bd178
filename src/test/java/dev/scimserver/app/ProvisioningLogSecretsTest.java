package dev.scimserver.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.scimserver.app.AdminServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A provisioning run that sends passwords every way an IdP can (any case, any depth, PATCH paths,
 * Bulk, a malformed body, a filter) and authenticates with a token and a client secret: afterwards
 * no row of the log holds any of those secrets, searched in the whole table's text.
 */
class ProvisioningLogSecretsTest {
    private static final String USER = "urn:ietf:params:scim:schemas:core:2.0:User";
    private static final String PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    private static final String BULK = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";

    private final List<String> secrets = new ArrayList<>();
    private final List<String> requestIds = new ArrayList<>();

    private String secret() {
        String secret = "Sec" + UUID.randomUUID().toString().replace("-", "") + "!";
        secrets.add(secret);
        return secret;
    }

    private HttpResponse<String> scim(LogWorkspace workspace, String method, String path, String body) {
        return scim(workspace, method, path, body, Map.of());
    }

    private HttpResponse<String> scim(LogWorkspace workspace, String method, String path, String body,
                                      Map<String, String> headers) {
        String requestId = "secret-run-" + UUID.randomUUID();
        requestIds.add(requestId);
        return workspace.scim(method, path, body, requestId, headers);
    }

    @Test
    void noPasswordTokenOrClientSecretReachesTheLog() throws SQLException {
        LogWorkspace workspace = new LogWorkspace("log-secrets");
        secrets.add(workspace.token);
        String userName = "secret-" + UUID.randomUUID() + "@example.com";
        HttpResponse<String> created = scim(workspace, "POST", "/Users", "{\"schemas\":[\"" + USER + "\"],\"userName\":\""
                + userName + "\",\"password\":\"" + secret() + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = json(created).path("id").asText();
        scim(workspace, "POST", "/Users", "{\"schemas\":[\"" + USER + "\"],\"userName\":\"other-" + userName
                + "\",\"PassWord\":\"" + secret() + "\"}");
        scim(workspace, "PUT", "/Users/" + id, "{\"schemas\":[\"" + USER + "\"],\"userName\":\"" + userName
                + "\",\"PASSWORD\":\"" + secret() + "\"}");
        scim(workspace, "PATCH", "/Users/" + id, "{\"schemas\":[\"" + PATCH + "\"],\"Operations\":["
                + "{\"op\":\"replace\",\"path\":\"password\",\"value\":\"" + secret() + "\"},"
                + "{\"value\":\"" + secret() + "\",\"op\":\"Replace\",\"path\":\"Password\"},"
                + "{\"op\":\"replace\",\"value\":{\"password\":\"" + secret() + "\",\"active\":true}}]}");
        scim(workspace, "POST", "/Bulk", "{\"schemas\":[\"" + BULK + "\"],\"Operations\":["
                + "{\"method\":\"POST\",\"path\":\"/Users\",\"bulkId\":\"b\",\"data\":{\"schemas\":[\"" + USER
                + "\"],\"userName\":\"bulk-" + userName + "\",\"password\":\"" + secret() + "\"}},"
                + "{\"method\":\"PATCH\",\"path\":\"/Users/" + id + "\",\"data\":{\"schemas\":[\"" + PATCH
                + "\"],\"Operations\":[{\"op\":\"replace\",\"path\":\"password\",\"value\":\"" + secret() + "\"}]}}]}");
        assertThat(scim(workspace, "POST", "/Users", "{\"userName\":\"x\",\"password\":\"" + secret() + "\",")
                .statusCode()).isEqualTo(400);
        assertThat(scim(workspace, "GET", "/Users?filter=password%20eq%20%22" + secret() + "%22", null).statusCode())
                .isEqualTo(400);
        scim(workspace, "POST", "/Users/.search", "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:SearchRequest\"],"
                + "\"filter\":\"password eq \\\"" + secret() + "\\\"\"}");

        // Spellings and channels a review found the redaction missing: a JSON body sent as a form,
        // the long s (which the schema takes for an s), an operation's "Path", and a secret a parse
        // error would quote. (A body in UTF-16 and a malformed escape are RedactionTest's.)
        scim(workspace, "POST", "/Users", "{\"schemas\":[\"" + USER + "\"],\"userName\":\"form-" + userName
                + "\",\"password\":\"" + secret() + "\"}", Map.of("Content-Type", "application/x-www-form-urlencoded"));
        scim(workspace, "PUT", "/Users/" + id, "{\"schemas\":[\"" + USER + "\"],\"userName\":\"" + userName
                + "\",\"pa\u017F\u017Fword\":\"" + secret() + "\"}", Map.of());
        scim(workspace, "PATCH", "/Users/" + id, "{\"schemas\":[\"" + PATCH + "\"],\"Operations\":["
                + "{\"op\":\"replace\",\"Path\":\"password\",\"value\":\"" + secret() + "\"}]}", Map.of());
        assertThat(scim(workspace, "POST", "/Users", "{\"userName\":\"x\",\"password\": " + secret() + "}", Map.of())
                .statusCode()).isEqualTo(400);
        // A second review's: a read-only path whose filter compares a password, quoted back in the
        // error's detail; a body that is one JSON string; JSON in a string naming an Authorization.
        assertThat(scim(workspace, "PATCH", "/Users/" + id, "{\"schemas\":[\"" + PATCH + "\"],\"Operations\":["
                + "{\"op\":\"remove\",\"path\":\"groups[display eq \\\"x\\\" or password eq \\\"" + secret()
                + "\\\"]\"}]}", Map.of()).statusCode()).isEqualTo(400);
        assertThat(scim(workspace, "POST", "/Users", "\"{\\\"userName\\\":\\\"x\\\",\\\"password\\\":\\\""
                + secret() + "\\\"}\"", Map.of()).statusCode()).isEqualTo(400);
        assertThat(scim(workspace, "POST", "/Users", "{\"userName\":\"x\",\"title\":\"{\\\"Authorization\\\":"
                + "\\\"Bearer " + secret() + "\\\"}\",}", Map.of()).statusCode()).isEqualTo(400);

        // A third review's: an issued token in a path (and so in the resource id, which is folded), in
        // a filter and a PATCH path (and so in the error's detail), and as the request's id.
        String tokenLowered = workspace.token.toLowerCase(java.util.Locale.ROOT);
        secrets.add(tokenLowered);
        assertThat(scim(workspace, "GET", "/Users/" + workspace.token, null).statusCode()).isEqualTo(404);
        assertThat(scim(workspace, "GET", "/Users?filter=" + workspace.token + "%20eq%20%22x%22", null).statusCode())
                .isEqualTo(400);
        assertThat(scim(workspace, "PATCH", "/Users/" + id, "{\"schemas\":[\"" + PATCH + "\"],\"Operations\":["
                + "{\"op\":\"replace\",\"path\":\"" + workspace.token + "\",\"value\":\"x\"}]}").statusCode())
                .isEqualTo(400);
        HttpResponse<String> namedByToken = workspace.scim("GET", "/Users?count=1", null, workspace.token);
        String givenId = namedByToken.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(givenId).as("a request id holding a token is replaced").doesNotContain(workspace.token);
        requestIds.add(givenId);

        String accessToken = tokenEndpointRun(workspace);
        secrets.add(accessToken);
        assertThat(RunningServer.shared().send("GET", workspace.admin.url() + "/api/scim/v2/Users/" + id, null,
                Map.of("Authorization", "Bearer " + accessToken)).statusCode()).isEqualTo(200);
        // The access token is a secret this server issued too: pasted into a value or a filter, withheld.
        scim(workspace, "POST", "/Users", "{\"schemas\":[\"" + USER + "\"],\"userName\":\"jwt-" + userName
                + "\",\"profileUrl\":\"" + accessToken + "\"}");
        scim(workspace, "GET", "/Users?filter=userName%20eq%20%22" + accessToken + "%22", null);

        for (String requestId : requestIds) {
            workspace.awaitItems("requestId=" + requestId, 1);
        }
        for (String secret : secrets) {
            assertThat(rowsHolding(secret)).as("log rows holding " + secret).isZero();
        }
        assertThat(rowsHolding("[REDACTED]")).as("the redactions are there").isPositive();
    }

    /**
     * The server's own secrets (its header token, its Basic password, the administrator's token, the
     * database's password) have neither a secret's field nor an issued secret's prefix: sent as values,
     * in a path or a query string, encoded however a client encodes them, none reaches the log (forms:
     * ConfiguredSecretsTest).
     */
    @Test
    void theServersOwnSecretsSentAsValuesAreWithheld() throws SQLException {
        LogWorkspace workspace = new LogWorkspace("log-own-secrets");
        String token = RunningServer.TOKEN;
        String password = RunningServer.BASIC_PASSWORD;
        String admin = AdminServer.ADMIN_TOKEN;
        // The database's, which this server found in its DATABASE_URL's query.
        String database = RunningServer.shared().databasePassword();
        HttpResponse<String> created = scim(workspace, "POST", "/Users", "{\"schemas\":[\"" + USER + "\"],"
                + "\"userName\":\"" + token + "\",\"displayName\":\"" + password + "\",\"title\":\"a " + admin + " b\","
                + "\"nickName\":\"" + database + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        scim(workspace, "GET", "/Users?filter=userName%20eq%20%22" + token + "%22", null);
        scim(workspace, "GET", "/Users?filter=displayName+eq+%22correct+horse+battery+staple%22", null);
        scim(workspace, "GET", "/Users?filter=displayName%20eq%20%22correct%20horse%20battery%20staple%22", null);
        scim(workspace, "GET", "/Users/" + admin, null);
        scim(workspace, "GET", "/Users/%61dmin-token-0123456789", null);
        // A method is any token a client sends (refused with 405), a secret too.
        String issued = json(workspace.admin.send("POST", "/workspaces/" + workspace.slug + "/credentials",
                "{\"name\":\"sent-as-a-method\"}")).path("token").asText();
        assertThat(issued).startsWith("scim_tok_");
        for (String method : List.of(admin, issued)) {
            assertThat(scim(workspace, method, "/Users", null).statusCode()).as(method).isEqualTo(405);
        }

        for (String requestId : requestIds) {
            workspace.awaitItems("requestId=" + requestId, 1);
        }
        for (String secret : List.of(token, password, admin, database, "correct+horse+battery+staple",
                "correct%20horse%20battery%20staple", "%61dmin-token-0123456789", issued)) {
            assertThat(rowsHolding(secret)).as("log rows holding " + secret).isZero();
        }
        assertThat(rowsHolding("\"a [REDACTED] b\"")).as("the rest of a value is kept").isPositive();
    }

    /** A token request with client_secret_post, and one with a wrong secret; answers the access token. */
    private String tokenEndpointRun(LogWorkspace workspace) {
        JsonNode client = json(workspace.admin.send("POST", "/workspaces/" + workspace.slug + "/oauth-clients",
                "{\"name\":\"okta\"}"));
        String clientSecret = client.path("clientSecret").asText();
        secrets.add(clientSecret);
        String wrong = secret();
        Map<String, String> form = Map.of("Content-Type", "application/x-www-form-urlencoded");
        String origin = workspace.admin.url();
        HttpResponse<String> refused = WorkspaceFixtures.tokenRequest(origin, "grant_type=client_credentials&client_id="
                + WorkspaceFixtures.form(client.path("clientId").asText()) + "&client_secret=" + wrong, form);
        assertThat(refused.statusCode()).isEqualTo(401);
        HttpResponse<String> issued = WorkspaceFixtures.tokenRequest(origin, "grant_type=client_credentials&client_id="
                + WorkspaceFixtures.form(client.path("clientId").asText()) + "&client_secret="
                + WorkspaceFixtures.form(clientSecret), form);
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
        LogWorkspace.await(() -> workspace.search("credential=oauth-client:okta&method=POST"), 1);
        return json(issued).path("access_token").asText();
    }

    private static long rowsHolding(String text) throws SQLException {
        try (Connection connection = WorkspaceFixtures.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT count(*) FROM provisioning_log l WHERE strpos(l::text, ?) > 0")) {
            select.setString(1, text);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
