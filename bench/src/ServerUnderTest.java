import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged server, started as its own process against the bench's PostgreSQL on loopback, with
 * a fixed bearer token; what the bench asks it outside the scenarios.
 */
final class ServerUnderTest {
    static final String TOKEN = "bench-token-0123456789";
    /**
     * The administration API's token: the roles scenario changes a workspace's settings through it,
     * the console's scenario signs in with it.
     */
    static final String ADMIN_TOKEN = "bench-admin-token-0123456789";
    static final String BASE = "/api/scim/v2";

    private final Settings settings;
    private final int port;
    private Process process;
    private long pid;

    ServerUnderTest(Settings settings) {
        this(settings, settings.port);
    }

    /** A server of its own on {@code port}, for a scenario that runs two side by side. */
    ServerUnderTest(Settings settings, int port) {
        this.settings = settings;
        this.port = port;
    }

    int port() {
        return port;
    }

    /** Starts the server; answers the time from process start to its first authenticated answer, in ms. */
    long start() throws Exception {
        return start(null, Map.of());
    }

    /**
     * Starts the server on the embedded default, its cluster under {@code dataDir} (null: on the
     * bench's PostgreSQL); answers the time to its first authenticated answer, in ms.
     */
    long start(Path dataDir) throws Exception {
        return start(dataDir, Map.of());
    }

    /** Stops the server and starts it again with {@code env} added to its settings. */
    void restart(Map<String, String> env) throws Exception {
        stop();
        start(null, env);
    }

    private long start(Path dataDir, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command());
        String host = settings.jdbcUrl.replaceFirst("^jdbc:postgresql://", "");
        pb.environment().put("SCIM_ENABLED", "true");
        pb.environment().put("SCIM_HEADER_AUTH_TOKEN", TOKEN);
        pb.environment().put("SCIM_ADMIN_TOKEN", ADMIN_TOKEN);
        pb.environment().put("PORT", Integer.toString(port));
        pb.environment().remove("DATABASE_URL");
        pb.environment().remove("DATA_DIR");
        if (dataDir == null) {
            pb.environment().put("DATABASE_URL", "postgres://" + settings.dbUser + ":" + settings.dbPassword + "@"
                    + host);
        } else {
            pb.environment().put("DATA_DIR", dataDir.toString());
        }
        // The events scenario's receiver is on loopback.
        pb.environment().put("SCIM_EVENTS_ALLOW_INSECURE", "true");
        pb.environment().putAll(env);
        pb.directory(settings.work.toFile());
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(settings.work.resolve("server.log").toFile()));
        long t0 = System.nanoTime();
        process = pb.start();
        pid = process.pid();
        long deadline = t0 + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited with " + process.exitValue() + "; see "
                        + settings.work.resolve("server.log"));
            }
            if (answers()) {
                long ms = (System.nanoTime() - t0) / 1_000_000;
                System.out.println("bench: server up, first answer after " + ms + " ms (pid " + pid + ")");
                return ms;
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("the server did not answer within 60 s");
    }

    private List<String> command() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(Arrays.asList(settings.serverOpts().trim().split("\\s+")));
        command.add("-jar");
        command.add(settings.jar);
        return command;
    }

    private boolean answers() throws Exception {
        try (RawHttp h = client()) {
            return h.send("GET", BASE + "/ServiceProviderConfig", null).status() == 200;
        } catch (IOException e) {
            return false; // not listening yet
        }
    }

    void stop() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor();
            }
        }
    }

    long pid() {
        return pid;
    }

    /** The server's peak resident set (VmHWM) in MiB, -1 once it is gone. */
    long peakRssMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException e) {
            // gone
        }
        return -1;
    }

    RawHttp client() {
        return client("Bearer " + TOKEN);
    }

    RawHttp client(String authorization) {
        return new RawHttp("127.0.0.1", port, authorization);
    }

    /** One GET on a connection of its own; {@code path} is below the SCIM base. */
    RawHttp.Response get(String path) throws Exception {
        try (RawHttp h = client()) {
            return h.send("GET", BASE + path, null);
        }
    }

    /**
     * The value of one sample of {@code GET /metrics}, named as the scrape names it (with its labels);
     * 0 where the server shows no such sample.
     */
    double metric(String sample) throws Exception {
        try (RawHttp h = client()) {
            String text = new String(h.send("GET", "/metrics", null).body(), StandardCharsets.UTF_8);
            for (String line : text.split("\n")) {
                if (line.startsWith(sample + " ")) {
                    return Double.parseDouble(line.substring(sample.length() + 1).trim());
                }
            }
            return 0;
        }
    }

    JsonNode serviceProviderConfig() throws Exception {
        return DataSet.JSON.readTree(get("/ServiceProviderConfig").body());
    }

    /** Whether the server pages by cursor (RFC 9865): it answers a first page with a nextCursor. */
    boolean pagesByCursor() throws Exception {
        RawHttp.Response r = get("/Users?count=1&cursor=");
        if (r.status() != 200) {
            return false;
        }
        return DataSet.JSON.readTree(r.body()).has("nextCursor");
    }
}
