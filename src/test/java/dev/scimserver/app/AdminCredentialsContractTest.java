package dev.scimserver.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.scimserver.app.AdminServer.assertNoContent;
import static dev.scimserver.app.AdminServer.assertProblem;
import static dev.scimserver.app.AdminServer.json;
import static dev.scimserver.app.AdminWorkspacesContractTest.createWorkspace;
import static dev.scimserver.app.AdminWorkspacesContractTest.uniqueSlug;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A workspace's API tokens and OAuth clients through the administration API: each secret is in the
 * answer that makes it and nowhere else (not a list, not a read, not the journal).
 */
class AdminCredentialsContractTest {
    private final AdminServer admin = AdminServer.shared();

    @Test
    void aTokenIsShownOnceListedWithoutItsSecretAndRevoked() {
        String slug = uniqueSlug("tokens");
        createWorkspace(admin, slug);
        Instant expiry = Instant.now().plus(Duration.ofDays(30));
        HttpResponse<String> created = admin.send("POST", "/workspaces/" + slug + "/credentials",
                "{\"name\":\"Entra production\",\"expiresAt\":\"" + expiry + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode token = json(created);
        assertThat(token.path("token").asText()).matches("scim_tok_[A-Za-z0-9_-]{43}");
        assertThat(token.path("name").asText()).isEqualTo("Entra production");
        assertThat(Instant.parse(token.path("expiresAt").asText())).isEqualTo(expiry.truncatedTo(ChronoUnit.MICROS));
        String id = token.path("id").asText();

        HttpResponse<String> listed = admin.send("GET", "/workspaces/" + slug + "/credentials", null);
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.body()).doesNotContain(token.path("token").asText()).doesNotContain("\"token\"");
        JsonNode entry = json(listed).path("items").get(0);
        assertThat(entry.path("id").asText()).isEqualTo(id);
        assertThat(entry.path("kind").asText()).isEqualTo("api-token");
        assertThat(entry.path("readOnly").asBoolean()).isFalse();
        for (String field : new String[] {"createdAt", "expiresAt", "lastUsedAt", "revokedAt"}) {
            assertThat(entry.has(field)).as(field).isTrue();
        }
        assertThat(entry.path("revokedAt").isNull()).isTrue();
        assertThat(entry.path("createdAt")).as("the answer shows what is stored").isEqualTo(token.path("createdAt"));
        assertThat(entry.path("expiresAt")).isEqualTo(token.path("expiresAt"));
        assertThat(admin.send("GET", "/workspaces/" + slug + "/summary", null).body())
                .doesNotContain(token.path("token").asText());
        String location = created.headers().firstValue("Location").orElseThrow();
        assertThat(location).isEqualTo("/api/admin/v1/workspaces/" + slug + "/credentials/" + id);
        HttpResponse<String> one = admin.send("GET", location.substring("/api/admin/v1".length()), null);
        assertThat(one.statusCode()).as(one.body()).isEqualTo(200);
        assertThat(json(one)).as("what the list shows of it").isEqualTo(entry);

        assertNoContent(admin.send("DELETE", "/workspaces/" + slug + "/credentials/" + id, null));
        JsonNode revoked = json(admin.send("GET", "/workspaces/" + slug + "/credentials", null)).path("items").get(0);
        assertThat(revoked.path("revokedAt").isTextual()).isTrue();
        assertThat(json(admin.send("GET", "/workspaces/" + slug + "/credentials/" + id, null))).isEqualTo(revoked);
        assertProblem(admin.send("GET", "/workspaces/default/credentials/" + id, null), 404);
        assertProblem(admin.send("GET", "/workspaces/" + slug + "/credentials/" + UUID.randomUUID(), null), 404);
        assertProblem(admin.send("DELETE", "/workspaces/" + slug + "/credentials/" + id, null), 404);
        assertProblem(admin.send("DELETE", "/workspaces/" + slug + "/credentials/" + UUID.randomUUID(), null), 404);
        assertProblem(admin.send("DELETE", "/workspaces/" + slug + "/credentials/not-an-id", null), 404);
        assertProblem(admin.send("DELETE", "/workspaces/default/credentials/" + id, null), 404);
    }

    /**
     * The environment's token may be sent as the whole header (ToolJet's way, which an IdP's header
     * mode follows when the token is pasted alone); a workspace's token, which the README offers for
     * the same mode, is taken so too, and refused so when it is wrong or revoked. Only our own token
     * format is taken bare.
     */
    @Test
    void aWorkspacesTokenSentAsTheWholeHeaderIsTakenAsTheEnvironmentsIs() {
        String slug = uniqueSlug("bare");
        createWorkspace(admin, slug);
        String users = admin.url() + "/api/scim/v2/Users?count=1";
        JsonNode token = json(admin.send("POST", "/workspaces/" + slug + "/credentials", "{\"name\":\"okta\"}"));
        String secret = token.path("token").asText();
        HttpResponse<String> bare = RunningServer.shared().send("GET", users, null, Map.of("Authorization", secret));
        assertThat(bare.statusCode()).as(bare.body()).isEqualTo(200);
        assertThat(json(RunningServer.shared().send("GET", users, null, Map.of("Authorization", " " + secret + " ")))
                .path("totalResults").asInt()).as("the workspace's own directory, empty").isZero();
        String lastCharacterChanged = secret.substring(0, secret.length() - 1) + (secret.endsWith("A") ? "B" : "A");
        for (String wrong : new String[] {secret + "x", lastCharacterChanged, "scim_tok_", "Token " + secret}) {
            assertThat(RunningServer.shared().send("GET", users, null, Map.of("Authorization", wrong)).statusCode())
                    .as(wrong).isEqualTo(401);
        }
        assertNoContent(admin.send("DELETE", "/workspaces/" + slug + "/credentials/" + token.path("id").asText(),
                null));
        assertThat(RunningServer.shared().send("GET", users, null, Map.of("Authorization", secret)).statusCode())
                .isEqualTo(401);
    }

    @Test
    void theProcessThatRevokesOrDeletesRefusesTheCredentialOnTheVeryNextRequest() {
        String slug = uniqueSlug("instant");
        createWorkspace(admin, slug);
        String users = admin.url() + "/api/scim/v2/Users";
        Map<String, String> bearer = Map.of("Authorization", "Bearer " + json(admin.send("POST",
                "/workspaces/" + slug + "/credentials", "{\"name\":\"revoked\"}")).path("token").asText());
        assertThat(RunningServer.shared().send("GET", users, null, bearer).statusCode()).isEqualTo(200);
        String id = json(admin.send("GET", "/workspaces/" + slug + "/credentials", null)).at("/items/0/id").asText();
        assertNoContent(admin.send("DELETE", "/workspaces/" + slug + "/credentials/" + id, null));
        assertThat(RunningServer.shared().send("GET", users, null, bearer).statusCode()).isEqualTo(401);

        Map<String, String> orphan = Map.of("Authorization", "Bearer " + json(admin.send("POST",
                "/workspaces/" + slug + "/credentials", "{\"name\":\"orphaned\"}")).path("token").asText());
        assertThat(RunningServer.shared().send("GET", users, null, orphan).statusCode()).isEqualTo(200);
        assertNoContent(admin.send("DELETE", "/workspaces/" + slug, null));
        assertThat(RunningServer.shared().send("GET", users, null, orphan).statusCode()).isEqualTo(401);
        assertThat(RunningServer.shared().send("POST", users, "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:"
                + "User\"],\"userName\":\"orphan@example.com\"}", orphan).statusCode()).isEqualTo(401);
    }

    @Test
    void expiriesMustBeRfc3339AndInTheFuture() {
        String slug = uniqueSlug("expiry");
        createWorkspace(admin, slug);
        String path = "/workspaces/" + slug + "/credentials";
        String[] refused = {Instant.now().minusSeconds(60).toString(), "2030-01-31", "2030-01-31T00:00:00",
            "next year", "2030-13-01T00:00:00Z",
            // Year 9999 where it was written, year 10000 in UTC: no RFC 3339 time could answer it.
            "9999-12-31T23:00:00-15:00"};
        for (String expiry : refused) {
            JsonNode problem = assertProblem(admin.send("POST", path, "{\"name\":\"okta\",\"expiresAt\":\"" + expiry
                    + "\"}"), 400);
            assertThat(problem.path("field").asText()).as(expiry).isEqualTo("expiresAt");
        }
        assertThat(assertProblem(admin.send("POST", path, "{\"name\":\"okta\",\"expiresAt\":1893456000}"), 400)
                .path("field").asText()).isEqualTo("expiresAt");
        assertThat(assertProblem(admin.send("POST", path, "{\"expiresAt\":\"2030-01-31T00:00:00Z\"}"), 400)
                .path("field").asText()).isEqualTo("name");
        assertThat(assertProblem(admin.send("POST", path, "{\"name\":\"okta\",\"scope\":\"all\"}"), 400)
                .path("field").asText()).isEqualTo("scope");
        assertThat(json(admin.send("GET", path, null)).path("items")).as("nothing was half-made").isEmpty();
        assertThat(admin.send("POST", path, "{\"name\":\"okta\",\"expiresAt\":\"2030-01-31T00:00:00+02:00\"}")
                .statusCode()).isEqualTo(201);
        assertProblem(admin.send("POST", "/workspaces/" + uniqueSlug("nowhere") + "/credentials", "{\"name\":\"x\"}"),
                404);
    }

    @Test
    void theEnvironmentsCredentialsAreReadOnlyEntriesOfTheDefaultWorkspace() {
        HttpResponse<String> listed = admin.send("GET", "/workspaces/default/credentials", null);
        assertThat(listed.body()).doesNotContain(RunningServer.TOKEN).doesNotContain(RunningServer.BASIC_PASSWORD)
                .doesNotContain(RunningServer.BASIC_USER);
        JsonNode items = json(listed).path("items");
        assertThat(items.get(0).path("id").asText()).isEqualTo("environment-basic");
        assertThat(items.get(1).path("id").asText()).isEqualTo("environment-token");
        assertThat(items.get(1).path("name").asText()).isEqualTo("SCIM_HEADER_AUTH_TOKEN");
        assertThat(items.get(1).path("kind").asText()).isEqualTo("environment");
        assertThat(items.get(1).path("readOnly").asBoolean()).isTrue();
        assertThat(json(admin.send("GET", "/workspaces/default/credentials/environment-token", null)))
                .isEqualTo(items.get(1));
        for (String id : new String[] {"environment-basic", "environment-token"}) {
            JsonNode refused = assertProblem(admin.send("DELETE", "/workspaces/default/credentials/" + id, null), 409);
            assertThat(refused.path("detail").asText()).contains("configured by the environment");
        }
        String slug = uniqueSlug("no-env");
        createWorkspace(admin, slug);
        assertThat(json(admin.send("GET", "/workspaces/" + slug + "/credentials", null)).path("items")).isEmpty();
        assertProblem(admin.send("DELETE", "/workspaces/" + slug + "/credentials/environment-token", null), 404);
        assertProblem(admin.send("GET", "/workspaces/" + slug + "/credentials/environment-token", null), 404);
    }

    @Test
    void anOAuthClientGetsSecretsBesideEachOtherAndLosesThemOneByOne() {
        String slug = uniqueSlug("clients");
        createWorkspace(admin, slug);
        String path = "/workspaces/" + slug + "/oauth-clients";
        HttpResponse<String> registered = admin.send("POST", path, "{\"name\":\"Okta\"}");
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
        JsonNode client = json(registered);
        String id = client.path("id").asText();
        String firstSecret = client.path("clientSecret").asText();
        assertThat(client.path("clientId").asText()).startsWith("scim_cli_");
        assertThat(firstSecret).matches("scim_sec_[A-Za-z0-9_-]{43}");

        HttpResponse<String> added = admin.send("POST", path + "/" + id + "/secrets", null);
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        String secondSecret = json(added).path("clientSecret").asText();
        assertThat(secondSecret).matches("scim_sec_[A-Za-z0-9_-]{43}").isNotEqualTo(firstSecret);
        assertProblem(admin.send("POST", path + "/" + id + "/secrets", "{\"expiresAt\":\"yesterday\"}"), 400);

        HttpResponse<String> listed = admin.send("GET", path, null);
        assertThat(listed.body()).doesNotContain(firstSecret).doesNotContain(secondSecret);
        JsonNode entry = json(listed).path("items").get(0);
        assertThat(entry.path("clientId").asText()).isEqualTo(client.path("clientId").asText());
        assertThat(entry.path("secrets").findValuesAsText("id"))
                .containsExactly(client.path("secretId").asText(), json(added).path("id").asText());
        assertThat(registered.headers().firstValue("Location")).hasValue("/api/admin/v1" + path + "/" + id);
        HttpResponse<String> one = admin.send("GET", path + "/" + id, null);
        assertThat(one.body()).doesNotContain(firstSecret).doesNotContain(secondSecret);
        assertThat(json(one)).as("what the list shows of it").isEqualTo(entry);
        String secretPath = path + "/" + id + "/secrets/" + json(added).path("id").asText();
        assertThat(added.headers().firstValue("Location")).hasValue("/api/admin/v1" + secretPath);
        HttpResponse<String> secret = admin.send("GET", secretPath, null);
        assertThat(secret.body()).doesNotContain(secondSecret);
        assertThat(json(secret)).isEqualTo(entry.path("secrets").get(1));
        assertProblem(admin.send("GET", path + "/" + id + "/secrets/" + UUID.randomUUID(), null), 404);
        assertProblem(admin.send("GET", path + "/" + UUID.randomUUID(), null), 404);

        String firstId = client.path("secretId").asText();
        assertNoContent(admin.send("DELETE", path + "/" + id + "/secrets/" + firstId, null));
        assertProblem(admin.send("DELETE", path + "/" + id + "/secrets/" + firstId, null), 404);
        assertThat(json(admin.send("GET", path, null)).path("items").get(0).path("secrets")).hasSize(1);

        assertNoContent(admin.send("DELETE", path + "/" + id, null));
        assertThat(json(admin.send("GET", path, null)).path("items")).isEmpty();
        assertProblem(admin.send("DELETE", path + "/" + id, null), 404);
        assertProblem(admin.send("POST", path + "/" + id + "/secrets", null), 404);
        assertProblem(admin.send("POST", path + "/" + UUID.randomUUID() + "/secrets", null), 404);
        assertProblem(admin.send("POST", path, "{\"name\":\"\"}"), 400);
    }

    @Test
    void everyAdministrativeChangeIsJournaledAsAdminWithItsRequestIdAndNoSecret() throws SQLException {
        String slug = uniqueSlug("journaled");
        HttpResponse<String> created = admin.send("POST", "/workspaces", "{\"name\":\"J\",\"slug\":\"" + slug + "\"}");
        UUID workspace = UUID.fromString(json(created).path("id").asText());
        JsonNode token = json(admin.send("POST", "/workspaces/" + slug + "/credentials", "{\"name\":\"okta\"}"));
        admin.send("DELETE", "/workspaces/" + slug + "/credentials/" + token.path("id").asText(), null);
        JsonNode client = json(admin.send("POST", "/workspaces/" + slug + "/oauth-clients", "{\"name\":\"entra\"}"));
        String clientPath = "/workspaces/" + slug + "/oauth-clients/" + client.path("id").asText();
        JsonNode secret = json(admin.send("POST", clientPath + "/secrets", null));
        admin.send("DELETE", clientPath + "/secrets/" + secret.path("id").asText(), null);
        admin.send("DELETE", clientPath, null);
        admin.send("PATCH", "/workspaces/" + slug, "{\"name\":\"Journaled\"}");

        List<String[]> rows = journal(workspace);
        assertThat(rows).extracting(row -> row[0] + " " + row[1] + " " + row[4]).containsExactly(
                "Workspace create {name,slug}", "ApiToken create {name}", "ApiToken revoke {revokedAt}",
                "OAuthClient create {name}", "OAuthClient secret_add {secrets}", "OAuthClient secret_add {secrets}",
                "OAuthClient secret_remove {secrets}", "OAuthClient delete {}", "Workspace update {name}");
        assertThat(rows).allSatisfy(row -> assertThat(row[2]).isEqualTo("admin"));
        assertThat(rows.get(0)[3]).isEqualTo(created.headers().firstValue("X-Request-Id").orElseThrow());
        assertThat(rows.get(0)[5]).isEqualTo("POST /api/admin/v1/workspaces");
        String all = String.join("|", rows.stream().map(row -> String.join(",", row)).toList());
        for (String secretValue : new String[] {token.path("token").asText(), client.path("clientSecret").asText(),
            secret.path("clientSecret").asText(), AdminServer.ADMIN_TOKEN}) {
            assertThat(all).doesNotContain(secretValue);
        }
    }

    /** resource_type, operation, credential, request_id, changed_attributes, request, member_ids; the whole row. */
    private static List<String[]> journal(UUID workspace) throws SQLException {
        try (Connection c = DriverManager.getConnection(RunningServer.shared().jdbcUrl());
             PreparedStatement s = c.prepareStatement("SELECT resource_type, operation, credential, request_id, "
                     + "changed_attributes::text, request, j::text FROM change_journal j WHERE workspace_id = ? ORDER BY id")) {
            s.setObject(1, workspace);
            List<String[]> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7)});
                }
            }
            return rows;
        }
    }
}
