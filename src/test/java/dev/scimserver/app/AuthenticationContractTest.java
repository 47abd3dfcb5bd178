package dev.scimserver.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Basic, Bearer and the bare token let in; everything of the ToolJet 16217 kind is 401 with a SCIM body. */
class AuthenticationContractTest {
    private final RunningServer server = RunningServer.shared();

    private static String basic(String userColonPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userColonPassword.getBytes(StandardCharsets.UTF_8));
    }

    static Stream<String> accepted() {
        return Stream.of(
                basic(RunningServer.BASIC_USER + ":" + RunningServer.BASIC_PASSWORD),
                "basic " + basic(RunningServer.BASIC_USER + ":" + RunningServer.BASIC_PASSWORD).substring(6),
                "Bearer " + RunningServer.TOKEN,
                "bearer " + RunningServer.TOKEN,
                "BEARER   " + RunningServer.TOKEN,
                RunningServer.TOKEN);
    }

    static Stream<String> refused() {
        return Stream.of(
                "non-token",
                "Bearer",
                "Bearer ",
                "Bearer wrong-token",
                "Bearer " + RunningServer.TOKEN + "x",
                "Token " + RunningServer.TOKEN,
                "Digest " + RunningServer.TOKEN,
                basic(RunningServer.BASIC_USER + ":wrong"),
                basic(RunningServer.BASIC_USER),
                basic(RunningServer.BASIC_USER + ":"),
                basic(":" + RunningServer.BASIC_PASSWORD),
                basic(":"),
                "Basic not-base64!!",
                "Basic ",
                "Basic " + RunningServer.TOKEN,
                basic(RunningServer.BASIC_USER.toUpperCase() + ":" + RunningServer.BASIC_PASSWORD),
                "x".repeat(4000));
    }

    @ParameterizedTest
    @MethodSource("accepted")
    void acceptedCredentials(String authorization) {
        HttpResponse<String> response = server.send("GET", "/Users?count=1", null, Map.of("Authorization", authorization));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    @ParameterizedTest
    @MethodSource("refused")
    void refusedCredentials(String authorization) {
        HttpResponse<String> response = server.send("GET", "/Users?count=1", null, Map.of("Authorization", authorization));
        ScimAssertions.assertScimError(response, 401, null);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                v -> assertThat(v).contains("Basic").contains("Bearer"));
        // RFC 6750 §3.1: a bearer token that failed is named in the Bearer challenge, nothing else is.
        boolean bearerToken = authorization.toLowerCase(java.util.Locale.ROOT).matches("bearer\\s+\\S.*");
        assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
                .satisfies(v -> assertThat(v.endsWith("Bearer realm=\"SCIM\", error=\"invalid_token\""))
                        .as("%s for %s", v, authorization).isEqualTo(bearerToken));
    }

    @Test
    void noAuthorizationHeaderIs401() {
        HttpResponse<String> response = server.send("GET", "/Users", null, Map.of());
        ScimAssertions.assertScimError(response, 401, null);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow()).doesNotContain("error=");
    }

    /** Two Authorization headers: a proxy that reads the other would act on another credential than ours. */
    @Test
    void twoAuthorizationHeadersAreRefused() throws Exception {
        String right = "Bearer " + RunningServer.TOKEN;
        String scim = "http://localhost:" + server.port();
        for (String path : new String[] {scim + "/api/scim/v2/Users?count=1", scim + "/oauth2/token",
            AdminServer.shared().url() + "/api/admin/v1/workspaces"}) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(path))
                    .header("Authorization", right).header("Authorization", "Bearer someone-else")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .method(path.endsWith("/oauth2/token") ? "POST" : "GET", path.endsWith("/oauth2/token")
                            ? HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")
                            : HttpRequest.BodyPublishers.noBody())
                    .build();
            HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(400);
            assertThat(response.body()).contains("one Authorization header");
        }
    }
}
