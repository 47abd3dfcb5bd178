package dev.scimserver.app;

import dev.scimserver.access.NewApiToken;
import dev.scimserver.access.NewClientSecret;
import dev.scimserver.app.WorkspaceFixtures.TestWorkspace;
import dev.scimserver.http.scim.ScimApi;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static dev.scimserver.app.WorkspaceFixtures.form;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rotating and revoking credentials while they are used: a token is replaced under load without a
 * single refused request, and a revocation, or a deleted OAuth client, is refused by every server
 * process of the database within 5 seconds. Each test runs servers of its own on the shared
 * database, so that the refusals it provokes do not spend the shared server's failed-authentication
 * budget.
 */
class CredentialRotationContractTest {
    /** The bound on how long a revoked credential may still be accepted, by any process. */
    private static final Duration REVOCATION_BOUND = Duration.ofSeconds(5);

    private final RunningServer shared = RunningServer.shared();

    /** One request: which credential it carried, when it was sent and answered, and the status. */
    private record Sent(String secret, long sentNanos, long answeredNanos, int status) {
    }

    private static ScimServer server(Map<String, String> extra) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("SCIM_ENABLED", "true",
                "SCIM_HEADER_AUTH_TOKEN", RunningServer.TOKEN, "PORT", "0",
                "DATABASE_URL", RunningServer.shared().jdbcUrl()));
        env.putAll(extra);
        return ScimServer.start(Config.from(env));
    }

    @Test
    void aTokenRotatedUnderLoadRefusesNoRequestAndTheOldOneEndsWithinFiveSeconds() throws Exception {
        UUID workspace = WorkspaceFixtures.newWorkspace("Rotation under load");
        NewApiToken first = WorkspaceFixtures.apiToken(workspace, "T1");
        AtomicReference<String> current = new AtomicReference<>(first.secret());
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<Sent> sent = new ConcurrentLinkedQueue<>();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try (ScimServer server = server(Map.of())) {
            String users = "http://localhost:" + server.port() + ScimApi.BASE_PATH + "/Users?count=1";
            List<Future<?>> running = new java.util.ArrayList<>();
            // The identity provider, moved to the new token when it is made; and a client left with the old
            // one, at a pace whose refusals stay within the failed-authentication budget (else 429s).
            for (int i = 0; i < 3; i++) {
                running.add(clients.submit(() -> hammer(users, current::get, 0, stop, sent)));
            }
            running.add(clients.submit(() -> hammer(users, first::secret, 250, stop, sent)));
            Thread.sleep(1_000);
            NewApiToken second = WorkspaceFixtures.apiToken(workspace, "T2");
            current.set(second.secret());
            Thread.sleep(1_000);
            long revoking = System.nanoTime();
            assertThat(WorkspaceFixtures.revoke(first)).isTrue();
            long revoked = System.nanoTime();
            Thread.sleep(REVOCATION_BOUND.plusMillis(1_500).toMillis());
            stop.set(true);
            for (Future<?> client : running) {
                client.get(60, TimeUnit.SECONDS);
            }

            assertThat(sent).extracting(Sent::status).containsOnly(200, 401);
            assertThat(sent).filteredOn(s -> s.secret().equals(second.secret())).isNotEmpty()
                    .allSatisfy(s -> assertThat(s.status()).as("the new token").isEqualTo(200));
            assertThat(sent).filteredOn(s -> s.secret().equals(first.secret()) && s.answeredNanos() < revoking)
                    .isNotEmpty().allSatisfy(s -> assertThat(s.status()).as("the old token before its revocation")
                            .isEqualTo(200));
            long bound = revoked + REVOCATION_BOUND.toNanos();
            assertThat(sent).filteredOn(s -> s.secret().equals(first.secret()) && s.sentNanos() >= bound)
                    .isNotEmpty().allSatisfy(s -> assertThat(s.status()).as("the old token 5 s after its revocation")
                            .isEqualTo(401));
        } finally {
            stop.set(true);
            clients.shutdownNow();
        }
    }

    private Void hammer(String url, Supplier<String> secret, long pauseMillis, AtomicBoolean stop,
                        ConcurrentLinkedQueue<Sent> sent) throws InterruptedException {
        while (!stop.get()) {
            String presented = secret.get();
            long at = System.nanoTime();
            int status = shared.send("GET", url, null, Map.of("Authorization", "Bearer " + presented)).statusCode();
            sent.add(new Sent(presented, at, System.nanoTime(), status));
            Thread.sleep(pauseMillis);
        }
        return null;
    }

    @Test
    void aSecondProcessRefusesARevokedTokenWithinFiveSeconds() throws Exception {
        UUID workspace = WorkspaceFixtures.newWorkspace("Revocation seen elsewhere");
        NewApiToken token = WorkspaceFixtures.apiToken(workspace, "T");
        try (ServerProcess other = ServerProcess.onSharedDatabase()) {
            String users = other.baseUrl() + "/Users?count=1";
            assertThat(status(users, token.secret())).as("known to the other process").isEqualTo(200);
            long revoked = revokedAt(() -> WorkspaceFixtures.revoke(token));
            assertRefusedWithinTheBound(users, token.secret(), revoked);
        }
    }

    @Test
    void processesOfOnePublicUrlShareKeysAndADeletedClientsTokensEndEverywhereWithinFiveSeconds() throws Exception {
        TestWorkspace workspace = WorkspaceFixtures.workspaceWithCredentials("Client deleted");
        Map<String, String> publicUrl = Map.of("SCIM_PUBLIC_URL", "https://scim.example.com");
        try (ScimServer here = server(publicUrl); ServerProcess other = ServerProcess.start(publicUrl)) {
            String accessToken = WorkspaceFixtures.accessToken("http://localhost:" + here.port(), workspace);
            String users = other.baseUrl() + "/Users?count=1";
            assertThat(status(users, accessToken)).as("signed here, checked there").isEqualTo(200);
            long deleted = revokedAt(() -> WorkspaceFixtures.oauthClients().delete(workspace.id(),
                    workspace.client().client().id()));
            assertRefusedWithinTheBound(users, accessToken, deleted);
            assertThat(status("http://localhost:" + here.port() + ScimApi.BASE_PATH + "/Users?count=1", accessToken))
                    .as("and here").isEqualTo(401);
        }
    }

    @Test
    void aClientSecretIsRotatedWithoutAGap() {
        TestWorkspace workspace = WorkspaceFixtures.workspaceWithCredentials("Secret rotation");
        try (ScimServer server = server(Map.of())) {
            String origin = "http://localhost:" + server.port();
            String before = WorkspaceFixtures.accessToken(origin, workspace);
            NewClientSecret next = WorkspaceFixtures.oauthClients().addSecret(workspace.client().client(), null);
            assertThat(tokenStatus(origin, workspace, workspace.client().secret().value())).isEqualTo(200);
            assertThat(tokenStatus(origin, workspace, next.value())).isEqualTo(200);
            assertThat(WorkspaceFixtures.oauthClients().removeSecret(workspace.client().client(),
                    workspace.client().secret().secret().id())).isTrue();
            assertThat(tokenStatus(origin, workspace, workspace.client().secret().value()))
                    .as("the removed secret, at once").isEqualTo(401);
            assertThat(tokenStatus(origin, workspace, next.value())).isEqualTo(200);
            assertThat(status(origin + ScimApi.BASE_PATH + "/Users?count=1", before))
                    .as("a token issued with the removed secret lives out its lifetime").isEqualTo(200);
        }
    }

    private int tokenStatus(String origin, TestWorkspace workspace, String secret) {
        return WorkspaceFixtures.tokenRequest(origin, "grant_type=client_credentials&client_id="
                        + form(workspace.client().client().clientId()) + "&client_secret=" + form(secret),
                Map.of("Content-Type", "application/x-www-form-urlencoded")).statusCode();
    }

    private int status(String url, String bearer) {
        HttpResponse<String> response = shared.send("GET", url, null, Map.of("Authorization", "Bearer " + bearer));
        return response.statusCode();
    }

    /** Runs the revocation and answers when it had committed. */
    private static long revokedAt(Supplier<Boolean> revocation) {
        assertThat(revocation.get()).isTrue();
        return System.nanoTime();
    }

    /** Polls until the bound has passed: every request sent from then on is refused, and one is sent. */
    private void assertRefusedWithinTheBound(String url, String bearer, long revoked) throws InterruptedException {
        long bound = revoked + REVOCATION_BOUND.toNanos();
        int refusedAfterTheBound = 0;
        while (System.nanoTime() < bound + Duration.ofSeconds(1).toNanos()) {
            long at = System.nanoTime();
            int status = status(url, bearer);
            assertThat(status).isIn(200, 401);
            if (at >= bound) {
                assertThat(status).as("sent %d ms after the revocation", (at - revoked) / 1_000_000).isEqualTo(401);
                refusedAfterTheBound++;
            }
            Thread.sleep(200);
        }
        assertThat(refusedAfterTheBound).isPositive();
    }
}
