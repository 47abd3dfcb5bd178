package dev.scimserver.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static dev.scimserver.app.ScimAssertions.assertScimError;
import static dev.scimserver.app.ScimAssertions.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a request means over HTTP, as RFC 9110 and RFC 7644 §3 and §8.1 say, where the web framework
 * under the server would decide otherwise: the method is the one sent, a 304 answers only a read, and
 * a body is read only as the JSON it says it is.
 */
class RequestSemanticsContractTest {
    private static final String PATCH_DISPLAY_NAME = "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
            + "\"Operations\":[{\"op\":\"replace\",\"path\":\"displayName\",\"value\":\"%s\"}]}";

    private final RunningServer server = RunningServer.shared();

    private String newUser() {
        HttpResponse<String> created = server.send("POST", "/Users", "{\"userName\":\"sem-" + UUID.randomUUID() + "\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        return json(created).path("id").asText();
    }

    /** The SCIM credential and {@code more} headers, as name, value pairs. */
    private Map<String, String> auth(String... more) {
        return headers(server.bearerAuthorization(), more);
    }

    /** The administrator's token and {@code more} headers, as name, value pairs. */
    private static Map<String, String> adminHeaders(String... more) {
        return headers("Bearer " + AdminServer.ADMIN_TOKEN, more);
    }

    private static Map<String, String> headers(String authorization, String... more) {
        Map<String, String> headers = new HashMap<>(Map.of("Authorization", authorization));
        for (int k = 0; k < more.length; k += 2) {
            headers.put(more[k], more[k + 1]);
        }
        return headers;
    }

    /** X-HTTP-Method-Override made a GET, a HEAD or an OPTIONS delete: any layer before the server saw a read. */
    @Test
    void aMethodOverrideIsRefusedAndChangesNothing() {
        String id = newUser();
        for (String method : new String[] {"GET", "HEAD", "OPTIONS", "POST"}) {
            HttpResponse<String> overridden = server.send(method, "/Users/" + id, method.equals("POST") ? "{}" : null,
                    auth("X-HTTP-Method-Override", "DELETE"));
            assertThat(overridden.statusCode()).as(method).isEqualTo(400);
            if (!method.equals("HEAD")) {
                assertThat(json(overridden).path("detail").asText()).as(method).contains("X-HTTP-Method-Override");
            }
            assertThat(server.send("GET", "/Users/" + id, null).statusCode()).as(method).isEqualTo(200);
        }
        HttpResponse<String> patch = server.send("GET", "/Users/" + id, PATCH_DISPLAY_NAME.formatted("overridden"),
                auth("X-HTTP-Method-Override", "PATCH"));
        assertThat(patch.statusCode()).isEqualTo(400);
        assertThat(json(server.send("GET", "/Users/" + id, null)).path("displayName").isMissingNode()).isTrue();
    }

    /** The refusal keeps the client's request id, on every door, and the log says why it was refused. */
    @Test
    void aMethodOverridesRefusalKeepsItsIdAndIsLoggedWithItsReason() {
        AdminServer admin = AdminServer.shared();
        String requestId = "override-" + UUID.randomUUID();
        HttpResponse<String> refused = RunningServer.shared().send("GET", admin.url() + "/api/scim/v2/Users", null,
                Map.of("Authorization", server.bearerAuthorization(), "X-HTTP-Method-Override", "DELETE",
                        "X-Request-Id", requestId));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.headers().firstValue("X-Request-Id")).hasValue(requestId);
        JsonNode entry = LogWorkspace.await(() -> admin.send("GET", "/unattributed-requests?requestId=" + requestId,
                null), 1).get(0);
        assertThat(entry.path("status").asInt()).isEqualTo(400);
        assertThat(entry.path("detail").asText()).contains("X-HTTP-Method-Override");
        HttpResponse<String> adminRefused = admin.send("GET", "/workspaces", null, adminHeaders("X-HTTP-Method-Override", "DELETE", "X-Request-Id", "admin-" + requestId));
        assertThat(adminRefused.headers().firstValue("X-Request-Id")).hasValue("admin-" + requestId);
    }

    @Test
    void anAdministrationRequestWithAMethodOverrideIsAProblemAndDeletesNothing() {
        AdminServer admin = AdminServer.shared();
        String slug = AdminWorkspacesContractTest.uniqueSlug("override");
        AdminWorkspacesContractTest.createWorkspace(admin, slug);
        HttpResponse<String> overridden = admin.send("GET", "/workspaces/" + slug, null, adminHeaders("X-HTTP-Method-Override", "DELETE"));
        AdminServer.assertProblem(overridden, 400);
        assertThat(admin.send("GET", "/workspaces/" + slug, null).statusCode()).isEqualTo(200);
        assertThat(admin.send("DELETE", "/workspaces/" + slug, null).statusCode()).isEqualTo(204);
    }

    /** RFC 9110 §15.4.5: a 304 answers a GET or HEAD; a write whose new tag If-None-Match named is applied and says so. */
    @Test
    void aWriteIsNeverAnswered304() {
        String id = newUser();
        HttpResponse<String> patched = server.send("PATCH", "/Users/" + id, PATCH_DISPLAY_NAME.formatted("second"),
                auth("If-None-Match", "W/\"2\""));
        assertThat(patched.statusCode()).isEqualTo(200);
        assertThat(patched.headers().firstValue("ETag")).hasValue("W/\"2\"");
        assertThat(json(patched).path("displayName").asText()).isEqualTo("second");

        HttpResponse<String> put = server.send("PUT", "/Users/" + id, "{\"userName\":\"" + json(patched).path("userName")
                .asText() + "\",\"displayName\":\"third\"}", auth("If-None-Match", "W/\"3\""));
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(json(put).path("displayName").asText()).isEqualTo("third");

        HttpResponse<String> created = server.send("POST", "/Users", "{\"userName\":\"sem-" + UUID.randomUUID() + "\"}",
                auth("If-None-Match", "W/\"1\""));
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(json(created).path("id").asText()).isNotEmpty();

        // The condition still holds where it names the version the write finds: 412, nothing written.
        assertScimError(server.send("PATCH", "/Users/" + id, PATCH_DISPLAY_NAME.formatted("fourth"),
                auth("If-None-Match", "W/\"3\"")), 412, null);
        assertThat(json(server.send("GET", "/Users/" + id, null)).path("displayName").asText()).isEqualTo("third");
    }

    /** RFC 9110 §13.2.2: If-Match is evaluated first; a failed one is 412 even when If-None-Match names the version. */
    @Test
    void aReadWhoseIfMatchFailsIs412NotNotModified() {
        String id = newUser();
        HttpResponse<String> both = server.send("GET", "/Users/" + id, null,
                auth("If-Match", "W/\"7\"", "If-None-Match", "W/\"1\""));
        assertScimError(both, 412, null);
        HttpResponse<String> notModified = server.send("GET", "/Users/" + id, null, auth("If-None-Match", "W/\"1\""));
        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(notModified.headers().firstValue("ETag")).hasValue("W/\"1\"");
    }

    /**
     * RFC 7644 §8.1: a body is application/scim+json (or application/json). One sent as text/plain, as a
     * form or without a type is what another site's page can make a browser send: refused, not created.
     */
    @Test
    void aBodyThatIsNotJsonByItsTypeIs415AndCreatesNothing() {
        for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data",
                "application/xml", "application/scim+json; charset=latin1", "application/json;charset=\"UTF-16\""}) {
            String userName = "type-" + UUID.randomUUID();
            HttpResponse<String> refused = server.send("POST", "/Users", "{\"userName\":\"" + userName + "\"}",
                    auth("Content-Type", type));
            assertScimError(refused, 415, null);
            assertThat(json(server.send("GET", "/Users?filter=" + ScimValues.enc("userName eq \"" + userName + "\""),
                    null)).path("totalResults").asInt()).as(type).isZero();
        }
        for (String type : new String[] {"application/scim+json", "application/json", "Application/SCIM+JSON",
                "application/json; charset=utf-8", "application/scim+json;charset=\"UTF-8\"", "application/json; charset=utf8",
                "application/json; charset=US-ASCII"}) {
            assertThat(server.send("POST", "/Users", "{\"userName\":\"type-" + UUID.randomUUID() + "\"}",
                    auth("Content-Type", type)).statusCode()).as(type).isEqualTo(201);
        }
        String untyped = RawHttp.exchange(server.port(), "POST /api/scim/v2/Users HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: " + server.bearerAuthorization() + "\r\nContent-Length: 22\r\nConnection: close\r\n\r\n"
                + "{\"userName\":\"nobody\"}");
        assertThat(untyped).startsWith("HTTP/1.1 415").contains("no Content-Type");
        // RFC 5789 §2.2: a PATCH refused for its type says which it takes.
        HttpResponse<String> patch = server.send("PATCH", "/Users/" + newUser(), PATCH_DISPLAY_NAME.formatted("x"),
                auth("Content-Type", "text/plain"));
        assertScimError(patch, 415, null);
        assertThat(patch.headers().firstValue("Accept-Patch")).hasValue("application/scim+json, application/json");
        // A request without a body is not asked for its type.
        assertThat(server.send("GET", "/Users?count=1", null, auth("Content-Type", "text/plain")).statusCode())
                .isEqualTo(200);
    }

    /** RFC 9112 §6.1: a transfer coding the server does not read is 501, not a body read as it came. */
    @Test
    void aBodyInATransferCodingOtherThanChunkedIs501() {
        String body = "{\"userName\":\"te-" + UUID.randomUUID() + "\"}";
        String chunk = Integer.toHexString(body.getBytes(StandardCharsets.UTF_8).length) + "\r\n" + body + "\r\n0\r\n\r\n";
        String head = "POST /api/scim/v2/Users HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
                + server.bearerAuthorization() + "\r\nContent-Type: application/scim+json\r\nConnection: close\r\n";
        assertThat(RawHttp.exchange(server.port(), head + "Transfer-Encoding: compress, chunked\r\n\r\n" + chunk))
                .startsWith("HTTP/1.1 501").contains("Transfer-Encoding");
        assertThat(RawHttp.exchange(server.port(), head + "Transfer-Encoding: chunked\r\n\r\n" + chunk))
                .startsWith("HTTP/1.1 201");
    }

    /** A client's request id that is a secret of the server's configuration is replaced, as a token-shaped one is. */
    @Test
    void aRequestIdHoldingAConfiguredSecretIsReplaced() {
        HttpResponse<String> answered = server.send("GET", "/Users?count=1", null,
                auth("X-Request-Id", RunningServer.TOKEN));
        assertThat(answered.statusCode()).isEqualTo(200);
        assertThat(answered.headers().firstValue("X-Request-Id")).isPresent().get().asString()
                .isNotEqualTo(RunningServer.TOKEN).doesNotContain(RunningServer.TOKEN);
        HttpResponse<String> plain = server.send("GET", "/Users?count=1", null, auth("X-Request-Id", "okta-abc.123"));
        assertThat(plain.headers().firstValue("X-Request-Id")).hasValue("okta-abc.123");
    }

    /** The role mappings evaluate If-None-Match as the users do: weakly on a read, and a write it names is 412. */
    @Test
    void roleMappingsAnswerIfNoneMatch() {
        AdminServer admin = AdminServer.shared();
        String slug = AdminWorkspacesContractTest.uniqueSlug("inm");
        AdminWorkspacesContractTest.createWorkspace(admin, slug);
        String path = "/workspaces/" + slug + "/role-mappings";
        HttpResponse<String> read = admin.send("GET", path, null);
        String tag = read.headers().firstValue("ETag").orElseThrow();
        for (String condition : new String[] {tag, "W/" + tag, "\"other\", " + tag, "*"}) {
            HttpResponse<String> again = admin.send("GET", path, null, adminHeaders("If-None-Match", condition));
            assertThat(again.statusCode()).as(condition).isEqualTo(304);
            assertThat(again.headers().firstValue("ETag")).as(condition).hasValue(tag);
        }
        assertThat(admin.send("GET", path, null, adminHeaders("If-None-Match", "\"other\"")).statusCode()).isEqualTo(200);
        String mappings = "[{\"group\":\"Admins\",\"role\":\"admin\"}]";
        for (String condition : new String[] {"*", tag}) {
            AdminServer.assertProblem(admin.send("PUT", path, mappings, adminHeaders("If-None-Match", condition)), 412);
        }
        assertThat(AdminServer.json(admin.send("GET", path, null))).isEmpty();
        HttpResponse<String> written = admin.send("PUT", path, mappings, adminHeaders("If-None-Match", "\"other\""));
        assertThat(written.statusCode()).isEqualTo(200);
        JsonNode stored = AdminServer.json(admin.send("GET", path, null));
        assertThat(stored.get(0).path("group").asText()).isEqualTo("Admins");
        assertThat(admin.send("DELETE", "/workspaces/" + slug, null).statusCode()).isEqualTo(204);
    }
}
