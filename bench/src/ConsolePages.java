import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every console page at the data set's size, as an operator opens it: signed in once, then each page
 * asked for one after another from one client (what one person does), each answer checked. The
 * latency is measured by the client on loopback, so it is an upper bound of the server's time; the
 * target is every answer under 300 ms, judged on the slowest of the samples. The server's CPU over the
 * samples is the row's, without a profile (a recording would cost each short row more than it measures).
 */
final class ConsolePages {
    private static final int WARMUP = 3;
    private static final int SAMPLES = 20;
    private static final Pattern FORM_TOKEN = Pattern.compile("name=\"form\" value=\"([^\"]+)\"");
    private static final Pattern NEXT = Pattern.compile("href=\"([^\"]+)\" rel=\"next\"");
    private static final Pattern LOG_ENTRY = Pattern.compile("href=\"([^\"]+/requests/[0-9a-f-]{36})\"");

    private final Settings settings;
    private final LoadedDataSet data;
    private final ResultsTable results;
    private final LoadDriver driver;
    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private String origin;
    private long members;

    ConsolePages(Settings settings, LoadedDataSet data, ResultsTable results, LoadDriver driver) {
        this.settings = settings;
        this.data = data;
        this.results = results;
        this.driver = driver;
    }

    void run() throws Exception {
        origin = "http://127.0.0.1:" + settings.port;
        signIn();
        String base = "/admin/workspaces/" + slug();
        // The scenarios before this one that create (creates, Entra's first sync, Bulk) leave their users:
        // the pages are measured at the size the directory has now, which each row says.
        members = new Floors(settings, data).countMembers();
        int users = data.userIds.length;
        int someone = users / 2;
        page("overview", i -> base);
        page("users, first page", i -> base + "/users");
        page("users, search one userName", i -> base + "/users?q=" + encode(DataSet.userName((someone + i) % users)));
        page("users, search a family name", i -> base + "/users?q=" + encode(DataSet.family(i)));
        // As the list shows a user without a displayName: each word found among the name's parts.
        page("users, search a shown name (given family)", i -> base + "/users?q="
                + encode(DataSet.given(i) + " " + DataSet.family(i)));
        // Too short for a trigram: found where a name or a userName begins (OperatorSearch).
        page("users, search two letters", i -> base + "/users?q=" + encode(DataSet.given(i).substring(0, 2)));
        page("users, role admin, archived", i -> base + "/users?role=admin&status=archived");
        page("users, sorted by name, descending", i -> base + "/users?sort=displayName&order=desc");
        page("users, in the big group", i -> base + "/users?group=" + data.groupIds[0]);
        String deep = deepPage(base + "/users", 20);
        page("users, page 21 (by cursor)", i -> deep);
        page("user", i -> base + "/users/" + data.userIds[(someone + 7919 * i) % users]);
        page("groups", i -> base + "/groups");
        page("group, the big one", i -> base + "/groups/" + data.groupIds[0]);
        page("credentials", i -> base + "/credentials");
        page("provisioning log, first page", i -> base + "/requests");
        page("provisioning log, status 4xx", i -> base + "/requests?status=4xx");
        page("provisioning log, method POST", i -> base + "/requests?method=POST");
        // The two filters V28's partial indexes leave to the workspace index, walked newest first.
        page("provisioning log, status 2xx", i -> base + "/requests?status=2xx");
        page("provisioning log, method GET", i -> base + "/requests?method=GET");
        String entry = firstEntry(base + "/requests");
        if (entry == null) {
            System.out.println("bench: console: no log entry in the workspace, so no row for an entry's page");
        } else {
            page("provisioning log, one entry", i -> entry);
        }
        page("settings (roles)", i -> base + "/settings");
        page("workspaces", i -> "/admin/workspaces");
    }

    private void signIn() throws Exception {
        HttpResponse<String> form = get("/admin/login");
        Matcher token = FORM_TOKEN.matcher(form.body());
        if (!token.find()) {
            throw new IllegalStateException("no sign-in form: " + form.statusCode());
        }
        HttpResponse<String> signedIn = http.send(HttpRequest.newBuilder(URI.create(origin + "/admin/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("form=" + encode(token.group(1)) + "&token="
                        + encode(ServerUnderTest.ADMIN_TOKEN))).build(), HttpResponse.BodyHandlers.ofString());
        if (signedIn.statusCode() != 303) {
            throw new IllegalStateException("the console refused the bench's sign-in: " + signedIn.statusCode());
        }
    }

    private String slug() throws Exception {
        try (Connection c = settings.connect();
             PreparedStatement s = c.prepareStatement("SELECT slug FROM workspaces WHERE id = ?")) {
            s.setObject(1, data.workspace);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /** The link to page {@code steps} + 1, followed through each page's "Next" link as an operator would. */
    private String deepPage(String first, int steps) throws Exception {
        String path = first;
        for (int i = 0; i < steps; i++) {
            Matcher next = NEXT.matcher(get(path).body());
            if (!next.find()) {
                return path;
            }
            path = next.group(1).replace("&amp;", "&");
        }
        return path;
    }

    /** The newest entry the log page links to, or {@code null} when the workspace's log is empty. */
    private String firstEntry(String logPage) throws Exception {
        Matcher entry = LOG_ENTRY.matcher(get(logPage).body());
        return entry.find() ? entry.group(1) : null;
    }

    private void page(String name, IntFunction<String> path) throws Exception {
        for (int i = 0; i < WARMUP; i++) {
            get(path.apply(i));
        }
        List<Long> latencies = new ArrayList<>();
        long[] errors = new long[1];
        CpuMeter.Usage cpu = driver.cpuOver(() -> {
            for (int i = 0; i < SAMPLES; i++) {
                long t0 = System.nanoTime();
                HttpResponse<String> response = get(path.apply(WARMUP + i));
                latencies.add(System.nanoTime() - t0);
                if (response.statusCode() != 200 || !response.body().contains("</html>")) {
                    errors[0]++;
                }
            }
        });
        Row row = Row.sequential("console: " + name, latencies, errors[0]);
        row.cpu = cpu;
        row.members = members;
        results.add(row);
        System.out.println("bench: " + row.line());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(origin + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
