package dev.scimserver.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimserver.access.AuthorizationServerUrls;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.scimserver.app.ScimAssertions.assertScimError;
import static dev.scimserver.app.ScimAssertions.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Every limit on what a client sends, over real HTTP: each a SCIM error with the right status, never a 500. */
class HostileInputLimitsTest {
    private static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    private final RunningServer server = RunningServer.shared();

    private String newGroup() {
        HttpResponse<String> created = server.send("POST", "/Groups",
                "{\"displayName\":\"limits-" + UUID.randomUUID() + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json(created).path("id").asText();
    }

    @Test
    void bodiesOverOneMebibyteAre413WhetherDeclaredOrChunked() {
        String big = "{\"userName\":\"big@example.com\",\"displayName\":\"" + "x".repeat(1024 * 1024) + "\"}";
        assertScimError(server.send("POST", "/Users", big), 413, null);
        // Without Content-Length the limit still holds: the body arrives chunked.
        HttpRequest chunked = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/Users"))
                .header("Authorization", server.bearerAuthorization()).header("Content-Type", "application/scim+json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8)))).build();
        HttpResponse<String> response = send(chunked);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
        assertScimError(response, 413, null);
    }

    /**
     * RFC 9110 §10.1.1: a client that sends {@code Expect: 100-continue} waits for the go-ahead before
     * it uploads. A body declared over a door's limit is refused at once, without it; one within the
     * limit gets the go-ahead (which tells this probe apart from one that never asks).
     */
    @Test
    void aBodyDeclaredOverTheLimitIsRefusedBeforeTheClientSendsIt() {
        AdminServer admin = AdminServer.shared();
        String scim = "Authorization: " + server.bearerAuthorization() + "\r\nContent-Type: application/scim+json";
        String json = "Authorization: Bearer " + AdminServer.ADMIN_TOKEN + "\r\nContent-Type: application/json";
        String form = "Authorization: Basic eDp5\r\nContent-Type: application/x-www-form-urlencoded";
        assertThat(waitingFor(server.port(), "POST /api/scim/v2/Users", scim, 1024 * 1024 + 1)).contains(" 413 ");
        assertThat(waitingFor(server.port(), "POST /api/scim/v2/Users", scim, 1024)).contains(" 100 ");
        assertThat(waitingFor(server.port(), "PUT /api/scim/v2/Groups/" + UUID.randomUUID(), scim, 1024 * 1024 + 1))
                .contains(" 413 ");
        assertThat(waitingFor(server.port(), "POST /api/scim/v2/Bulk", scim, 4 * 1024 * 1024 + 1)).contains(" 413 ");
        assertThat(waitingFor(admin.port(), "POST /api/admin/v1/workspaces", json, 64 * 1024 + 1)).contains(" 413 ");
        assertThat(waitingFor(admin.port(), "POST /api/admin/v1/workspaces", json, 64)).contains(" 100 ");
        assertThat(waitingFor(admin.port(), "POST /oauth2/token", form, 16 * 1024 + 1)).contains(" 400 ");
        assertThat(waitingFor(admin.port(), "POST /admin/login", form, 4 * 1024 * 1024 + 1)).contains(" 413 ");
    }

    /**
     * A body no endpoint reads (a GET's, one refused before it is read, by the credential's rate limit
     * too) is never asked for: the log keeps what the endpoint read and reads nothing itself, which
     * would send the go-ahead.
     */
    @Test
    void aBodyNoEndpointReadsIsNeverAskedFor() {
        String scim = "Authorization: " + server.bearerAuthorization() + "\r\nContent-Type: application/scim+json";
        assertThat(waitingFor(server.port(), "GET /api/scim/v2/Users?count=1", scim, 20)).contains(" 200 ");
        assertThat(waitingFor(server.port(), "PUT /api/scim/v2/Users/.search", scim, 20)).contains(" 405 ");
        assertThat(waitingFor(server.port(), "DELETE /api/scim/v2/Users/" + UUID.randomUUID(), scim, 20))
                .contains(" 404 ");
    }

    private static String waitingFor(int port, String requestLine, String headers, long declaredLength) {
        return RawHttp.firstStatusLine(port, requestLine + " HTTP/1.1\r\nHost: localhost\r\n" + headers
                + "\r\nContent-Length: " + declaredLength + "\r\nExpect: 100-continue\r\n\r\n");
    }

    @Test
    void jsonNestedDeeperThanThirtyTwoIsInvalidSyntax() {
        String deep = "{\"userName\":\"deep@example.com\",\"x\":" + "[".repeat(40) + "]".repeat(40) + "}";
        assertScimError(server.send("POST", "/Users", deep), 400, "invalidSyntax");
        String deeper = "[".repeat(100_000) + "]".repeat(100_000);
        HttpResponse<String> refused = server.send("POST", "/Users", deeper);
        assertScimError(refused, 400, "invalidSyntax");
        assertThat(json(refused).path("detail").asText()).contains("deeper than 32 levels");
    }

    @Test
    void stringsLongerThanSixtyFourKibibytesAreInvalidSyntax() {
        String body = "{\"userName\":\"" + "a".repeat(64 * 1024 + 1) + "\"}";
        HttpResponse<String> refused = server.send("POST", "/Users", body);
        assertScimError(refused, 400, "invalidSyntax");
        // Valid JSON past a limit: the answer says which, not that the body is no JSON.
        assertThat(json(refused).path("detail").asText()).startsWith("the body holds a string longer than 65536 UTF-16")
                .doesNotContain("not valid JSON");
        String digits = "{\"userName\":\"n@example.com\",\"x\":" + "9".repeat(1_001) + "}";
        assertThat(json(server.send("POST", "/Users", digits)).path("detail").asText())
                .startsWith("the body holds a number of more than 1000 digits");
    }

    @Test
    void attributeNamesLongerThanTheLimitAreRefused() {
        HttpResponse<String> longNamed = server.send("POST", "/Users", "{\"userName\":\"n@example.com\",\""
                + "n".repeat(2_000) + "\":1}");
        assertScimError(longNamed, 400, "invalidSyntax");
        assertThat(json(longNamed).path("detail").asText())
                .isEqualTo("the body holds an attribute name longer than 1024 bytes of UTF-8");
        // The parser measures a name in bytes: 600 two-byte letters are past the limit.
        HttpResponse<String> wide = server.send("POST", "/Users", "{\"userName\":\"w@example.com\",\""
                + "\u00e9".repeat(600) + "\":1}");
        assertThat(json(wide).path("detail").asText()).startsWith("the body holds an attribute name longer than 1024 bytes");
        String longName = "a".repeat(3_000);
        HttpResponse<String> filter = server.send("GET", "/Users?filter="
                + URLEncoder.encode(longName + " eq \"x\"", StandardCharsets.UTF_8), null);
        assertThat(filter.statusCode()).as(filter.body()).isEqualTo(400);
        assertScimError(filter, 400, json(filter).path("scimType").asText(null));
        HttpResponse<String> attributes = server.send("GET", "/Users?attributes=" + longName, null);
        assertThat(attributes.statusCode()).as(attributes.body()).isIn(200, 400);
        String patch = "{\"schemas\":[\"" + PATCH_OP + "\"],\"Operations\":[{\"op\":\"add\",\"path\":\""
                + longName + "\",\"value\":\"x\"}]}";
        HttpResponse<String> patched = server.send("PATCH", "/Groups/" + newGroup(), patch);
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(400);
        assertScimError(patched, 400, json(patched).path("scimType").asText(null));
    }

    @Test
    void moreThanAThousandPatchOperationsAreTooMany() {
        StringBuilder ops = new StringBuilder();
        for (int i = 0; i <= 1000; i++) {
            ops.append(i == 0 ? "" : ",").append("{\"op\":\"replace\",\"path\":\"displayName\",\"value\":\"v").append(i)
                    .append("\"}");
        }
        String body = "{\"schemas\":[\"" + PATCH_OP + "\"],\"Operations\":[" + ops + "]}";
        assertScimError(server.send("PATCH", "/Groups/" + newGroup(), body), 413, "tooMany");
    }

    @Test
    void moreThanTenThousandMembersInOneRequestAre413() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i <= 10_000; i++) {
            ids.add(UUID.randomUUID().toString());
        }
        String groupId = newGroup();
        assertScimError(server.send("PATCH", "/Groups/" + groupId, TestPopulation.membersPatch("add", ids)), 413, null);
        String members = TestPopulation.membersPatch("add", ids);
        String array = members.substring(members.indexOf("\"value\":[") + 8, members.length() - 3);
        assertScimError(server.send("POST", "/Groups", "{\"displayName\":\"too-many-" + UUID.randomUUID()
                + "\",\"members\":" + array + "}"), 413, null);
        assertScimError(server.send("PUT", "/Groups/" + groupId, "{\"displayName\":\"too-many-" + UUID.randomUUID()
                + "\",\"members\":" + array + "}"), 413, null);
        // The members of a path-less value or of a body may come under the core schema's URN: counted there too.
        String core = "{\"urn:ietf:params:scim:schemas:core:2.0:Group\":{\"members\":" + array + "}}";
        assertScimError(server.send("PATCH", "/Groups/" + groupId, "{\"schemas\":[\"urn:ietf:params:scim:api:messages:"
                + "2.0:PatchOp\"],\"Operations\":[{\"op\":\"add\",\"value\":" + core + "}]}"), 413, null);
        assertScimError(server.send("PUT", "/Groups/" + groupId, "{\"displayName\":\"too-many-" + UUID.randomUUID()
                + "\"," + core.substring(1)), 413, null);
        // Ten thousand exactly is within the limit; those ids name nobody, so it fails for that reason.
        assertScimError(server.send("PATCH", "/Groups/" + groupId,
                TestPopulation.membersPatch("add", ids.subList(0, 10_000))), 400, "invalidValue");
    }

    @Test
    void filtersOverTheLengthOrDepthLimitAreInvalidFilter() {
        String longFilter = "userName eq \"" + "a".repeat(4_100) + "\"";
        assertScimError(server.send("GET", "/Users?filter=" + URLEncoder.encode(longFilter, StandardCharsets.UTF_8),
                null), 400, "invalidFilter");
        String deepFilter = "(".repeat(70) + "userName eq \"a\"" + ")".repeat(70);
        assertScimError(server.send("GET", "/Users?filter=" + URLEncoder.encode(deepFilter, StandardCharsets.UTF_8),
                null), 400, "invalidFilter");
        StringBuilder notChain = new StringBuilder();
        for (int i = 0; i < 70; i++) {
            notChain.append("not (");
        }
        notChain.append("userName pr").append(")".repeat(70));
        assertScimError(server.send("GET", "/Users?filter="
                + URLEncoder.encode(notChain.toString(), StandardCharsets.UTF_8), null), 400, "invalidFilter");
    }

    @Test
    void aFilterAtTheLengthLimitFullyPercentEncodedStillFitsTheHeaderLimit() {
        String filter = "userName eq \"" + "é".repeat(4_000) + "\"";
        HttpResponse<String> response = server.send("GET", "/Users?count=1&filter="
                + URLEncoder.encode(filter, StandardCharsets.UTF_8), null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    /**
     * RFC 8259 §8.1: JSON between systems is UTF-8. An overlong form (C0 AF, a '/') is no UTF-8, and a
     * body in UTF-16 is not either: each is refused rather than read as other characters.
     */
    @Test
    void aBodyThatIsNotUtf8Is400() {
        String overlong = "{\"userName\":\"a\u00c0\u00afb@example.com\"}";
        StringBuilder utf16 = new StringBuilder();
        for (char c : "{\"userName\":\"w@example.com\"}".toCharArray()) {
            utf16.append('\u0000').append(c);
        }
        for (String body : new String[] {overlong, utf16.toString(), "{\"userName\":\"x\u00f4\u0090\u0080\u0080\"}"}) {
            String answer = RawHttp.exchange(server.port(), "POST /api/scim/v2/Users HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: " + server.bearerAuthorization() + "\r\nContent-Type: application/scim+json\r\n"
                    + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body);
            assertThat(answer).as(body).startsWith("HTTP/1.1 400").contains("invalidSyntax").contains("not UTF-8");
        }
        // A byte order mark before UTF-8 is still UTF-8.
        String bom = "\u00ef\u00bb\u00bf{\"userName\":\"bom-" + UUID.randomUUID() + "@example.com\"}";
        assertThat(RawHttp.exchange(server.port(), "POST /api/scim/v2/Users HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: " + server.bearerAuthorization() + "\r\nContent-Type: application/scim+json\r\n"
                + "Content-Length: " + bom.length() + "\r\nConnection: close\r\n\r\n" + bom)).startsWith("HTTP/1.1 201");
    }

    /** A number whose exponent no decimal holds is a syntax the server cannot read, not a failure of its own. */
    @Test
    void aNumberBeyondAnyDecimalIs400() {
        assertScimError(server.send("POST", "/Users", "{\"userName\":1e9999999999}"), 400, "invalidSyntax");
        assertScimError(server.send("POST", "/Users/.search", "{\"count\":-1e9999999999}"), 400, "invalidSyntax");
    }

    @Test
    void countIsCappedNotRefused() {
        JsonNode page = json(server.send("GET", "/Users?count=2147483647999", null));
        assertThat(page.path("itemsPerPage").asInt()).isLessThanOrEqualTo(1000);
        assertThat(server.send("GET", "/Users?count=-5", null).statusCode()).isEqualTo(200);
        assertScimError(server.send("GET", "/Users?count=many", null), 400, "invalidValue");
    }

    @Test
    void headersOverThirtyTwoKibibytesAre431WithAScimError() throws IOException {
        String response = RawHttp.exchange(server.port(), "GET /api/scim/v2/Users HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
                + server.bearerAuthorization() + "\r\nX-Padding: " + "p".repeat(40 * 1024) + "\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 431");
        assertThat(response).containsIgnoringCase("Content-Type: application/scim+json");
        assertThat(response).contains("\"urn:ietf:params:scim:api:messages:2.0:Error\"").contains("\"status\":\"431\"");
    }

    @Test
    void aMalformedRequestLineIsAScimErrorNotHtml() throws IOException {
        String response = RawHttp.exchange(server.port(), "GET /api/scim/v2/Users?filter=a b HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 400");
        assertThat(response).doesNotContainIgnoringCase("<html").containsIgnoringCase("\r\nX-Request-Id: ");
    }

    /**
     * RFC 9112 section 9.6: a server that closes the connection after an answer says so in it. Jetty
     * closes after a path it cannot take (a NUL in it, a malformed escape); a client told nothing sent
     * its next request on the closed connection and got no answer to it.
     */
    @Test
    void anAnswerAfterWhichTheServerClosesTheConnectionSaysSo() {
        for (String path : new String[] {"/api/scim/v2/Users/%00", "/api/scim/v2/Users/%zz", "/admin/%00"}) {
            RawHttp.ClosedOrNot exchange = RawHttp.closesAfter(server.port(), "GET " + path + " HTTP/1.1\r\n"
                    + "Host: localhost\r\nAuthorization: " + server.bearerAuthorization() + "\r\n\r\n");
            assertThat(exchange.answer()).as(path).startsWith("HTTP/1.1 400")
                    .containsIgnoringCase("\r\nConnection: close\r\n").containsIgnoringCase("\r\nX-Request-Id: ");
            assertThat(exchange.closed()).as(path).isTrue();
        }
        RawHttp.ClosedOrNot kept = RawHttp.closesAfter(server.port(), "GET /api/scim/v2/Users/" + UUID.randomUUID()
                + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + server.bearerAuthorization() + "\r\n\r\n");
        assertThat(kept.answer()).startsWith("HTTP/1.1 404").doesNotContainIgnoringCase("Connection: close");
        assertThat(kept.closed()).as("a 404 keeps the connection").isFalse();
    }

    @Test
    void aChunkedTokenRequestOverSixteenKibibytesIsRefusedWithoutWaitingForItsEnd() throws IOException {
        // Anyone may send to the token endpoint before a secret is checked: it reads no more than its
        // limit allows, so a client that stalls mid-body holds no more than that, and gets its answer.
        String chunk = "a".repeat(20 * 1024);
        String response = RawHttp.exchange(server.port(), "POST " + AuthorizationServerUrls.TOKEN_PATH + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n");
        assertThat(response).startsWith("HTTP/1.1 400");
        assertThat(response).contains("\"error\":\"invalid_request\"").contains("too large");
    }

    /**
     * A declared body over the token endpoint's 16 KiB is read to its end before the refusal: answered
     * and closed while the client still sends, its TCP stack may drop the answer for a reset.
     */
    @Test
    void aTokenRequestWithALargeDeclaredBodyGetsItsAnswerWhole() {
        String body = "grant_type=client_credentials&x=" + "a".repeat(100 * 1024);
        String response = RawHttp.exchange(server.port(), "POST " + AuthorizationServerUrls.TOKEN_PATH
                + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "
                + body.length() + "\r\nConnection: close\r\n\r\n" + body);
        assertThat(response).startsWith("HTTP/1.1 400");
        assertThat(response).contains("\"error\":\"invalid_request\"").contains("too large");
    }

    @Test
    void aQueryWithAMalformedEscapeIsRefusedNotReadWithoutTheParameter() throws IOException {
        // The framework drops a parameter it cannot decode: a lookup by userName would have listed
        // every user, which an IdP takes for "this user exists".
        for (String query : new String[] {"filter=userName%20eq%20%22nobody%22%ZZ", "filter=userName%20eq%20%2",
                "count=1&filter=%"}) {
            String response = RawHttp.get(server.port(), "/api/scim/v2/Users?" + query,
                    "Authorization: " + server.bearerAuthorization());
            assertThat(response).as(query).startsWith("HTTP/1.1 400").contains("percent").doesNotContain("Resources");
        }
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
