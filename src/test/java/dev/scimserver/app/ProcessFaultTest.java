package dev.scimserver.app;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Tag;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.scimserver.app.ScimAssertions.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server as a real process, killed and stopped. SIGKILL lands while a large membership
 * PATCH or a Bulk has written but not committed (seen in pg_stat_activity, so the timing is not
 * luck): afterwards every operation is wholly applied or not at all. SIGTERM lets the request in
 * flight finish, refuses new connections, and the process exits.
 */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProcessFaultTest {
    private final RunningServer shared = RunningServer.shared();
    private final HttpClient http = HttpClient.newHttpClient();
    private Connection observer;
    private List<String> population;

    @BeforeAll
    void setUp() throws SQLException {
        observer = DriverManager.getConnection(shared.jdbcUrl());
        population = TestPopulation.users("crash", 1_300);
    }

    @AfterAll
    void tearDown() throws SQLException {
        observer.close();
    }

    /** Whether some other session holds a transaction that has written and not yet ended. */
    private boolean uncommittedWriteInProgress() {
        try (Statement sql = observer.createStatement(); ResultSet rs = sql.executeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1) > 0;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Kills the process as soon as its request has written uncommitted rows; false if it finished first. */
    private boolean killMidTransaction(ServerProcess process, CompletableFuture<HttpResponse<String>> request) {
        while (!request.isDone()) {
            if (uncommittedWriteInProgress()) {
                process.kill();
                return true;
            }
        }
        process.kill();
        return false;
    }

    /**
     * PostgreSQL rolls back a dead client's transaction once it notices the closed socket; wait for that.
     * The moment no write is in progress is the proof, not a look taken after it: the shared server's
     * own writers (its provisioning log's batches) may have begun one since.
     */
    private void awaitRollbackOfTheDead() throws InterruptedException {
        boolean ended = !uncommittedWriteInProgress();
        for (int i = 0; i < 200 && !ended; i++) {
            Thread.sleep(50);
            ended = !uncommittedWriteInProgress();
        }
        assertThat(ended).as("the killed server's transaction has ended").isTrue();
    }

    private CompletableFuture<HttpResponse<String>> sendAsync(ServerProcess process, String method, String path,
                                                              String body) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create(process.baseUrl() + path))
                .header("Authorization", shared.bearerAuthorization()).header("Content-Type", "application/scim+json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private Set<String> members(String groupId) {
        HttpResponse<String> group = shared.send("GET", "/Groups/" + groupId + "?attributes=members", null);
        Set<String> ids = new HashSet<>();
        json(group).path("members").forEach(m -> ids.add(m.path("value").asText()));
        return ids;
    }

    @Test
    void sigkillDuringALargeMembershipPatchLeavesItWhollyAppliedOrNotAtAll() throws Exception {
        List<String> before = population.subList(0, 300);
        List<String> after = population.subList(300, 1_300);
        int killedMidTransaction = 0;
        for (int round = 0; round < 3; round++) {
            StringBuilder members = new StringBuilder();
            before.forEach(id -> members.append(members.length() == 0 ? "" : ",").append("{\"value\":\"").append(id)
                    .append("\"}"));
            HttpResponse<String> created = shared.send("POST", "/Groups", "{\"displayName\":\"crash-" + UUID.randomUUID()
                    + "\",\"members\":[" + members + "]}");
            String groupId = json(created).path("id").asText();
            try (ServerProcess process = ServerProcess.onSharedDatabase()) {
                CompletableFuture<HttpResponse<String>> patch = sendAsync(process, "PATCH", "/Groups/" + groupId,
                        TestPopulation.membersPatch("replace", after));
                killedMidTransaction += killMidTransaction(process, patch) ? 1 : 0;
            }
            awaitRollbackOfTheDead();
            assertThat(members(groupId)).isIn(new HashSet<>(before), new HashSet<>(after));
        }
        assertThat(killedMidTransaction).as("rounds killed with the PATCH's writes uncommitted").isPositive();

        // A restarted server serves, and sees the same state.
        try (ServerProcess restarted = ServerProcess.onSharedDatabase()) {
            HttpResponse<String> list = shared.send("GET", restarted.baseUrl() + "/Groups?count=1", null);
            assertThat(list.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void sigkillDuringABulkLeavesNoneOfItsOperationsApplied() throws Exception {
        String prefix = "bulk-crash-" + UUID.randomUUID().toString().substring(0, 8);
        StringBuilder operations = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            operations.append(i == 0 ? "" : ",").append("{\"method\":\"POST\",\"path\":\"/Users\",\"bulkId\":\"u")
                    .append(i).append("\",\"data\":{\"userName\":\"").append(prefix).append("-").append(i)
                    .append("@example.com\"}}");
        }
        String bulk = "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:BulkRequest\"],\"Operations\":["
                + operations + "]}";
        boolean killed;
        try (ServerProcess process = ServerProcess.onSharedDatabase()) {
            killed = killMidTransaction(process, sendAsync(process, "POST", "/Bulk", bulk));
        }
        awaitRollbackOfTheDead();
        HttpResponse<String> found = shared.send("GET", "/Users?count=0&filter="
                + URLEncoder.encode("userName sw \"" + prefix + "\"", StandardCharsets.UTF_8), null);
        int applied = json(found).path("totalResults").asInt();
        assertThat(applied).as("users of the Bulk that exist after the kill").isIn(0, 300);
        if (killed) {
            assertThat(applied).isZero();
        }
    }

    /**
     * A request whose body is still arriving when SIGTERM comes: the server stops accepting, lets
     * it finish, answers it, and exits. The client holds the body back, so the request is in flight
     * for certain; the one pause lets the server take it in before the signal.
     */
    @Test
    void sigtermLetsTheRequestInFlightFinishRefusesNewOnesAndExits() throws Exception {
        ServerProcess process = ServerProcess.onSharedDatabase();
        try (Socket socket = new Socket("localhost", process.port())) {
            String userName = "sigterm-" + UUID.randomUUID() + "@example.com";
            byte[] body = ("{\"userName\":\"" + userName + "\"}").getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/scim/v2/Users HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
                    + shared.bearerAuthorization() + "\r\nContent-Type: application/scim+json\r\nContent-Length: "
                    + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body, 0, 5);
            out.flush();
            Thread.sleep(1_000);

            process.terminate();
            assertThat(awaitRefusal(process.port())).as("new connections are refused while stopping").isTrue();

            out.write(body, 5, body.length - 5);
            out.flush();
            String response = readResponse(socket.getInputStream());
            assertThat(response).startsWith("HTTP/1.1 201");
            assertThat(process.waitForExit(60)).as("the process exits").isTrue();
            HttpResponse<String> found = shared.send("GET", "/Users?filter="
                    + URLEncoder.encode("userName eq \"" + userName + "\"", StandardCharsets.UTF_8), null);
            assertThat(json(found).path("totalResults").asInt()).isEqualTo(1);
        } finally {
            process.close();
        }
    }

    /**
     * A request still running when the grace ends: Jetty's stop gives up on it with an exception, which
     * ended the stop there, so the embedded PostgreSQL kept running after the process exited (and the
     * provisioning log's last entries were never written). The rest of the stop runs whatever the
     * server's own stop threw.
     */
    @Test
    void aRequestStillRunningWhenTheGraceEndsDoesNotStopTheRestOfTheStop() throws Exception {
        Path dataDir = RunningServer.testDataDir();
        ServerProcess process = ServerProcess.start(Map.of("DATABASE_URL", "", "DATA_DIR", dataDir.toString()));
        Path pidFile = dataDir.resolve("postgres").resolve("postmaster.pid");
        String port = Files.readAllLines(pidFile).get(3).strip();
        String password = Files.readString(dataDir.resolve("postgres-password")).strip();
        try (Connection locker = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/scim",
                "postgres", password)) {
            // The request waits for this lock past the grace: a handler busy, not a client slow to send.
            locker.setAutoCommit(false);
            try (Statement lock = locker.createStatement()) {
                lock.execute("LOCK TABLE workspace_members IN ACCESS EXCLUSIVE MODE");
            }
            CompletableFuture<HttpResponse<String>> waiting = http.sendAsync(HttpRequest.newBuilder(
                            URI.create(process.baseUrl() + "/Users?count=1"))
                    .header("Authorization", shared.bearerAuthorization()).build(), HttpResponse.BodyHandlers.ofString());
            Thread.sleep(1_000);
            assertThat(waiting).isNotDone();

            process.terminate();
            assertThat(process.waitForExit(90)).as("the process exits").isTrue();
            assertThat(pidFile).as("its PostgreSQL stopped").doesNotExist();
            assertThat(process.output()).noneMatch(line -> line.contains("Exception in thread"));
        } finally {
            process.close();
            stopLeftRunning(pidFile);
        }
    }

    /**
     * SIGTERM while the server starts, once its embedded PostgreSQL runs and before the server answers:
     * the process's stop was hooked only when the start had ended, so the JVM exited and left the
     * cluster running.
     */
    @Test
    void sigtermWhileStartingStopsTheEmbeddedPostgreSql() throws Exception {
        Path dataDir = RunningServer.testDataDir();
        Path pidFile = dataDir.resolve("postgres").resolve("postmaster.pid");
        Process starting = ServerProcess.launch(Map.of("DATABASE_URL", "", "DATA_DIR", dataDir.toString()), "256m");
        Thread drain = new Thread(() -> {
            try {
                starting.getInputStream().transferTo(OutputStream.nullOutputStream());
            } catch (IOException ended) {
                // the process is gone
            }
        });
        drain.setDaemon(true);
        drain.start();
        try {
            // The server's own postmaster, ready: postgres --single, which sets the password first,
            // writes the file too, with its PID negated, and removes it as it ends.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!postmasterReady(pidFile) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(postmasterReady(pidFile)).as("the embedded PostgreSQL started").isTrue();
            starting.destroy();
            assertThat(starting.waitFor(90, TimeUnit.SECONDS)).as("the process exits").isTrue();
            assertThat(pidFile).as("its PostgreSQL stopped").doesNotExist();
        } finally {
            starting.destroyForcibly();
            stopLeftRunning(pidFile);
        }
    }

    private static boolean postmasterReady(Path pidFile) {
        try {
            List<String> lines = Files.readAllLines(pidFile);
            return lines.size() >= 8 && Long.parseLong(lines.get(0).strip()) > 0 && lines.get(7).strip().equals("ready");
        } catch (IOException | NumberFormatException notYet) {
            return false;
        }
    }

    /**
     * A PostgreSQL left running (the failure these tests look for) would outlive the suite, its directory
     * deleted under it: stopped fast (SIGINT), as a smart stop waits for sessions that may never end.
     */
    private static void stopLeftRunning(Path pidFile) throws IOException, InterruptedException {
        if (Files.exists(pidFile)) {
            new ProcessBuilder("kill", "-INT", Files.readAllLines(pidFile).get(0).strip()).start().waitFor();
        }
    }

    private static boolean awaitRefusal(int port) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            try (Socket probe = new Socket("localhost", port)) {
                Thread.sleep(50);
            } catch (ConnectException e) {
                return true;
            } catch (IOException e) {
                return true;
            }
        }
        return false;
    }

    private static String readResponse(InputStream in) throws IOException {
        StringBuilder text = new StringBuilder();
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) > 0; ) {
            text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            if (text.indexOf("\r\n\r\n") > 0 && text.indexOf("}") > 0) {
                break;
            }
        }
        return text.toString();
    }
}
