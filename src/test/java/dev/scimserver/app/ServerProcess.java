package dev.scimserver.app;

import dev.scimserver.http.scim.ScimApi;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server as a separate operating-system process: {@code java dev.scimserver.app.Main} in a
 * child JVM, configured through its environment only, exactly as in production. What a second
 * server "on another machine", SIGKILL and SIGTERM need: a second {@link ScimServer} in this JVM
 * would share our heap, our shutdown hooks and our fate when killed.
 *
 * <p>The child runs on this JVM's own classpath (the build's classes and the dependency jars)
 * rather than on {@code target/scim-server.jar}: during {@code mvn verify} the tests run before
 * the jar is packaged, so the jar would be missing or stale, while the classpath is the code under
 * test. The jar is the same classes shaded together.
 */
final class ServerProcess implements AutoCloseable {
    private static final Pattern STARTED = Pattern.compile("at http://localhost:(\\d+)" + Pattern.quote(ScimApi.BASE_PATH));

    private final Process process;
    private final List<String> output;
    private final int port;

    private ServerProcess(Process process, int port, List<String> output) {
        this.process = process;
        this.port = port;
        this.output = output;
    }

    /** A server on the shared test database, with the shared test credentials. */
    static ServerProcess onSharedDatabase() {
        return start(Map.of());
    }

    /** Starts a child server; {@code extraEnv} adds to or overrides the shared-database settings. */
    static ServerProcess start(Map<String, String> extraEnv) {
        return start(extraEnv, "256m");
    }

    /** A child server whose heap may grow to {@code maxHeap} ({@code -Xmx}'s syntax). */
    static ServerProcess start(Map<String, String> extraEnv, String maxHeap) {
        return awaitStart(launch(extraEnv, maxHeap));
    }

    /** A child server started and not waited for: its output is the caller's to read or drain. */
    static Process launch(Map<String, String> extraEnv, String maxHeap) {
        Map<String, String> env = new HashMap<>();
        env.put("SCIM_ENABLED", "true");
        env.put("SCIM_BASIC_AUTH_USER", RunningServer.BASIC_USER);
        env.put("SCIM_BASIC_AUTH_PASS", RunningServer.BASIC_PASSWORD);
        env.put("SCIM_HEADER_AUTH_TOKEN", RunningServer.TOKEN);
        env.put("PORT", "0");
        env.put("DATABASE_URL", RunningServer.shared().jdbcUrl());
        env.put("DATABASE_POOL_SIZE", "10");
        env.putAll(extraEnv);
        try {
            // An empty working directory: Main reads a .env from it, and ours must come from env only.
            Path workDir = RunningServer.testDataDir();
            ProcessBuilder builder = new ProcessBuilder(javaExecutable(), "-Xmx" + maxHeap, "-XX:TieredStopAtLevel=1",
                    "-cp", classpath(), Main.class.getName())
                    .directory(workDir.toFile()).redirectErrorStream(true);
            builder.environment().keySet().removeIf(ServerProcess::isServerSetting);
            builder.environment().putAll(env);
            Process process = builder.start();
            process.getOutputStream().close();
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a server process", e);
        }
    }

    /** How a run of {@code Main} to its end went: its exit code and what it printed (stdout and stderr). */
    record Ended(int exitCode, String output) {
    }

    /**
     * {@code Main} with {@code args}, run to its end in {@code workDir} with {@code env} and none of
     * this machine's server settings: what an operator sees of a start or an {@code admin} command.
     */
    static Ended runToEnd(Path workDir, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "-XX:TieredStopAtLevel=1", "-cp", classpath(),
                Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(ServerProcess::isServerSetting);
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("Main did not end:\n" + output);
            }
            return new Ended(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Main", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean isServerSetting(String name) {
        return name.startsWith("SCIM_") || name.startsWith("PG_") || name.equals("DATABASE_URL") || name.equals("PORT")
                || name.equals("DATA_DIR");
    }

    private static ServerProcess awaitStart(Process process) {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                    Matcher m = STARTED.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException e) {
                // the process is gone; its exit is observed below
            }
            port.completeExceptionally(new IllegalStateException("the server process ended before it listened"));
        }, "server-process-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return new ServerProcess(process, port.get(90, TimeUnit.SECONDS), lines);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            throw new IllegalStateException("the server process did not start:\n" + String.join("\n", lines), e);
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Surefire may hide the real classpath behind a manifest-only jar; it names it in this property. */
    private static String classpath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /** {@code http://localhost:PORT/api/scim/v2}. */
    String baseUrl() {
        return "http://localhost:" + port + ScimApi.BASE_PATH;
    }

    /** SIGKILL: no shutdown hook, no rollback by us; only PostgreSQL's own. */
    void kill() {
        process.destroyForcibly();
        waitForExit(30);
    }

    /** SIGTERM: what a container runtime or systemd sends first. */
    void terminate() {
        process.destroy();
    }

    /** Whether the process ended within {@code seconds}. */
    boolean waitForExit(int seconds) {
        try {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    int exitValue() {
        return process.exitValue();
    }

    List<String> output() {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            waitForExit(30);
        }
    }
}
