package dev.scimserver.app;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** SCIM_ENABLED other than true: every SCIM path is a 404 that says so, whatever the credentials. */
class ProvisioningSwitchTest {

    @Test
    void disabledServerAnswers404OnEveryScimPath() throws Exception {
        try (ScimServer disabled = ScimServer.start(Config.from(Map.of(
                "SCIM_ENABLED", "false", "SCIM_HEADER_AUTH_TOKEN", "t", "PORT", "0",
                "DATABASE_URL", RunningServer.shared().jdbcUrl())))) {
            HttpClient http = HttpClient.newHttpClient();
            for (String path : new String[] {"/Users", "/Groups/x", "/ServiceProviderConfig", "/Anything"}) {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(
                                "http://localhost:" + disabled.port() + "/api/scim/v2" + path))
                        .header("Authorization", "Bearer t").build(), HttpResponse.BodyHandlers.ofString());
                ScimAssertions.assertScimError(response, 404, null);
                assertThat(response.body()).contains("disabled");
            }
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(
                    "http://localhost:" + disabled.port() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
        }
    }
}
