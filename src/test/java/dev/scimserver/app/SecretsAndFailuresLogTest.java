package dev.scimserver.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.scimserver.app.ScimAssertions.assertScimError;
import static dev.scimserver.app.ScimAssertions.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A full provisioning run on a server of its own, with every log line captured (our loggers at
 * TRACE): no configured secret, no user's password and no database password ever appears in a
 * log line or a response. Then the server's database is broken under it: the 500 that follows
 * carries its request id, its log line carries the id and the cause, and no SQL reaches the client.
 */
class SecretsAndFailuresLogTest {
    private static final String USER_PASSWORDS = "User-Secret-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String WRONG_GUESS = "Wrong-Guess-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    private final RunningServer shared = RunningServer.shared();
    private final String dbPassword = shared.databasePassword();
    @RegisterExtension
    final CapturedLogs logs = new CapturedLogs();
    private final List<HttpResponse<String>> responses = new ArrayList<>();

    /** The embedded PostgreSQL's own log says what failed, never with which values (a conflict's key). */
    @Test
    void theEmbeddedDatabaseLogsAConflictWithoutItsValues() {
        // Not an email: the person is new, so the conflict is the userName index's own.
        String userName = "logged-" + UUID.randomUUID();
        String body = "{\"userName\":\"" + userName + "\"}";
        assertThat(shared.send("POST", "/Users", body).statusCode()).isEqualTo(201);
        assertScimError(shared.send("POST", "/Users", body), 409, "uniqueness");
        assertThat(shared.databaseLog()).contains("duplicate key").doesNotContain(userName);
    }

    @Test
    void aFullProvisioningRunLogsAndAnswersNoSecretAndA500CarriesItsRequestIdAndCause() throws SQLException {
        String database = "hardening_" + UUID.randomUUID().toString().replace("-", "");
        URI shared = URI.create(this.shared.jdbcUrl().substring("jdbc:".length()));
        try (Connection admin = DriverManager.getConnection("jdbc:postgresql://" + shared.getHost() + ":"
                + shared.getPort() + "/postgres", "postgres", dbPassword); Statement sql = admin.createStatement()) {
            sql.execute("CREATE DATABASE " + database);
        }
        String url = "postgres://postgres:" + dbPassword + "@" + shared.getHost() + ":" + shared.getPort() + "/"
                + database;
        Map<String, String> env = new HashMap<>(Map.of("SCIM_ENABLED", "true", "SCIM_BASIC_AUTH_USER",
                RunningServer.BASIC_USER, "SCIM_BASIC_AUTH_PASS", RunningServer.BASIC_PASSWORD,
                "SCIM_HEADER_AUTH_TOKEN", RunningServer.TOKEN, "PORT", "0", "DATABASE_URL", url,
                "SCIM_ADMIN_TOKEN", AdminServer.ADMIN_TOKEN));
        try (ScimServer server = ScimServer.start(Config.from(env))) {
            String base = "http://localhost:" + server.port() + "/api/scim/v2";
            provision(base);
            breakTheDatabaseAndExpectA500(base, "jdbc:postgresql://" + shared.getHost() + ":" + shared.getPort()
                    + "/" + database);
        }

        List<String> secrets = List.of(RunningServer.BASIC_PASSWORD, RunningServer.TOKEN, AdminServer.ADMIN_TOKEN,
                dbPassword, USER_PASSWORDS,
                WRONG_GUESS, basic(RunningServer.BASIC_USER + ":" + RunningServer.BASIC_PASSWORD),
                basic(RunningServer.BASIC_USER + ":" + WRONG_GUESS));
        assertThat(logs.list()).isNotEmpty();
        for (ILoggingEvent event : logs.list()) {
            String line = event.getFormattedMessage() + (event.getThrowableProxy() == null ? ""
                    : ThrowableProxyUtil.asString(event.getThrowableProxy())) + event.getMDCPropertyMap();
            for (String secret : secrets) {
                assertThat(line).as("log line of %s", event.getLoggerName()).doesNotContain(secret);
            }
        }
        for (HttpResponse<String> response : responses) {
            String whole = response.headers().map() + response.body();
            for (String secret : secrets) {
                assertThat(whole).doesNotContain(secret);
            }
        }
    }

    private static String basic(String userColonPassword) {
        return Base64.getEncoder().encodeToString(userColonPassword.getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> send(String method, String url, String body, String authorization) {
        HttpResponse<String> response = shared.send(method, url, body, Map.of("Authorization", authorization));
        responses.add(response);
        return response;
    }

    private HttpResponse<String> send(String method, String url, String body) {
        return send(method, url, body, shared.basicAuthorization());
    }

    private void provision(String base) {
        HttpResponse<String> admin = send("POST", base + "/Users", "{\"userName\":\"admin-" + UUID.randomUUID()
                + "@example.com\",\"password\":\"" + USER_PASSWORDS + "-0\",\"urn:ietf:params:scim:schemas:extension:"
                + "tooljet:User:2.0\":{\"role\":\"admin\"}}");
        assertThat(admin.statusCode()).as(admin.body()).isEqualTo(201);
        String userName = "secret-" + UUID.randomUUID() + "@example.com";
        HttpResponse<String> created = send("POST", base + "/Users", "{\"userName\":\"" + userName
                + "\",\"password\":\"" + USER_PASSWORDS + "-1\",\"emails\":[{\"value\":\"" + userName
                + "\",\"primary\":true}]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = json(created).path("id").asText();
        assertThat(send("PUT", base + "/Users/" + id, "{\"userName\":\"" + userName + "\",\"password\":\""
                + USER_PASSWORDS + "-2\"}").statusCode()).isEqualTo(200);
        assertThat(send("PATCH", base + "/Users/" + id, "{\"schemas\":[\"" + PATCH_OP + "\"],\"Operations\":[{\"op\":"
                + "\"replace\",\"path\":\"password\",\"value\":\"" + USER_PASSWORDS + "-3\"}]}").statusCode())
                .isEqualTo(200);
        assertThat(send("PATCH", base + "/Users/" + id, "{\"schemas\":[\"" + PATCH_OP + "\"],\"Operations\":[{\"op\":"
                + "\"Replace\",\"value\":{\"password\":\"" + USER_PASSWORDS + "-4\",\"active\":\"False\"}}]}")
                .statusCode()).isEqualTo(200);
        // Refused requests that carry a password: the refusal must not echo it.
        send("POST", base + "/Users", "{\"userName\":\"" + userName + "\",\"password\":\"" + USER_PASSWORDS + "-5\"}");
        send("POST", base + "/Users", "{\"userName\":7,\"password\":\"" + USER_PASSWORDS + "-6\"}");
        send("PATCH", base + "/Users/" + id, "{\"schemas\":[\"" + PATCH_OP + "\"],\"Operations\":[{\"op\":"
                + "\"replace\",\"path\":\"password\",\"value\":[\"" + USER_PASSWORDS + "-7\"]}]}");
        send("GET", base + "/Users?filter=password%20eq%20%22" + USER_PASSWORDS + "-8%22", null);
        send("POST", base + "/Bulk", "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:BulkRequest\"],"
                + "\"Operations\":[{\"method\":\"POST\",\"path\":\"/Users\",\"bulkId\":\"b1\",\"data\":{\"userName\":\""
                + "bulk-" + UUID.randomUUID() + "@example.com\",\"password\":\"" + USER_PASSWORDS + "-9\"}}]}");
        // Wrong credentials of every kind.
        send("GET", base + "/Users", null, "Basic " + basic(RunningServer.BASIC_USER + ":" + WRONG_GUESS));
        send("GET", base + "/Users", null, "Bearer " + WRONG_GUESS);
        send("GET", base + "/Users", null, WRONG_GUESS);
        HttpResponse<String> group = send("POST", base + "/Groups", "{\"displayName\":\"secret-group-"
                + UUID.randomUUID() + "\",\"members\":[{\"value\":\"" + json(admin).path("id").asText() + "\"}]}");
        assertThat(group.statusCode()).as(group.body()).isEqualTo(201);
        assertThat(send("GET", base + "/Users/" + id, null).body()).doesNotContain("password");
        assertThat(send("DELETE", base + "/Users/" + id, null).statusCode()).isEqualTo(204);
    }

    private void breakTheDatabaseAndExpectA500(String base, String jdbcUrl) throws SQLException {
        HttpResponse<String> group = send("POST", base + "/Groups", "{\"displayName\":\"doomed-" + UUID.randomUUID()
                + "\"}");
        String groupId = json(group).path("id").asText();
        String userId = json(send("POST", base + "/Users", "{\"userName\":\"doomed-" + UUID.randomUUID()
                + "@example.com\"}")).path("id").asText();
        try (Connection connection = DriverManager.getConnection(jdbcUrl, "postgres", dbPassword);
             Statement sql = connection.createStatement()) {
            sql.execute("ALTER TABLE group_members RENAME TO group_members_sabotaged");
        }
        logs.list().clear();
        HttpResponse<String> failed = send("PATCH", base + "/Groups/" + groupId,
                TestPopulation.membersPatch("add", List.of(userId)));

        assertScimError(failed, 500, null);
        String requestId = failed.headers().firstValue("X-Request-Id").orElseThrow();
        JsonNode body = json(failed);
        assertThat(body.path("detail").asText()).contains(requestId);
        assertThat(failed.body()).doesNotContainIgnoringCase("group_members").doesNotContainIgnoringCase("relation")
                .doesNotContainIgnoringCase("sql").doesNotContain("ERROR:").doesNotContain("Exception")
                .doesNotContain("at dev.");
        assertThat(logs.list()).anySatisfy(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.ERROR);
            assertThat(event.getFormattedMessage()).contains(requestId);
            assertThat(event.getThrowableProxy()).isNotNull();
            assertThat(ThrowableProxyUtil.asString(event.getThrowableProxy())).contains("group_members");
        });

        // An administration request on the workspace fails on the same table: its line names the workspace.
        String admin = base.replace("/api/scim/v2", "/api/admin/v1") + "/workspaces/default";
        String workspaceId = json(send("GET", admin, null, "Bearer " + AdminServer.ADMIN_TOKEN)).path("id").asText();
        logs.list().clear();
        assertThat(send("GET", admin + "/users", null, "Bearer " + AdminServer.ADMIN_TOKEN).statusCode()).isEqualTo(500);
        assertThat(logs.list()).anySatisfy(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.ERROR);
            assertThat(event.getMDCPropertyMap()).containsEntry("workspace", workspaceId);
        });
    }
}
