import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** One long-running {@code jstat -gc PID 250} on the server; peak used heap (S0U+S1U+EU+OU) per window. */
final class HeapSampler {
    private Process jstat;
    private volatile long windowPeakKb;
    private volatile long runPeakKb;

    void start(long pid) throws IOException {
        String jstatBin = Path.of(System.getProperty("java.home"), "bin", "jstat").toString();
        jstat = new ProcessBuilder(jstatBin, "-gc", Long.toString(pid), "250").redirectErrorStream(true).start();
        Thread reader = new Thread(this::read);
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(jstat.getInputStream()))) {
            String header = r.readLine();
            if (header == null) {
                return;
            }
            List<String> names = Arrays.asList(header.trim().split("\\s+"));
            int[] cols = {names.indexOf("S0U"), names.indexOf("S1U"), names.indexOf("EU"), names.indexOf("OU")};
            String line;
            while ((line = r.readLine()) != null) {
                String[] v = line.trim().split("\\s+");
                if (v.length < names.size() || v[0].equals("S0C")) {
                    continue;
                }
                double kb = 0;
                for (int c : cols) {
                    kb += Double.parseDouble(v[c]);
                }
                long used = (long) kb;
                windowPeakKb = Math.max(windowPeakKb, used);
                runPeakKb = Math.max(runPeakKb, used);
            }
        } catch (IOException | RuntimeException ignored) {
            // the server ended
        }
    }

    void begin() {
        windowPeakKb = 0;
    }

    /** Peak used heap in MiB since {@link #begin()}. */
    long end() throws InterruptedException {
        Thread.sleep(300);
        return windowPeakKb / 1024;
    }

    long runPeakMiB() {
        return runPeakKb / 1024;
    }

    void stop() {
        if (jstat != null) {
            jstat.destroy();
        }
    }
}
