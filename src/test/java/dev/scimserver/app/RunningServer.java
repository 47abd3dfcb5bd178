package dev.scimserver.app;

import dev.scimserver.http.scim.ScimApi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * One real server for the contract tests of this JVM: the packaged wiring, the embedded
 * PostgreSQL with the real migrations, a real port. Tests make their own data with unique names,
 * so they can share it.
 */
public final class RunningServer {
    public static final String BASIC_USER = "scim-client";
    public static final String BASIC_PASSWORD = "correct horse battery staple";
    public static final String TOKEN = "test-token-0123456789";

    /** Every directory {@link #testDataDir()} made in this JVM: see {@link #removeTestData()}. */
    private static final List<Path> MADE = new CopyOnWriteArrayList<>();
    private static volatile RunningServer shared;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(RunningServer::removeTestData));
    }

    private final ScimServer server;
    private final Path dataDir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private RunningServer(ScimServer server, Path dataDir) {
        this.server = server;
        this.dataDir = dataDir;
    }

    /** The server shared by every contract test of this JVM, started on first use. */
    public static synchronized RunningServer shared() {
        if (shared == null) {
            Path dataDir = testDataDir();
            shared = new RunningServer(ScimServer.start(Config.from(Map.of(
                    "SCIM_ENABLED", "true",
                    "SCIM_BASIC_AUTH_USER", BASIC_USER,
                    "SCIM_BASIC_AUTH_PASS", BASIC_PASSWORD,
                    "SCIM_HEADER_AUTH_TOKEN", TOKEN,
                    "PORT", "0",
                    "DATA_DIR", dataDir.toString()))), dataDir);
            shared.seedFirstUser();
        }
        return shared;
    }

    /**
     * Okta's spec test starts from "an app with at least one user" and reads the oldest one's name and
     * email; the oldest user of the shared database is this complete one, whatever the test order.
     */
    private void seedFirstUser() {
        HttpResponse<String> created = send("POST", "/Users", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"first.user@example.com",
                 "name":{"givenName":"First","familyName":"User"},"displayName":"First User",
                 "emails":[{"value":"first.user@example.com","type":"work","primary":true}],"active":true}""");
        if (created.statusCode() != 201) {
            throw new IllegalStateException("cannot seed the first user: " + created.statusCode() + " " + created.body());
        }
    }

    /**
     * A fresh directory under target/: the embedded cluster may run as 'nobody' when the tests run
     * as root, and a JDK temp directory (mode 700) would be closed to it.
     */
    public static Path testDataDir() {
        try {
            Path dir = Path.of("target", "test-data", UUID.randomUUID().toString()).toAbsolutePath();
            Files.createDirectories(dir);
            MADE.add(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * At the JVM's exit: stops the shared server, then deletes the directories this JVM made. Each
     * holds an embedded cluster of up to several hundred megabytes; kept, they filled target/ by tens
     * of gigabytes over a few runs of the suite. One hook does both in that order, as separate hooks
     * would run at once and delete a cluster under its running server.
     */
    private static void removeTestData() {
        RunningServer started = shared;
        if (started != null) {
            started.server.close();
        }
        for (Path dir : MADE) {
            try (Stream<Path> tree = Files.walk(dir)) {
                tree.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                System.err.println("test data left in " + dir + ": " + e);
            }
        }
    }

    /** The JDBC URL of the shared embedded database, with its credentials, for a second server on the same data. */
    public String jdbcUrl() {
        return server.jdbcUrl() + "?user=postgres&password=" + databasePassword();
    }

    /** What the embedded PostgreSQL has logged so far, read where an operator reads it. */
    public String databaseLog() {
        try {
            return Files.readString(dataDir.resolve("postgres/server.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The embedded superuser's password (URL-safe), read where an operator reads it. */
    public String databasePassword() {
        try {
            return Files.readString(dataDir.resolve("postgres-password")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.port();
    }

    /** {@code http://localhost:PORT/api/scim/v2}, without a trailing slash. */
    public String baseUrl() {
        return "http://localhost:" + port() + ScimApi.BASE_PATH;
    }

    public String basicAuthorization() {
        return "Basic " + Base64.getEncoder().encodeToString(
                (BASIC_USER + ":" + BASIC_PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    public String bearerAuthorization() {
        return "Bearer " + TOKEN;
    }

    /** Sends a request with Bearer auth and an optional JSON body; {@code path} is relative to the base URL. */
    public HttpResponse<String> send(String method, String path, String jsonBody) {
        return send(method, path, jsonBody, Map.of("Authorization", bearerAuthorization()));
    }

    public HttpResponse<String> send(String method, String path, String jsonBody, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : baseUrl() + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(jsonBody));
        if (jsonBody != null && headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("Content-Type"))) {
            request.header("Content-Type", "application/scim+json");
        }
        headers.forEach(request::header);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
