import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * One client walking every user 1,000 per page, by cursor (RFC 9865) or by index, until the last
 * page or the time bound: what the walk took, page by page.
 */
final class ExportWalk {
    private final ServerUnderTest server;
    private final boolean cursor;
    private final long deadline;
    /** Each page's time in ns, in walk order. */
    final List<Long> pages = new ArrayList<>();
    long errors;
    long users;
    /** Time this client spent parsing the pages, in ns. */
    long parseNanos;
    double seconds;

    /** {@code deadline} in {@link System#nanoTime()}'s terms. */
    ExportWalk(ServerUnderTest server, boolean cursor, long deadline) {
        this.server = server;
        this.cursor = cursor;
        this.deadline = deadline;
    }

    void run() throws Exception {
        long start = System.nanoTime();
        try (RawHttp h = server.client()) {
            String next = "";
            int startIndex = 1;
            while (System.nanoTime() < deadline) {
                String target = cursor ? "/Users?count=1000&cursor=" + RawHttp.encode(next)
                        : "/Users?count=1000&startIndex=" + startIndex;
                long t0 = System.nanoTime();
                RawHttp.Response r = h.send("GET", ServerUnderTest.BASE + target, null);
                pages.add(System.nanoTime() - t0);
                if (r.status() != 200) {
                    errors++;
                    break;
                }
                long p0 = System.nanoTime();
                JsonNode body = DataSet.JSON.readTree(r.body());
                parseNanos += System.nanoTime() - p0;
                int n = body.path("Resources").size();
                users += n;
                if (cursor) {
                    if (!body.hasNonNull("nextCursor") || n == 0) {
                        break;
                    }
                    next = body.get("nextCursor").asText();
                } else {
                    startIndex += n;
                    if (n == 0 || startIndex > body.path("totalResults").asInt()) {
                        break;
                    }
                }
            }
        }
        seconds = (System.nanoTime() - start) / 1e9;
    }
}
