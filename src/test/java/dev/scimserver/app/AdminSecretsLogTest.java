package dev.scimserver.app;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.scimserver.app.AdminServer.json;
import static dev.scimserver.app.AdminWorkspacesContractTest.uniqueSlug;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An administration session with every log line captured (our loggers at TRACE): neither the admin
 * token, nor a wrong guess at it, nor a secret the API made appears in any of them.
 */
class AdminSecretsLogTest {
    @RegisterExtension
    final CapturedLogs logs = new CapturedLogs();

    @Test
    void anAdministrationSessionLogsNoSecret() {
        List<String> secrets = new ArrayList<>(List.of(AdminServer.ADMIN_TOKEN));
        try (ScimServer server = AdminServer.start(Map.of())) {
            String base = "http://localhost:" + server.port() + "/api/admin/v1";
            String slug = uniqueSlug("logged");
            send(base, "POST", "/workspaces", "{\"name\":\"Logged\",\"slug\":\"" + slug + "\"}");
            // Enough wrong guesses for the throttle to log that it throttles this address.
            for (int i = 0; i <= 20; i++) {
                String guess = "Wrong-Admin-Guess-" + i + "-0123456789";
                secrets.add(guess);
                RunningServer.shared().send("GET", base + "/workspaces", null, Map.of("Authorization", "Bearer " + guess));
            }
            secrets.add(json(send(base, "POST", "/workspaces/" + slug + "/credentials", "{\"name\":\"okta\"}"))
                    .path("token").asText());
            JsonNode client = json(send(base, "POST", "/workspaces/" + slug + "/oauth-clients", "{\"name\":\"entra\"}"));
            secrets.add(client.path("clientSecret").asText());
            secrets.add(json(send(base, "POST", "/workspaces/" + slug + "/oauth-clients/" + client.path("id").asText()
                    + "/secrets", "{}")).path("clientSecret").asText());
            // A webhook secret is shown once, like the others, and logged nowhere.
            secrets.add(json(send(base, "POST", "/workspaces/" + slug + "/subscriptions",
                    "{\"url\":\"https://receiver.invalid/hook\",\"format\":\"webhook\"}")).path("secret").asText());
            send(base, "POST", "/workspaces/" + slug + "/credentials", "{\"name\":\"bad\",\"expiresAt\":\"yesterday\"}");
            send(base, "GET", "/workspaces/" + slug + "/summary", null);
            send(base, "DELETE", "/workspaces/" + slug, null);
        }

        assertThat(secrets).allSatisfy(secret -> assertThat(secret).hasSizeGreaterThan(20));
        assertThat(logs.list()).extracting(ILoggingEvent::getFormattedMessage)
                .anySatisfy(line -> assertThat(line).contains("administration: on at /api/admin/v1"))
                .anySatisfy(line -> assertThat(line).contains("failed authentications from"));
        for (ILoggingEvent event : logs.list()) {
            String line = event.getFormattedMessage() + (event.getThrowableProxy() == null ? ""
                    : ThrowableProxyUtil.asString(event.getThrowableProxy())) + event.getMDCPropertyMap();
            for (String secret : secrets) {
                assertThat(line).as("log line of %s", event.getLoggerName()).doesNotContain(secret);
            }
        }
    }

    private static HttpResponse<String> send(String base, String method, String path, String body) {
        HttpResponse<String> response = RunningServer.shared().send(method, base + path, body,
                body == null ? Map.of("Authorization", "Bearer " + AdminServer.ADMIN_TOKEN)
                        : Map.of("Authorization", "Bearer " + AdminServer.ADMIN_TOKEN, "Content-Type", "application/json"));
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isLessThan(500);
        return response;
    }
}
