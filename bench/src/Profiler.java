import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The profile of each scenario, for the profile of a miss: the statements that took the database's
 * time (pg_stat_statements, reset before the scenario and read after it, as the superuser postgres)
 * and, with BENCH_PROFILE=1, a JFR recording of the server summarised to where its CPU samples fall.
 */
final class Profiler {
    private final Settings settings;
    private final ServerUnderTest server;
    private final Map<String, String> profiles = new LinkedHashMap<>();

    Profiler(Settings settings, ServerUnderTest server) {
        this.settings = settings;
        this.server = server;
    }

    void start(String scenario) {
        resetStatements();
        if (!settings.profile) {
            return;
        }
        // The default settings (20 ms samples, no allocation profiling) cost the server little;
        // the "profile" settings slowed the cheapest requests enough to distort the floors.
        jcmd("JFR.start", "name=bench", "settings=" + jfrSettings());
    }

    void stop(String scenario) {
        String statements = topStatements();
        profiles.merge(scenario, statements, (x, y) -> x + y);
        if (!settings.profile) {
            return;
        }
        Path file = settings.workFile("profile-", scenario, ".jfr");
        jcmd("JFR.stop", "name=bench", "filename=" + file);
        try {
            profiles.merge(scenario, hotMethods(file), (a, b) -> b + a);
        } catch (Exception e) {
            System.err.println("profile of " + scenario + ": " + e);
        }
    }

    /** Writes every scenario's profile to profiles.txt in the work directory, beside the .jfr files. */
    void write() throws IOException {
        if (profiles.isEmpty()) {
            return;
        }
        Path profileFile = settings.work.resolve("profiles.txt");
        StringBuilder p = new StringBuilder();
        profiles.forEach((k, v) -> p.append("### ").append(k).append("\n").append(v).append("\n"));
        Files.writeString(profileFile, p.toString());
        System.out.println("bench: profiles in " + profileFile);
    }

    private void resetStatements() {
        try (Connection c = settings.connectAsSuperuser(); Statement st = c.createStatement()) {
            st.execute("SELECT pg_stat_statements_reset()");
        } catch (Exception e) {
            // pg_stat_statements is optional
        }
    }

    /** The server's statements that took the most database time in the scenario. */
    private String topStatements() {
        StringBuilder out = new StringBuilder("  database time by statement (pg_stat_statements, top 5):\n");
        try (Connection c = settings.connectAsSuperuser();
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT calls, total_exec_time, mean_exec_time, rows, "
                     + "regexp_replace(query, '\\s+', ' ', 'g') FROM pg_stat_statements WHERE query NOT LIKE "
                     + "'%pg_stat_statements%' ORDER BY total_exec_time DESC LIMIT 5")) {
            while (rs.next()) {
                String q = rs.getString(5);
                out.append(String.format(Locale.ROOT, "    %8d calls %9.0f ms total %8.2f ms mean  %s%n", rs.getLong(1),
                        rs.getDouble(2), rs.getDouble(3), q.length() > 260 ? q.substring(0, 260) + "…" : q));
            }
        } catch (Exception e) {
            return "";
        }
        return out.toString();
    }

    /**
     * The default settings without Jdbi's own event: Jdbi records one per statement, with its
     * parameters formatted, whenever JFR runs, a cost in a lookup's CPU samples which a server
     * without JFR never pays.
     */
    private Path jfrSettings() {
        Path jfc = settings.work.resolve("bench.jfc");
        try {
            String defaults = Files.readString(Path.of(System.getProperty("java.home"), "lib", "jfr", "default.jfc"));
            int end = defaults.lastIndexOf("</configuration>");
            Files.writeString(jfc, defaults.substring(0, end) + "  <event name=\"jdbi.statement\">\n"
                    + "    <setting name=\"enabled\">false</setting>\n  </event>\n" + defaults.substring(end));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return jfc;
    }

    private void jcmd(String... args) {
        try {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
            command.add(Long.toString(server.pid()));
            command.addAll(Arrays.asList(args));
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("jcmd " + String.join(" ", args) + ": " + e);
        }
    }

    /** Where the server's CPU samples fall: top frames, and the first frame of the server's own code. */
    private static String hotMethods(Path file) throws IOException {
        Map<String, Integer> top = new HashMap<>();
        Map<String, Integer> own = new HashMap<>();
        int samples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            RecordedStackTrace st = e.getStackTrace();
            if (st == null || st.getFrames().isEmpty()) {
                continue;
            }
            samples++;
            List<RecordedFrame> frames = st.getFrames();
            top.merge(frame(frames.get(0)), 1, Integer::sum);
            frames.stream().map(Profiler::frame).filter(m -> m.startsWith("dev.scimserver.")).findFirst()
                    .ifPresent(m -> own.merge(m, 1, Integer::sum));
        }
        StringBuilder out = new StringBuilder("JFR CPU samples: " + samples + "\n  hottest frames:\n");
        appendShares(out, top, samples);
        out.append("  innermost server frame on the stack:\n");
        appendShares(out, own, samples);
        return out.toString();
    }

    /** The eight frames with the most samples, each with its share of all samples. */
    private static void appendShares(StringBuilder out, Map<String, Integer> counts, int samples) {
        int n = Math.max(1, samples);
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(8)
                .forEach(x -> out.append(String.format(Locale.ROOT, "    %5.1f%% %s%n", 100.0 * x.getValue() / n,
                        x.getKey())));
    }

    private static String frame(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }
}
