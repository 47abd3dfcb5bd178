package dev.scimserver.app;

import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.scimserver.app.ScimAssertions.assertScimError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The failed-authentication throttle and SCIM_RATE_LIMIT, each on a server of its own (on the
 * shared database) so that their budgets are not the shared server's.
 */
class RequestThrottleContractTest {
    private final RunningServer shared = RunningServer.shared();

    private static ScimServer start(Map<String, String> extra) {
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "SCIM_ENABLED", "true",
                "SCIM_BASIC_AUTH_USER", RunningServer.BASIC_USER,
                "SCIM_BASIC_AUTH_PASS", RunningServer.BASIC_PASSWORD,
                "SCIM_HEADER_AUTH_TOKEN", RunningServer.TOKEN,
                "PORT", "0",
                "DATABASE_URL", RunningServer.shared().jdbcUrl()));
        env.putAll(extra);
        return ScimServer.start(Config.from(env));
    }

    private HttpResponse<String> get(ScimServer server, String authorization) {
        return shared.send("GET", "http://localhost:" + server.port() + "/api/scim/v2/Users?count=1", null,
                authorization == null ? Map.of() : Map.of("Authorization", authorization));
    }

    /** A request that a reverse proxy on this machine forwarded for {@code client}. */
    private HttpResponse<String> forwarded(ScimServer server, String client, String authorization) {
        return shared.send("GET", "http://localhost:" + server.port() + "/api/scim/v2/Users?count=1", null,
                Map.of("Authorization", authorization, "X-Forwarded-For", client));
    }

    private static Map<String, String> behindLocalProxy() {
        return Map.of("SCIM_TRUSTED_PROXIES", "127.0.0.0/8, ::1");
    }

    @Test
    void anAddressIsThrottledAfterTwentyFailedAuthenticationsEvenWithRightCredentialsThen() {
        try (ScimServer server = start(Map.of())) {
            for (int i = 0; i < 20; i++) {
                assertScimError(get(server, "Bearer wrong-" + i), 401, null);
            }
            HttpResponse<String> throttled = get(server, "Bearer wrong-again");
            assertScimError(throttled, 429, null);
            assertThat(throttled.headers().firstValue("Retry-After")).hasValueSatisfying(
                    v -> assertThat(Long.parseLong(v)).isBetween(1L, 3L));
            // An address that never authenticated gets even the right token unchecked: a guesser learns nothing.
            assertScimError(get(server, shared.bearerAuthorization()), 429, null);
            // The server's own health and other servers are unaffected.
            assertThat(shared.send("GET", "/Users?count=1", null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aValidCredentialKeepsWorkingWhileOthersAtItsAddressAreThrottled() {
        try (ScimServer server = start(Map.of())) {
            assertThat(get(server, shared.bearerAuthorization()).statusCode()).isEqualTo(200);
            for (int i = 0; i < 25; i++) {
                assertThat(get(server, "Bearer wrong-" + i).statusCode()).isIn(401, 429);
            }
            assertScimError(get(server, "Bearer wrong-again"), 429, null);
            // The IdP shares the address (one NAT, one egress) with the guesser and keeps provisioning.
            assertThat(get(server, shared.bearerAuthorization()).statusCode()).isEqualTo(200);
            assertScimError(get(server, "Bearer wrong-still"), 429, null);
            // A credential that never succeeded here is a guess like any other, even a right one:
            // checking it would tell a guesser which guess was right.
            assertScimError(get(server, shared.basicAuthorization()), 429, null);
        }
    }

    @Test
    void concurrentFailedAttemptsCannotSlipPastTheCount() throws Exception {
        try (ScimServer server = start(Map.of())) {
            ExecutorService pool = Executors.newFixedThreadPool(40);
            long started = System.nanoTime();
            try {
                List<Future<HttpResponse<String>>> futures = new ArrayList<>();
                for (int i = 0; i < 120; i++) {
                    String guess = "Bearer wrong-" + i;
                    futures.add(pool.submit(() -> get(server, guess)));
                }
                int checked = 0;
                for (Future<HttpResponse<String>> f : futures) {
                    HttpResponse<String> r = f.get();
                    assertThat(r.statusCode()).as(r.body()).isIn(401, 429);
                    checked += r.statusCode() == 401 ? 1 : 0;
                }
                // One attempt comes back every 3 seconds, so a slow machine may see more than 20 checked.
                long refilled = (System.nanoTime() - started) / 3_000_000_000L;
                assertThat(checked).isBetween(20, 20 + (int) refilled);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void behindATrustedProxyEachClientHasItsOwnBudget() {
        try (ScimServer server = start(behindLocalProxy())) {
            for (int i = 0; i < 20; i++) {
                assertScimError(forwarded(server, "203.0.113.7", "Bearer wrong-" + i), 401, null);
            }
            assertScimError(forwarded(server, "203.0.113.7", "Bearer wrong-again"), 429, null);
            // Addresses the guesser writes to the left of its own are not believed.
            assertScimError(forwarded(server, "198.51.100.1, 203.0.113.7", "Bearer wrong-again"), 429, null);
            // The IdP, forwarded by the same proxy, has its own budget, even on its first request.
            assertThat(forwarded(server, "198.51.100.9", shared.bearerAuthorization()).statusCode()).isEqualTo(200);
            assertScimError(forwarded(server, "198.51.100.9", "Bearer typo"), 401, null);
        }
    }

    @Test
    void anIpv6ClientIsThrottledByItsSlash64NotPerAddress() {
        try (ScimServer server = start(behindLocalProxy())) {
            for (int i = 1; i <= 20; i++) {
                assertScimError(forwarded(server, "2001:db8:1:2::" + Integer.toHexString(i), "Bearer wrong-" + i),
                        401, null);
            }
            assertScimError(forwarded(server, "2001:db8:1:2:ffff:ffff:ffff:ffff", "Bearer wrong"), 429, null);
            assertScimError(forwarded(server, "2001:db8:1:3::1", "Bearer wrong"), 401, null);
        }
    }

    @Test
    void withoutTrustedProxiesForwardedForIsIgnored() {
        try (ScimServer server = start(Map.of())) {
            for (int i = 0; i < 20; i++) {
                assertScimError(forwarded(server, "203.0.113." + i, "Bearer wrong-" + i), 401, null);
            }
            assertScimError(forwarded(server, "198.51.100.9", "Bearer wrong"), 429, null);
        }
    }

    @Test
    void requestsWithoutCredentialsSpendNoAttempt() {
        try (ScimServer server = start(Map.of())) {
            for (int i = 0; i < 30; i++) {
                assertScimError(get(server, null), 401, null);
            }
            assertThat(get(server, shared.basicAuthorization()).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void rateLimitPerCredentialAnswers429WithRetryAfterInWholeSeconds() throws Exception {
        try (ScimServer server = start(Map.of("SCIM_RATE_LIMIT", "1"))) {
            ExecutorService pool = Executors.newFixedThreadPool(10);
            try {
                List<Future<HttpResponse<String>>> futures = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    futures.add(pool.submit(() -> get(server, shared.bearerAuthorization())));
                }
                List<HttpResponse<String>> limited = new ArrayList<>();
                for (Future<HttpResponse<String>> f : futures) {
                    HttpResponse<String> r = f.get();
                    assertThat(r.statusCode()).as(r.body()).isIn(200, 429);
                    if (r.statusCode() == 429) {
                        limited.add(r);
                    }
                }
                assertThat(limited).isNotEmpty();
                for (HttpResponse<String> r : limited) {
                    assertScimError(r, 429, null);
                    assertThat(r.headers().firstValue("Retry-After")).hasValueSatisfying(
                            v -> assertThat(v).matches("[1-9][0-9]*"));
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** Every workspace's Okta token may be called "okta": one's traffic must not spend another's budget. */
    @Test
    void eachCredentialHasItsOwnBudgetWhateverItsName() {
        UUID acme = WorkspaceFixtures.newWorkspace("rate acme");
        UUID beta = WorkspaceFixtures.newWorkspace("rate beta");
        String acmeOkta = "Bearer " + WorkspaceFixtures.apiToken(acme, "okta").secret();
        String betaOkta = "Bearer " + WorkspaceFixtures.apiToken(beta, "okta").secret();
        try (ScimServer server = start(Map.of("SCIM_RATE_LIMIT", "2"))) {
            HttpResponse<String> answer = get(server, acmeOkta);
            for (int i = 0; i < 50 && answer.statusCode() == 200; i++) {
                answer = get(server, acmeOkta);
            }
            assertScimError(answer, 429, null);
            assertThat(get(server, betaOkta).statusCode()).isEqualTo(200);
            // The credential passed: the refusal is the workspace's, in its log (and its metrics).
            String requestId = answer.headers().firstValue("X-Request-Id").orElseThrow();
            assertThat(loggedAs(requestId)).isEqualTo(acme + " api-token:okta 429");
        }
    }

    /** The workspace, credential and status the provisioning log keeps for the request, once written. */
    private static String loggedAs(String requestId) {
        try (Connection c = DriverManager.getConnection(RunningServer.shared().jdbcUrl());
             PreparedStatement find = c.prepareStatement("SELECT workspace_id || ' ' || credential || ' ' || status "
                     + "FROM provisioning_log WHERE request_id = ?")) {
            find.setString(1, requestId);
            for (int tries = 0; tries < 200; tries++) {
                try (ResultSet row = find.executeQuery()) {
                    if (row.next()) {
                        return row.getString(1);
                    }
                }
                Thread.sleep(50);
            }
            return null;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A client's token requests spend its budget too: each costs a signature, and a token to remember. */
    @Test
    void aClientsTokenRequestsAreHeldToTheRateLimit() {
        WorkspaceFixtures.TestWorkspace workspace = WorkspaceFixtures.workspaceWithCredentials("rate tokens");
        try (ScimServer server = start(Map.of("SCIM_RATE_LIMIT", "1"))) {
            String origin = "http://localhost:" + server.port();
            HttpResponse<String> answer = null;
            for (int i = 0; i < 50 && (answer == null || answer.statusCode() == 200); i++) {
                answer = WorkspaceFixtures.tokenRequest(origin, "grant_type=client_credentials",
                        Map.of("Authorization", workspace.clientBasicAuthorization(),
                                "Content-Type", "application/x-www-form-urlencoded"));
            }
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(429);
            assertThat(answer.body()).contains("\"error\":\"temporarily_unavailable\"").contains("SCIM_RATE_LIMIT");
            assertThat(answer.headers().firstValue("Retry-After")).hasValueSatisfying(
                    v -> assertThat(v).matches("[1-9][0-9]*"));
        }
    }

    /**
     * An OAuth client's access tokens are new values every hour; at an address a guesser has
     * throttled, a token this server signed is still checked, as it tells the guesser nothing.
     */
    @Test
    void anAccessTokenSignedHereIsCheckedAtAThrottledAddress() {
        WorkspaceFixtures.TestWorkspace workspace = WorkspaceFixtures.workspaceWithCredentials("throttled oauth");
        try (ScimServer server = start(Map.of())) {
            String origin = "http://localhost:" + server.port();
            String first = WorkspaceFixtures.accessToken(origin, workspace);
            assertThat(get(server, "Bearer " + first).statusCode()).isEqualTo(200);
            for (int i = 0; i < 25; i++) {
                assertThat(get(server, "Bearer wrong-" + i).statusCode()).isIn(401, 429);
            }
            assertScimError(get(server, "Bearer wrong-again"), 429, null);
            // The token endpoint's Basic header succeeded here before: the renewal itself passes.
            String renewed = WorkspaceFixtures.accessToken(origin, workspace);
            assertThat(renewed).isNotEqualTo(first);
            assertThat(get(server, "Bearer " + renewed).statusCode()).isEqualTo(200);
            // A token of the same shape that this server did not sign is a guess: unchecked.
            String[] parts = renewed.split("\\.");
            String forged = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
            assertScimError(get(server, "Bearer " + forged), 429, null);
        }
    }

    @Test
    void rateLimitIsOffByDefaultAndValidated() {
        assertThat(Config.from(Map.of()).rateLimit()).isZero();
        assertThat(Config.from(Map.of("SCIM_RATE_LIMIT", "25")).rateLimit()).isEqualTo(25);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Config.from(Map.of("SCIM_RATE_LIMIT", "-1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("SCIM_RATE_LIMIT");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Config.from(Map.of("SCIM_RATE_LIMIT", "fast")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("SCIM_RATE_LIMIT");
    }
}
