package dev.scimserver.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

import static dev.scimserver.app.ScimAssertions.assertScimError;
import static dev.scimserver.app.ScimAssertions.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL's data exceptions (SQLSTATE class 22) that a request's values cause are the client's
 * 400, never a 500, and the answer does not repeat the value. The sure way to meet one: an
 * external database in LATIN1, which cannot hold "€" (22P05, untranslatable character).
 */
class DataExceptionsContractTest {
    private static final String SQUIGGLE = "\u20ac\u2603";
    private static String database;
    private static String adminUrl;
    private static ScimServer server;

    @BeforeAll
    static void aServerOnALatin1Database() throws SQLException {
        URI shared = URI.create(RunningServer.shared().jdbcUrl().substring("jdbc:".length()));
        adminUrl = "jdbc:postgresql://" + shared.getHost() + ":" + shared.getPort() + "/postgres";
        database = "latin1_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection admin = DriverManager.getConnection(adminUrl, "postgres",
                RunningServer.shared().databasePassword());
             Statement sql = admin.createStatement()) {
            sql.execute("CREATE DATABASE " + database + " ENCODING 'LATIN1' LOCALE_PROVIDER libc LC_COLLATE 'C' "
                    + "LC_CTYPE 'C' TEMPLATE template0");
        }
        server = ScimServer.start(Config.from(Map.of("SCIM_ENABLED", "true", "SCIM_HEADER_AUTH_TOKEN",
                RunningServer.TOKEN, "PORT", "0", "DATABASE_URL", "postgres://postgres:" + RunningServer.shared().databasePassword() + "@" + shared.getHost() + ":"
                        + shared.getPort() + "/" + database)));
    }

    @AfterAll
    static void dropIt() throws SQLException {
        server.close();
        try (Connection admin = DriverManager.getConnection(adminUrl, "postgres",
                RunningServer.shared().databasePassword());
             Statement sql = admin.createStatement()) {
            sql.execute("DROP DATABASE " + database + " WITH (FORCE)");
        }
    }

    private static HttpResponse<String> send(String method, String path, String body) {
        return RunningServer.shared().send(method, "http://localhost:" + server.port() + "/api/scim/v2" + path, body);
    }

    private static void assertRefusedWithoutEcho(HttpResponse<String> response, String scimType) {
        assertScimError(response, 400, scimType);
        assertThat(response.body()).doesNotContain(SQUIGGLE).doesNotContain("\\u20ac").doesNotContain("ERROR:");
    }

    @Test
    void aValueTheDatabaseCannotStoreIsInvalidValue() {
        assertRefusedWithoutEcho(send("POST", "/Users", "{\"userName\":\"" + SQUIGGLE + "@example.com\"}"),
                "invalidValue");
        HttpResponse<String> created = send("POST", "/Users", "{\"userName\":\"plain-" + UUID.randomUUID()
                + "@example.com\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = json(created).path("id").asText();
        assertRefusedWithoutEcho(send("PATCH", "/Users/" + id, "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:"
                + "PatchOp\"],\"Operations\":[{\"op\":\"replace\",\"path\":\"nickName\",\"value\":\"" + SQUIGGLE
                + "\"}]}"), "invalidValue");
        assertRefusedWithoutEcho(send("POST", "/Groups", "{\"displayName\":\"" + SQUIGGLE + "\"}"), "invalidValue");
    }

    @Test
    void aFilterValueTheDatabaseCannotCompareIsInvalidFilter() {
        String filter = URLEncoder.encode("userName eq \"" + SQUIGGLE + "\"", StandardCharsets.UTF_8);
        assertRefusedWithoutEcho(send("GET", "/Users?filter=" + filter, null), "invalidFilter");
        assertRefusedWithoutEcho(send("GET", "/Groups?filter=" + filter.replace("userName", "displayName"), null),
                "invalidFilter");
        assertRefusedWithoutEcho(send("POST", "/.search", "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:"
                + "SearchRequest\"],\"filter\":\"displayName eq \\\"" + SQUIGGLE + "\\\"\"}"), "invalidFilter");
    }

    @Test
    void inABulkOnlyTheOperationWithTheValueFails() {
        HttpResponse<String> bulk = send("POST", "/Bulk", "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:"
                + "BulkRequest\"],\"Operations\":[{\"method\":\"POST\",\"path\":\"/Users\",\"bulkId\":\"a\",\"data\":"
                + "{\"userName\":\"" + SQUIGGLE + "\"}},{\"method\":\"POST\",\"path\":\"/Users\",\"bulkId\":\"b\","
                + "\"data\":{\"userName\":\"fine-" + UUID.randomUUID() + "\"}}]}");
        assertThat(bulk.statusCode()).as(bulk.body()).isEqualTo(200);
        JsonNode results = json(bulk).path("Operations");
        assertThat(results.get(0).path("status").asText()).as(bulk.body()).isEqualTo("400");
        assertThat(results.get(0).path("response").path("scimType").asText()).isEqualTo("invalidValue");
        assertThat(results.get(1).path("status").asText()).as(bulk.body()).isEqualTo("201");
    }
}
