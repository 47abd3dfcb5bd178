package dev.scimserver.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static dev.scimserver.app.AdminServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every request to the SCIM API and the token endpoint lands in the provisioning log with what
 * happened, read through the administration API; refused requests too, under no workspace.
 */
class ProvisioningLogContractTest {
    private static final String USER = "urn:ietf:params:scim:schemas:core:2.0:User";

    @Test
    void aRequestIsLoggedWithItsFactsAndItsBodies() {
        LogWorkspace workspace = new LogWorkspace("log-fields");
        String requestId = "req-" + UUID.randomUUID();
        String body = "{\"schemas\":[\"" + USER + "\"],\"userName\":\"ada-" + requestId + "@example.com\"}";
        Instant before = Instant.now().minusSeconds(1);
        HttpResponse<String> created = workspace.scim("POST", "/Users?attributes=userName", body, requestId);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        JsonNode entry = workspace.entryOf(requestId);
        assertThat(entry.path("method").asText()).isEqualTo("POST");
        assertThat(entry.path("path").asText()).isEqualTo("/api/scim/v2/Users");
        assertThat(entry.path("query").asText()).isEqualTo("attributes=userName");
        assertThat(entry.path("status").asInt()).isEqualTo(201);
        assertThat(entry.path("credential").asText()).isEqualTo("api-token:" + workspace.tokenName);
        assertThat(entry.path("clientAddress").asText()).isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
        assertThat(entry.path("requestId").asText()).isEqualTo(requestId);
        assertThat(entry.path("scimType").isNull()).isTrue();
        assertThat(entry.path("detail").isNull()).isTrue();
        assertThat(entry.path("durationMicros").asLong()).isPositive();
        assertThat(Instant.parse(entry.path("receivedAt").asText())).isBetween(before, Instant.now());
        assertThat(entry.path("requestBytes").asLong()).isEqualTo(body.getBytes(StandardCharsets.UTF_8).length);
        assertThat(entry.path("responseBytes").asLong()).isEqualTo(created.body().getBytes(StandardCharsets.UTF_8).length);
        assertThat(json(entry.path("requestBody").asText())).isEqualTo(json(body));
        assertThat(json(entry.path("responseBody").asText())).isEqualTo(json(created.body()));
        assertThat(entry.path("bodiesDropped").asBoolean()).isFalse();

        String id = json(created).path("id").asText();
        String readId = "req-" + UUID.randomUUID();
        assertThat(workspace.scim("GET", "/Users/" + id, null, readId).statusCode()).isEqualTo(200);
        JsonNode read = workspace.entryOf(readId);
        assertThat(read.path("resourceId").asText()).isEqualTo(id);
        assertThat(read.path("requestBody").isNull()).isTrue();
        assertThat(json(read.path("responseBody").asText()).path("id").asText()).isEqualTo(id);
    }

    @Test
    void anErrorIsLoggedWithItsScimTypeAndDetail() {
        LogWorkspace workspace = new LogWorkspace("log-error");
        String requestId = "req-" + UUID.randomUUID();
        HttpResponse<String> refused = workspace.scim("GET", "/Users?filter=" + "userName%20zz%20%22x%22", null,
                requestId);
        assertThat(refused.statusCode()).isEqualTo(400);
        JsonNode entry = workspace.entryOf(requestId);
        assertThat(entry.path("status").asInt()).isEqualTo(400);
        assertThat(entry.path("scimType").asText()).isEqualTo("invalidFilter");
        assertThat(entry.path("detail").asText()).isEqualTo(json(refused).path("detail").asText());
    }

    @Test
    void aRequestRefusedByAuthenticationIsLoggedUnderNoWorkspaceWithoutItsBody() {
        AdminServer admin = AdminServer.shared();
        String requestId = "req-" + UUID.randomUUID();
        HttpResponse<String> refused = RunningServer.shared().send("POST", admin.url() + "/api/scim/v2/Users",
                "{\"userName\":\"x\"}", Map.of("Authorization", "Bearer not-a-token-" + requestId,
                        "X-Request-Id", requestId));
        assertThat(refused.statusCode()).isEqualTo(401);
        JsonNode found = LogWorkspace.await(() -> admin.send("GET", "/unattributed-requests?requestId=" + requestId,
                null), 1).get(0);
        assertThat(found.path("status").asInt()).isEqualTo(401);
        assertThat(found.path("credential").isNull()).isTrue();
        JsonNode entry = json(admin.send("GET", "/unattributed-requests/" + found.path("id").asText(), null));
        assertThat(entry.path("requestBody").isNull()).as("nothing an unauthenticated client sends is kept").isTrue();
        assertThat(entry.path("requestBytes").asLong()).isEqualTo("{\"userName\":\"x\"}".length());
        assertThat(json(entry.path("responseBody").asText()).path("status").asText()).isEqualTo("401");
        assertThat(admin.send("GET", "/workspaces/default/requests?requestId=" + requestId, null).body())
                .doesNotContain(requestId);
    }

    /**
     * A request Jetty answers itself before any route runs is a request to the SCIM API all the same:
     * logged under no workspace, with the id it was answered with.
     */
    @Test
    void aRequestRefusedBeforeAnyRouteRanIsLoggedUnderNoWorkspace() {
        AdminServer admin = AdminServer.shared();
        Map<String, String> refused = Map.of(
                "GET /api/scim/v2/Users/%FF HTTP/1.1\r\nHost: localhost\r\n", "400",
                "GET /api/scim/v2/Users HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + "p".repeat(40 * 1024) + "\r\n", "431");
        for (Map.Entry<String, String> request : refused.entrySet()) {
            String sent = "req-" + UUID.randomUUID();
            String head = request.getKey();
            int firstHeader = head.indexOf("\r\n") + 2;
            String answer = RawHttp.exchange(admin.port(), head.substring(0, firstHeader) + "X-Request-Id: " + sent
                    + "\r\n" + head.substring(firstHeader) + "Connection: close\r\n\r\n");
            assertThat(answer).startsWith("HTTP/1.1 " + request.getValue());
            // Headers too large are not read: such a request has a new id, which its answer gives.
            String requestId = answer.replaceFirst("(?s).*\r\nX-Request-Id: ([^\r]+)\r\n.*", "$1");
            if (request.getValue().equals("400")) {
                assertThat(requestId).isEqualTo(sent);
            }
            JsonNode found = LogWorkspace.await(() -> admin.send("GET", "/unattributed-requests?requestId=" + requestId,
                    null), 1).get(0);
            assertThat(found.path("status").asText()).isEqualTo(request.getValue());
            assertThat(found.path("method").asText()).isEqualTo("GET");
            assertThat(found.path("path").asText()).startsWith("/api/scim/v2/Users");
        }
    }

    /**
     * A body that stops short of its Content-Length is the client's doing: 400 with a SCIM error, never
     * a 500, and the request is logged like any other.
     */
    @Test
    void aBodyCutShortIs400AndLogged() {
        LogWorkspace workspace = new LogWorkspace("log-cut");
        for (String path : new String[] {"/Users", "/Bulk", "/Users/.search"}) {
            String requestId = "cut-" + UUID.randomUUID();
            String answer = RawHttp.exchangeThenStopSending(workspace.admin.port(), "POST /api/scim/v2" + path
                    + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + workspace.token + "\r\nContent-Type: "
                    + "application/scim+json\r\nX-Request-Id: " + requestId + "\r\nContent-Length: 100\r\n\r\n{\"a\":");
            assertThat(answer).as(path).startsWith("HTTP/1.1 400").contains("application/scim+json")
                    .contains("ended before it was complete");
            JsonNode entry = workspace.awaitItems("requestId=" + requestId, 1).get(0);
            assertThat(entry.path("status").asInt()).isEqualTo(400);
        }
    }

    @Test
    void aRefusedTokenRequestIsLoggedWithoutItsBodyToo() {
        AdminServer admin = AdminServer.shared();
        String requestId = "req-" + UUID.randomUUID();
        HttpResponse<String> refused = RunningServer.shared().send("POST", admin.url() + "/oauth2/token",
                "grant_type=client_credentials&client_id=scim_cli_nobody&client_secret=wrong",
                Map.of("Content-Type", "application/x-www-form-urlencoded", "X-Request-Id", requestId));
        assertThat(refused.statusCode()).isEqualTo(401);
        JsonNode found = LogWorkspace.await(() -> admin.send("GET", "/unattributed-requests?requestId=" + requestId,
                null), 1).get(0);
        JsonNode entry = json(admin.send("GET", "/unattributed-requests/" + found.path("id").asText(), null));
        assertThat(entry.path("requestBody").isNull()).as("refused before its credential passed").isTrue();
    }

    /** A client that authenticated and then asked for a grant it cannot have is its workspace's to see. */
    @Test
    void aTokenRequestRefusedAfterItsClientAuthenticatedIsLoggedInItsWorkspace() {
        LogWorkspace workspace = new LogWorkspace("log-grant");
        JsonNode client = json(workspace.admin.send("POST", "/workspaces/" + workspace.slug + "/oauth-clients",
                "{\"name\":\"entra\"}"));
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString((client.path("clientId").asText() + ":"
                + client.path("clientSecret").asText()).getBytes(StandardCharsets.UTF_8));
        String requestId = "req-" + UUID.randomUUID();
        HttpResponse<String> refused = RunningServer.shared().send("POST", workspace.admin.url() + "/oauth2/token",
                "grant_type=client_credentials&scope=openid", Map.of("Authorization", basic,
                        "Content-Type", "application/x-www-form-urlencoded", "X-Request-Id", requestId));
        assertThat(refused.statusCode()).isEqualTo(400);
        JsonNode entry = workspace.entryOf(requestId);
        assertThat(entry.path("status").asInt()).isEqualTo(400);
        assertThat(entry.path("credential").asText()).isEqualTo("oauth-client:entra");
        assertThat(entry.path("scimType").asText()).isEqualTo("invalid_scope");
    }

    /**
     * The router ignores a trailing slash, so /oauth2/token/ issues tokens as /oauth2/token does: it is
     * logged, with its body redacted as a form, and counted in the metrics as the token endpoint.
     */
    @Test
    void aTokenRequestToTheTokenPathWithATrailingSlashIsLoggedAsTheTokenEndpoint() {
        LogWorkspace workspace = new LogWorkspace("log-token-slash");
        JsonNode client = json(workspace.admin.send("POST", "/workspaces/" + workspace.slug + "/oauth-clients",
                "{\"name\":\"entra\"}"));
        String requestId = "req-" + UUID.randomUUID();
        double tokensBefore = issuedTokens(workspace);
        HttpResponse<String> issued = RunningServer.shared().send("POST", workspace.admin.url() + "/oauth2/token/",
                "grant_type=client_credentials&client_id=" + client.path("clientId").asText() + "&client_secret="
                        + client.path("clientSecret").asText(),
                Map.of("Content-Type", "application/x-www-form-urlencoded", "X-Request-Id", requestId));
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
        JsonNode entry = workspace.entryOf(requestId);
        assertThat(entry.path("path").asText()).isEqualTo("/oauth2/token/");
        assertThat(entry.path("credential").asText()).isEqualTo("oauth-client:entra");
        assertThat(entry.path("requestBody").asText()).contains("client_secret=%5BREDACTED%5D")
                .doesNotContain(client.path("clientSecret").asText());
        assertThat(entry.path("responseBody").asText()).doesNotContain(json(issued).path("access_token").asText());
        assertThat(issuedTokens(workspace)).isEqualTo(tokensBefore + 1);
    }

    /** The token endpoint's successful answers the metrics count, in every workspace. */
    private static double issuedTokens(LogWorkspace workspace) {
        return RunningServer.shared().send("GET", workspace.admin.url() + "/metrics", null, Map.of()).body().lines()
                .filter(line -> line.startsWith("scim_requests_seconds_count{") && line.contains("operation=\"token\"")
                        && line.contains("status=\"2xx\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    /** A stale write refused with 412 keeps its If-Match, so that sending it again stays conditional. */
    @Test
    void anEntryKeepsTheRequestsPreconditions() {
        LogWorkspace workspace = new LogWorkspace("log-preconditions");
        HttpResponse<String> created = workspace.scim("POST", "/Users", "{\"userName\":\"conditional@example.com\"}",
                null);
        String id = json(created).path("id").asText();
        String stale = "req-" + UUID.randomUUID();
        HttpResponse<String> refused = workspace.scim("PATCH", "/Users/" + id, "{\"schemas\":[\"urn:ietf:params:scim:"
                + "api:messages:2.0:PatchOp\"],\"Operations\":[{\"op\":\"replace\",\"path\":\"active\",\"value\":false}]}",
                stale, Map.of("If-Match", "W/\"999\""));
        assertThat(refused.statusCode()).isEqualTo(412);
        String read = "req-" + UUID.randomUUID();
        workspace.scim("GET", "/Users/" + id, null, read, Map.of("If-None-Match", "W/\"1\", W/\"2\""));

        // A write's If-None-Match reaches the server apart from the framework's headers (JettyHardening): kept too.
        String named = "req-" + UUID.randomUUID();
        assertThat(workspace.scim("DELETE", "/Users/" + id, null, named, Map.of("If-None-Match", "W/\"1\"")).statusCode())
                .isEqualTo(412);

        JsonNode refusedEntry = workspace.entryOf(stale);
        assertThat(refusedEntry.path("ifMatch").asText()).isEqualTo("W/\"999\"");
        assertThat(refusedEntry.path("ifNoneMatch").isNull()).isTrue();
        assertThat(workspace.entryOf(named).path("ifNoneMatch").asText()).isEqualTo("W/\"1\"");
        assertThat(workspace.entryOf(read).path("ifNoneMatch").asText()).isEqualTo("W/\"1\", W/\"2\"");
        // A client may send anything there: secrets are withheld as everywhere else in an entry.
        String odd = "req-" + UUID.randomUUID();
        workspace.scim("GET", "/Users/" + id, null, odd, Map.of("If-None-Match", "\"" + RunningServer.TOKEN + "\"",
                "If-Match", "\"scim_tok_0123456789abcdef\""));
        JsonNode oddEntry = workspace.entryOf(odd);
        assertThat(oddEntry.path("ifNoneMatch").asText()).isEqualTo("\"[REDACTED]\"");
        assertThat(oddEntry.path("ifMatch").asText()).isEqualTo("[REDACTED]");
    }

    /** What the console's overview charts and its log page counts, the administration API answers too. */
    @Test
    void theRatesAndTheLogsLossesAreTheApisToo() {
        LogWorkspace workspace = new LogWorkspace("log-rates");
        String found = "req-" + UUID.randomUUID();
        String missing = "req-" + UUID.randomUUID();
        assertThat(workspace.scim("GET", "/Users?count=1", null, found).statusCode()).isEqualTo(200);
        assertThat(workspace.scim("GET", "/Users/" + UUID.randomUUID(), null, missing).statusCode()).isEqualTo(404);
        workspace.entryOf(found);
        workspace.entryOf(missing);

        JsonNode rates = json(workspace.admin.send("GET", "/workspaces/" + workspace.slug + "/request-rates", null));
        JsonNode minutes = rates.path("minutes");
        assertThat(minutes).hasSize(1440);
        Instant last = Instant.parse(minutes.get(1439).path("minute").asText());
        assertThat(last).isBetween(Instant.now().minusSeconds(120), Instant.now());
        assertThat(Instant.parse(minutes.get(0).path("minute").asText())).isEqualTo(last.minusSeconds(1439 * 60));
        long requests = 0;
        long clientErrors = 0;
        for (JsonNode minute : minutes) {
            requests += minute.path("requests").asLong();
            clientErrors += minute.path("clientErrors").asLong();
        }
        assertThat(rates.path("requests").asLong()).isEqualTo(requests).isGreaterThanOrEqualTo(2);
        assertThat(rates.path("clientErrors").asLong()).isEqualTo(clientErrors).isGreaterThanOrEqualTo(1);
        assertThat(rates.path("serverErrors").asLong()).isZero();

        JsonNode state = json(workspace.admin.send("GET", "/provisioning-log", null));
        for (String figure : new String[] {"bodiesDropped", "entriesDropped", "entriesLost", "waiting"}) {
            assertThat(state.path(figure).isIntegralNumber()).as(figure).isTrue();
            assertThat(state.path(figure).asLong()).as(figure).isNotNegative();
        }
        AdminServer.assertProblem(workspace.admin.send("GET", "/workspaces/no-such-workspace/request-rates", null), 404);
    }

    @Test
    void aBodyRefusedAsTooLargeIsLoggedWithItsSizeAndWithoutIt() {
        LogWorkspace workspace = new LogWorkspace("log-large");
        String body = "{\"userName\":\"" + "x".repeat(1024 * 1024 + 10) + "\"}";
        String requestId = "req-" + UUID.randomUUID();
        assertThat(workspace.scim("POST", "/Users", body, requestId).statusCode()).isEqualTo(413);
        JsonNode entry = workspace.entryOf(requestId);
        assertThat(entry.path("status").asInt()).isEqualTo(413);
        assertThat(entry.path("requestBytes").asLong()).isEqualTo(body.length());
        assertThat(entry.path("requestBody").isNull()).isTrue();
    }

    @Test
    void aBodyOver64KiBIsCutWithAMark() {
        LogWorkspace workspace = new LogWorkspace("log-cut");
        StringBuilder bulk = new StringBuilder("{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:BulkRequest\"],"
                + "\"Operations\":[");
        for (int i = 0; i < 400; i++) {
            bulk.append(i == 0 ? "" : ",").append("{\"method\":\"POST\",\"path\":\"/Users\",\"bulkId\":\"u").append(i)
                    .append("\",\"data\":{\"schemas\":[\"").append(USER).append("\"],\"userName\":\"cut-").append(i)
                    .append('-').append(UUID.randomUUID()).append("@example.com\",\"displayName\":\"")
                    .append("x".repeat(100)).append("\"}}");
        }
        String body = bulk.append("]}").toString();
        assertThat(body.length()).isGreaterThan(64 * 1024);
        String requestId = "req-" + UUID.randomUUID();
        HttpResponse<String> answered = workspace.scim("POST", "/Bulk", body, requestId);
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
        JsonNode entry = workspace.entryOf(requestId);
        String logged = entry.path("requestBody").asText();
        assertThat(entry.path("requestBytes").asLong()).isEqualTo(body.length());
        assertThat(logged).endsWith("\n[cut at 64 KiB: the body had " + body.length() + " bytes]");
        assertThat(logged.substring(0, logged.lastIndexOf('\n')).getBytes(StandardCharsets.UTF_8)).hasSize(64 * 1024);
        assertThat(body).startsWith(logged.substring(0, 1000));
    }
}
