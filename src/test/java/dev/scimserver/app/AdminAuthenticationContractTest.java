package dev.scimserver.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import static dev.scimserver.app.AdminServer.assertProblem;
import static dev.scimserver.app.ScimAssertions.assertScimError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who gets into the administration API: nobody without {@code SCIM_ADMIN_TOKEN}, only its bearer with
 * it, and a guesser runs into the same failed-authentication throttle as on the SCIM side.
 */
class AdminAuthenticationContractTest {
    private static final String[] PATHS = {"/workspaces", "/workspaces/default", "/workspaces/default/credentials",
        "/workspaces/default/oauth-clients", "/workspaces/default/summary", "/openapi.json", "/no-such-thing"};
    private final AdminServer admin = AdminServer.shared();

    private static Map<String, String> authorization(String value) {
        return Map.of("Authorization", value);
    }

    @Test
    void withoutAnAdminTokenEveryAdministrationPathIs404() {
        Map<String, String> env = new HashMap<>(Map.of("SCIM_ENABLED", "true", "SCIM_HEADER_AUTH_TOKEN",
                RunningServer.TOKEN, "PORT", "0", "DATABASE_URL", RunningServer.shared().jdbcUrl()));
        for (String unset : new String[] {null, "", "   "}) {
            if (unset != null) {
                env.put("SCIM_ADMIN_TOKEN", unset);
            }
            try (ScimServer server = ScimServer.start(Config.from(env))) {
                String base = "http://localhost:" + server.port();
                for (String path : PATHS) {
                    for (String auth : new String[] {"Bearer " + AdminServer.ADMIN_TOKEN, "Bearer " + unset,
                        "Bearer " + RunningServer.TOKEN}) {
                        HttpResponse<String> response = RunningServer.shared().send("GET", base + "/api/admin/v1" + path,
                                null, authorization(auth));
                        assertThat(assertProblem(response, 404).path("detail").asText()).contains("SCIM_ADMIN_TOKEN");
                    }
                }
                assertProblem(RunningServer.shared().send("DELETE", base + "/API/Admin/v1/workspaces/x", null, Map.of()),
                        404);
                assertThat(RunningServer.shared().send("GET", base + "/api/scim/v2/Users?count=1", null,
                        authorization("Bearer " + RunningServer.TOKEN)).statusCode()).isEqualTo(200);
            }
        }
    }

    @Test
    void onlyTheAdminTokenAsBearerOpensTheApi() {
        for (String path : PATHS) {
            assertUnauthorized(admin.send("GET", path, null, Map.of()));
        }
        assertUnauthorized(admin.send("GET", "/workspaces/../../scim/v2/Users", null, Map.of()));
        assertUnauthorized(RunningServer.shared().send("GET", admin.url() + "/API/ADMIN/V1/WORKSPACES", null, Map.of()));
        for (String disguised : new String[] {"/api/%61dmin/v1/workspaces", "/api//admin/v1/workspaces",
            "/api/./admin/v1/workspaces", "/api/scim/../admin/v1/workspaces", "/api/admin/v1/workspaces;x=y"}) {
            HttpResponse<String> response = RunningServer.shared().send("GET", admin.url() + disguised, null, Map.of());
            assertThat(response.statusCode()).as(disguised + ": " + response.body()).isIn(400, 401, 404);
            assertThat(response.body()).as(disguised).doesNotContain("\"items\"");
        }
        String basic = "Basic " + Base64.getEncoder().encodeToString(("admin:" + AdminServer.ADMIN_TOKEN).getBytes());
        // Wrong guesses spend the address's attempts: on a server of its own, so the shared one keeps its budget.
        try (ScimServer server = AdminServer.start(Map.of())) {
            String workspaces = "http://localhost:" + server.port() + "/api/admin/v1/workspaces";
            for (String wrong : new String[] {"Bearer wrong", "Bearer ", AdminServer.ADMIN_TOKEN, basic,
                "Bearer " + AdminServer.ADMIN_TOKEN + "x", "Bearer " + RunningServer.TOKEN,
                RunningServer.shared().basicAuthorization()}) {
                assertUnauthorized(RunningServer.shared().send("GET", workspaces, null, authorization(wrong)));
            }
            assertThat(RunningServer.shared().send("GET", workspaces, null,
                    authorization("bEaReR " + AdminServer.ADMIN_TOKEN)).statusCode()).isEqualTo(200);
            // The admin token is no SCIM credential.
            assertScimError(RunningServer.shared().send("GET", "http://localhost:" + server.port() + "/api/scim/v2/Users",
                    null, authorization("Bearer " + AdminServer.ADMIN_TOKEN)), 401, null);
        }
    }

    private static void assertUnauthorized(HttpResponse<String> refused) {
        assertProblem(refused, 401);
        assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                challenge -> assertThat(challenge).startsWith("Bearer"));
        assertThat(refused.body()).doesNotContain(AdminServer.ADMIN_TOKEN);
    }

    @Test
    void failedAdminAuthenticationsCountInTheThrottleTheScimSideShares() {
        try (ScimServer server = AdminServer.start(Map.of())) {
            String base = "http://localhost:" + server.port();
            for (int i = 0; i < 20; i++) {
                assertProblem(RunningServer.shared().send("GET", base + "/api/admin/v1/workspaces", null,
                        authorization("Bearer wrong-" + i)), 401);
            }
            HttpResponse<String> throttled = RunningServer.shared().send("GET", base + "/api/admin/v1/workspaces", null,
                    authorization("Bearer wrong-again"));
            JsonNode problem = assertProblem(throttled, 429);
            assertThat(problem.path("detail").asText()).contains("too many failed authentications");
            assertThat(throttled.headers().firstValue("Retry-After")).hasValueSatisfying(
                    seconds -> assertThat(Long.parseLong(seconds)).isBetween(1L, 3L));
            // An address that never authenticated learns nothing, even from the right token.
            assertProblem(RunningServer.shared().send("GET", base + "/api/admin/v1/workspaces", null,
                    authorization("Bearer " + AdminServer.ADMIN_TOKEN)), 429);
            // One budget per address, whichever door it knocks on.
            assertScimError(RunningServer.shared().send("GET", base + "/api/scim/v2/Users", null,
                    authorization("Bearer " + RunningServer.TOKEN)), 429, null);
        }
    }

    @Test
    void aRightTokenSpendsNothingAndEveryAnswerHasARequestId() {
        try (ScimServer server = AdminServer.start(Map.of())) {
            String base = "http://localhost:" + server.port();
            for (int i = 0; i < 30; i++) {
                HttpResponse<String> response = RunningServer.shared().send("GET", base + "/api/admin/v1/workspaces",
                        null, authorization("Bearer " + AdminServer.ADMIN_TOKEN));
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.headers().firstValue("X-Request-Id")).isPresent();
            }
        }
    }
}
