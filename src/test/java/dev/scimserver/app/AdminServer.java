package dev.scimserver.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server with administration on ({@code SCIM_ADMIN_TOKEN} set), on the shared test database, shared
 * by the administration tests of this JVM; the SCIM side keeps the shared test credentials.
 */
public final class AdminServer {
    public static final String ADMIN_TOKEN = "admin-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static AdminServer shared;

    private final ScimServer server;

    private AdminServer(ScimServer server) {
        this.server = server;
    }

    public static synchronized AdminServer shared() {
        if (shared == null) {
            shared = new AdminServer(start(Map.of()));
            Runtime.getRuntime().addShutdownHook(new Thread(shared.server::close));
        }
        return shared;
    }

    /** A server of its own (for a throttle of its own), administration on, with {@code extra} settings. */
    static ScimServer start(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.of(
                "SCIM_ENABLED", "true",
                "SCIM_BASIC_AUTH_USER", RunningServer.BASIC_USER,
                "SCIM_BASIC_AUTH_PASS", RunningServer.BASIC_PASSWORD,
                "SCIM_HEADER_AUTH_TOKEN", RunningServer.TOKEN,
                "SCIM_ADMIN_TOKEN", ADMIN_TOKEN,
                "PORT", "0",
                "DATABASE_URL", RunningServer.shared().jdbcUrl()));
        env.putAll(extra);
        return ScimServer.start(Config.from(env));
    }

    public int port() {
        return server.port();
    }

    /** {@code http://localhost:PORT}, without a trailing slash. */
    public String url() {
        return "http://localhost:" + port();
    }

    /** An admin request with the admin token; {@code path} is relative to {@code /api/admin/v1}. */
    public HttpResponse<String> send(String method, String path, String jsonBody) {
        return send(method, path, jsonBody, Map.of("Authorization", "Bearer " + ADMIN_TOKEN));
    }

    public HttpResponse<String> send(String method, String path, String jsonBody, Map<String, String> headers) {
        Map<String, String> all = new HashMap<>(headers);
        if (jsonBody != null) {
            all.putIfAbsent("Content-Type", "application/json");
        }
        return RunningServer.shared().send(method, url() + "/api/admin/v1" + path, jsonBody, all);
    }

    public static JsonNode json(HttpResponse<String> response) {
        return json(response.body());
    }

    public static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    /** A 204: no body, and no Content-Type naming a type for the content it does not have. */
    public static void assertNoContent(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
        assertThat(response.headers().firstValue("Content-Type")).isEmpty();
    }

    /** An RFC 9457 problem with this status, and its body. */
    public static JsonNode assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = json(response);
        assertThat(problem.path("type").isTextual()).isTrue();
        assertThat(problem.path("title").asText()).isNotBlank();
        assertThat(problem.path("status").isInt()).isTrue();
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("detail").asText()).isNotBlank();
        return problem;
    }
}
