import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The bench driver: starts the packaged server against the PostgreSQL that run.sh started, runs
 * every scenario closed-loop with a fixed number of connections (its own keep-alive HTTP client,
 * {@link RawHttp}), runs each scenario's database floor with as many JDBC clients, samples the
 * server's heap (jstat) and RSS (/proc), and prints one table, also appended to RESULTS.md.
 *
 * Usage: Bench JAR JDBC_URL DB_USER DB_PASSWORD MODE WORK_DIR RESULTS_MD COMMIT
 */
public final class Bench {
    static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    static final String TOKEN = "bench-token-0123456789";
    static final String BASE = "/api/scim/v2";
    static final Pattern INDEX = Pattern.compile("\\.(\\d+)@example\\.com$");

    // Configuration
    final String jar;
    final String jdbcUrl;
    final String dbUser;
    final String dbPassword;
    final String mode;
    final Path work;
    final Path resultsFile;
    final String commit;
    final DataSet.Sizes sizes;
    final int conns = Integer.parseInt(env("BENCH_CONNS", "8"));
    final double seconds;
    final double warmup;
    final double sequentialBound;
    final int port = Integer.parseInt(env("BENCH_PORT", "18080"));
    final boolean profile = !env("BENCH_PROFILE", "1").equals("0");
    final String runId = Long.toString(System.currentTimeMillis() % 100_000_000L, 36);

    // Data found in the database
    UUID[] userIds;
    UUID[] groupIds;
    UUID workspace;

    // The server
    Process server;
    long serverPid;
    final HeapSampler sampler = new HeapSampler();
    final List<Row> rows = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    final Map<String, String> profiles = new LinkedHashMap<>();
    Row httpFloor;
    Row httpFloorJava;

    Bench(String[] a) {
        jar = a[0];
        jdbcUrl = a[1];
        dbUser = a[2];
        dbPassword = a[3];
        mode = a[4];
        work = Path.of(a[5]);
        resultsFile = Path.of(a[6]);
        commit = a[7];
        sizes = DataSet.Sizes.of(mode);
        boolean full = mode.equals("full");
        seconds = Double.parseDouble(env("BENCH_SECONDS", full ? "15" : "4"));
        warmup = Double.parseDouble(env("BENCH_WARMUP", full ? "5" : "2"));
        sequentialBound = Double.parseDouble(env("BENCH_SEQ_SECONDS", full ? "240" : "60"));
    }

    static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    public static void main(String[] args) throws Exception {
        new Bench(args).run();
    }

    // ---------------------------------------------------------------- the run

    void run() throws Exception {
        resetDataSet();
        readDataSet();
        List<Long> startups = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            startups.add(startServer());
            if (i < 2) {
                stopServer();
            }
        }
        List<Long> sorted = new ArrayList<>(startups);
        sorted.sort(null);
        long startupMedian = sorted.get(1);
        notes.add("startup to first answer (authenticated GET ServiceProviderConfig, external PostgreSQL, "
                + sizes.users() + " users, JVM " + Runtime.version().feature() + ", " + serverOpts() + "): "
                + startups + " ms, median " + startupMedian + " ms");
        sampler.start(serverPid);
        String loadBefore = loadAverage();
        try {
            scenarios();
        } finally {
            sampler.stop();
        }
        notes.add("machine load average (1/5/15 min) at start " + loadBefore + ", at end " + loadAverage()
                + " — other work on the 2 cores shows here and lowers every figure");
        long rssPeak = peakRss(serverPid);
        stopServer();
        String table = table(startupMedian, rssPeak);
        System.out.println();
        System.out.println(table);
        appendResults(table);
    }

    boolean want(String key) {
        String only = env("BENCH_SCENARIOS", "");
        return only.isEmpty() || Arrays.asList(only.split(",")).contains(key);
    }

    String serverOpts() {
        return env("SERVER_OPTS", "-Xmx256m");
    }

    void scenarios() throws Exception {
        boolean cursor = detectCursor();
        JsonNode spc = json(get("/ServiceProviderConfig").body());
        boolean bulk = spc.path("bulk").path("supported").asBoolean(false);

        // The server's JIT is cold after the startup measurements: warm the request paths up first,
        // so that the first floor is not measured on interpreted code.
        warmServer();

        // HTTP floor: authenticated, no database.
        if (want("floor")) {
            httpFloor = wrkGet("HTTP floor: GET /ServiceProviderConfig (wrk)", i -> "/ServiceProviderConfig",
                    r -> r.status() == 200);
            httpFloorJava = http("HTTP floor: GET /ServiceProviderConfig (Java driver)", conns, (h, w, s) ->
                    ok(h.send("GET", BASE + "/ServiceProviderConfig", null), 200));
        }

        // Lookups by userName, externalId and work email, at random over every user.
        if (want("lookup")) {
            lookup("lookup userName eq", i -> "userName eq \"" + DataSet.userName(i) + "\"",
                    "lower(m.user_name) = lower(?)", DataSet::userName);
            lookup("lookup externalId eq", i -> "externalId eq \"" + DataSet.externalId(i) + "\"",
                    "m.external_id = ?", DataSet::externalId);
            lookup("lookup emails[type eq \"work\"].value eq", i -> "emails[type eq \"work\"].value eq \""
                    + DataSet.workEmail(i) + "\"", "lower(u.email) = lower(?)", DataSet::workEmail);
        }

        // Entra's group probe: a group by displayName, without its members.
        if (want("lookup")) {
            Row byName = wrkGet("lookup Groups displayName eq (wrk)", i -> "/Groups?excludedAttributes=members&filter="
                    + enc("displayName eq \"" + DataSet.groupName(1 + i % (groupIds.length - 1)) + "\""),
                    r -> r.status() == 200 && r.text().contains("\"totalResults\":1,"));
            dbFloor(byName, (c, w, s) -> {
                int g = 1 + ThreadLocalRandom.current().nextInt(groupIds.length - 1);
                try (PreparedStatement p = c.prepareStatement("SELECT g.id, g.name, g.external_id, g.attributes::text, "
                        + "g.version, g.created_at, g.last_modified FROM groups g WHERE g.workspace_id = ? "
                        + "AND g.type = 'custom' AND lower(g.name) = lower(?)")) {
                    p.setObject(1, workspace);
                    p.setString(2, DataSet.groupName(g));
                    drain(p.executeQuery());
                }
                return true;
            });
        }

        // Entra membership probe: is user U in group G? Half the probes hit.
        if (want("probe")) {
            Row probe = wrkGet("Entra membership probe: Groups id eq and members[value eq] (wrk)", k -> {
                int[] gu = probePair();
                String filter = "id eq \"" + groupIds[gu[0]] + "\" and members[value eq \"" + userIds[gu[1]] + "\"]";
                return "/Groups?excludedAttributes=members&filter=" + enc(filter);
            }, r -> r.status() == 200);
            dbFloor(probe, (c, w, s) -> {
                int[] gu = probePair();
                try (PreparedStatement p = c.prepareStatement("SELECT g.id, g.name, g.external_id, g.attributes::text, "
                        + "g.version, g.created_at, g.last_modified FROM groups g WHERE g.workspace_id = ? AND g.id = ? "
                        + "AND g.type = 'custom' AND EXISTS (SELECT 1 FROM group_members gm WHERE gm.group_id = g.id "
                        + "AND gm.user_id = ?)")) {
                    p.setObject(1, workspace);
                    p.setObject(2, groupIds[gu[0]]);
                    p.setObject(3, userIds[gu[1]]);
                    drain(p.executeQuery());
                }
                return true;
            });
        }

        // PATCH deactivate (Okta's shape), each request a real change: worker-owned users flip.
        if (want("patch")) {
            int[] patchPool = pool(i -> i % 4 == 1, 0);
            boolean[] patchActive = new boolean[patchPool.length];
            Arrays.fill(patchActive, true);
            Row patch = http("PATCH active=false (deactivate)", conns, (h, w, s) -> {
                int j = (int) ((w + (long) conns * s) % patchPool.length);
                boolean value = !patchActive[j];
                boolean ok = ok(h.send("PATCH", BASE + "/Users/" + userIds[patchPool[j]], "{\"schemas\":[\"" + PATCH_OP
                        + "\"],\"Operations\":[{\"op\":\"replace\",\"value\":{\"active\":" + value + "}}]}"), 200);
                if (ok) {
                    patchActive[j] = value;
                }
                return ok;
            });
            int[] floorPatchPool = pool(i -> i % 4 == 3, 0);
            boolean[] floorActive = new boolean[floorPatchPool.length];
            Arrays.fill(floorActive, true);
            dbFloor(patch, (c, w, s) -> {
                int j = (int) ((w + (long) conns * s) % floorPatchPool.length);
                boolean value = !floorActive[j];
                UUID id = userIds[floorPatchPool[j]];
                c.setAutoCommit(false);
                try (PreparedStatement p = c.prepareStatement(MEMBER_SELECT + "WHERE m.workspace_id = ? AND m.user_id = ? "
                        + "FOR UPDATE OF m")) {
                    p.setObject(1, workspace);
                    p.setObject(2, id);
                    drain(p.executeQuery());
                }
                try (PreparedStatement p = c.prepareStatement("UPDATE workspace_members SET status = ?, "
                        + "version = version + 1, last_modified = now() WHERE workspace_id = ? AND user_id = ?")) {
                    p.setString(1, value ? "active" : "archived");
                    p.setObject(2, workspace);
                    p.setObject(3, id);
                    p.executeUpdate();
                }
                c.commit();
                c.setAutoCommit(true);
                floorActive[j] = value;
                return true;
            });
        }

        // Group add and remove of 1 member, on the regular groups: worker-owned (group, user) pairs.
        if (want("group1")) {
            int[] groupPool = pool(i -> i % 4 == 2, 0);
            Row group1 = http("group PATCH add/remove 1 member (alternating)", conns, (h, w, s) -> {
                long pair = w + (long) conns * (s / 2);
                UUID g = groupIds[1 + (int) (pair % (groupIds.length - 1))];
                UUID u = userIds[groupPool[(int) (pair % groupPool.length)]];
                String op = s % 2 == 0
                        ? "{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"" + u + "\"}]}"
                        : "{\"op\":\"remove\",\"path\":\"members[value eq \\\"" + u + "\\\"]\"}";
                return ok(h.send("PATCH", BASE + "/Groups/" + g, "{\"schemas\":[\"" + PATCH_OP + "\"],\"Operations\":["
                        + op + "]}"), 204);
            });
            dbFloor(group1, (c, w, s) -> {
                long pair = w + (long) conns * (s / 2);
                UUID g = groupIds[1 + (int) (pair % (groupIds.length - 1))];
                UUID u = userIds[groupPool[(int) (pair % groupPool.length)]];
                membershipSql(c, g, new UUID[] {u}, s % 2 == 0);
                return true;
            });
        }

        // Adding and removing 1,000 members of the big group in one PATCH each, one client.
        if (want("group1000")) {
            bigGroup();
        }

        // Okta import: every user, 100 per page, one client, index paging.
        if (want("okta")) {
            oktaImport();
        }

        // Export of every user: cursor paging when the server has it, else index paging.
        if (want("export")) {
            export(cursor);
        }

        // Creates, without and with a password.
        if (want("create")) {
            Row create = http("create: POST /Users", conns, (h, w, s) -> ok(h.send("POST", BASE + "/Users",
                    DataSet.user((int) s, newName("c", w, s), UUID.randomUUID().toString(), newName("c", w, s), null)
                            .toString()), 201));
            dbFloor(create, (c, w, s) -> insertUser(c, newName("fc", w, s), null));
            Row createPw = http("create with password (bcrypt cost 10)", conns, (h, w, s) -> ok(h.send("POST",
                    BASE + "/Users", DataSet.user((int) s, newName("p", w, s), UUID.randomUUID().toString(),
                            newName("p", w, s), "Bench-" + w + "-" + s + "-secret").toString()), 201));
            dbFloor(createPw, (c, w, s) -> insertUser(c, newName("fp", w, s),
                    "$2a$10$abcdefghijklmnopqrstuu5Qh5wz8n6lqyq0m1F0bH8Z0sR4yZcG6"));
        }

        // Entra first sync: a userName eq probe that finds nothing, then the POST, per user.
        if (want("entra")) {
            Row entra = http("Entra first sync: probe + POST per user", conns, (h, w, s) -> {
                String name = newName("e", w, s);
                RawHttp.Response r = h.send("GET", BASE + "/Users?filter=" + enc("userName eq \"" + name + "\""), null);
                if (r.status() != 200 || !r.text().contains("\"totalResults\":0")) {
                    return false;
                }
                return ok(h.send("POST", BASE + "/Users", DataSet.user((int) s, name, UUID.randomUUID().toString(),
                        name, null).toString()), 201);
            });
            dbFloor(entra, (c, w, s) -> {
                String name = newName("fe", w, s);
                lookupSql(c, "lower(m.user_name) = lower(?)", name);
                return insertUser(c, name, null);
            });
        }

        // Bulk of 1,000 creates.
        if (want("bulk")) {
            if (bulk) {
                bulk(spc);
            } else {
                notes.add("Bulk: not measured, ServiceProviderConfig says bulk.supported=false (POST /Bulk answers "
                        + get("/Bulk").status() + "/501)");
            }
        }
    }

    // ---------------------------------------------------------------- scenarios in detail

    /** A user and its custom groups, read in one statement: what the server reads for each user it answers. */
    static final String MEMBER_SELECT = "SELECT m.user_id, m.user_name, m.external_id, m.display_name, u.email, m.role, "
            + "m.status, m.attributes::text AS attributes, m.version, m.created_at, m.last_modified, "
            + "(SELECT array_agg(ARRAY[g.id::text, g.name] ORDER BY g.name, g.id) FROM group_members gm "
            + "JOIN groups g ON g.id = gm.group_id WHERE gm.user_id = m.user_id AND g.workspace_id = m.workspace_id "
            + "AND g.type = 'custom')::text AS groups FROM workspace_members m JOIN users u ON u.id = m.user_id ";

    void lookup(String name, Function<Integer, String> filter, String floorWhere, Function<Integer, String> value)
            throws Exception {
        Row row = wrkGet(name + " (wrk)", i -> "/Users?filter=" + enc(filter.apply(i)),
                r -> r.status() == 200 && r.text().contains("\"totalResults\":1,"));
        dbFloor(row, (c, w, s) -> {
            int i = ThreadLocalRandom.current().nextInt(sizes.users());
            return lookupSql(c, floorWhere, value.apply(i)) == 1;
        });
    }

    /** What a lookup needs: the member by its index, then its custom groups. */
    int lookupSql(Connection c, String where, String value) throws Exception {
        List<UUID> ids = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(MEMBER_SELECT + "WHERE m.workspace_id = ? AND " + where)) {
            p.setObject(1, workspace);
            p.setString(2, value);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                    rs.getString(8);
                    rs.getString(12);
                }
            }
        }
        return ids.size();
    }


    /** The rows a create needs: the person (after the email check) and the membership, one transaction. */
    /**
     * What a create needs, in its fewest round trips: one statement that finds the person by email,
     * inserts it when new, and inserts the membership, committed on its own.
     */
    boolean insertUser(Connection c, String name, String passwordHash) throws Exception {
        ObjectNode attributes = DataSet.user(7, name, UUID.randomUUID().toString(), name, null);
        attributes.remove("active");
        attributes.remove(DataSet.TOOLJET);
        try (PreparedStatement p = c.prepareStatement("WITH found AS (SELECT id FROM users WHERE lower(email) = "
                + "lower(?)), created AS (INSERT INTO users (id, email, given_name, family_name, password_hash, "
                + "created_at, updated_at) SELECT ?, ?, 'Ada', 'Lovelace', ?, now(), now() WHERE NOT EXISTS "
                + "(SELECT 1 FROM found) RETURNING id) INSERT INTO workspace_members (workspace_id, user_id, user_name, "
                + "external_id, display_name, role, status, attributes, version, created_at, last_modified) "
                + "SELECT ?, id, ?, ?, 'Ada Lovelace', 'end-user', 'active', CAST(? AS jsonb), 1, now(), now() "
                + "FROM created")) {
            p.setString(1, name);
            p.setObject(2, UUID.randomUUID());
            p.setString(3, name);
            p.setString(4, passwordHash);
            p.setObject(5, workspace);
            p.setString(6, name);
            p.setString(7, attributes.path("externalId").asText());
            p.setString(8, attributes.toString());
            return p.executeUpdate() == 1;
        }
    }

    /** What a membership PATCH needs: lock the group, check the users are active members, change, bump the version. */
    void membershipSql(Connection c, UUID group, UUID[] users, boolean add) throws Exception {
        c.setAutoCommit(false);
        try (PreparedStatement p = c.prepareStatement("SELECT g.id, g.name, g.external_id, g.attributes::text, "
                + "g.version, g.created_at, g.last_modified FROM groups g WHERE g.workspace_id = ? AND g.id = ? "
                + "AND g.type = 'custom' FOR UPDATE")) {
            p.setObject(1, workspace);
            p.setObject(2, group);
            drain(p.executeQuery());
        }
        java.sql.Array array = c.createArrayOf("uuid", users);
        if (add) {
            try (PreparedStatement p = c.prepareStatement("SELECT user_id FROM workspace_members WHERE workspace_id = ? "
                    + "AND status = 'active' AND user_id = ANY(?)")) {
                p.setObject(1, workspace);
                p.setArray(2, array);
                drain(p.executeQuery());
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO group_members (group_id, user_id) "
                    + "SELECT ?, u FROM unnest(?) AS u ON CONFLICT DO NOTHING")) {
                p.setObject(1, group);
                p.setArray(2, array);
                p.executeUpdate();
            }
        } else {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM group_members WHERE group_id = ? "
                    + "AND user_id = ANY(?)")) {
                p.setObject(1, group);
                p.setArray(2, array);
                p.executeUpdate();
            }
        }
        try (PreparedStatement p = c.prepareStatement("UPDATE groups SET version = version + 1, last_modified = now() "
                + "WHERE workspace_id = ? AND id = ?")) {
            p.setObject(1, workspace);
            p.setObject(2, group);
            p.executeUpdate();
        }
        c.commit();
        c.setAutoCommit(true);
    }

    void bigGroup() throws Exception {
        int[] pool = pool(i -> i % 4 == 2 && i >= sizes.bigGroup(), 0);
        int batch = Math.min(1000, pool.length);
        int rounds = mode.equals("full") ? 20 : 10;
        UUID big = groupIds[0];
        List<long[]> server = new ArrayList<>();
        List<long[]> floor = new ArrayList<>();
        String label = "group PATCH +" + batch + " members (group of " + sizes.bigGroup() + ")";
        String labelRemove = "group PATCH -" + batch + " members (group of " + sizes.bigGroup() + ")";
        startProfile(label);
        sampler.begin();
        long[] errors = new long[2];
        try (RawHttp h = client()) {
            for (int r = 0; r < rounds + 1; r++) {
                UUID[] users = batchOf(pool, r % Math.max(1, pool.length / batch), batch);
                StringBuilder add = new StringBuilder("{\"schemas\":[\"" + PATCH_OP
                        + "\"],\"Operations\":[{\"op\":\"add\",\"path\":\"members\",\"value\":[");
                StringBuilder remove = new StringBuilder("{\"schemas\":[\"" + PATCH_OP
                        + "\"],\"Operations\":[{\"op\":\"remove\",\"path\":\"members\",\"value\":[");
                for (int k = 0; k < users.length; k++) {
                    String sep = k == 0 ? "" : ",";
                    add.append(sep).append("{\"value\":\"").append(users[k]).append("\"}");
                    remove.append(sep).append("{\"value\":\"").append(users[k]).append("\"}");
                }
                add.append("]}]}");
                remove.append("]}]}");
                long t0 = System.nanoTime();
                boolean okAdd = ok(h.send("PATCH", BASE + "/Groups/" + big, add.toString()), 204);
                long t1 = System.nanoTime();
                boolean okRemove = ok(h.send("PATCH", BASE + "/Groups/" + big, remove.toString()), 204);
                long t2 = System.nanoTime();
                if (r > 0) { // the first round warms up
                    server.add(new long[] {t1 - t0, t2 - t1});
                    errors[0] += okAdd ? 0 : 1;
                    errors[1] += okRemove ? 0 : 1;
                }
            }
        }
        long heap = sampler.end();
        stopProfile(label);
        try (Connection c = connect()) {
            for (int r = 0; r < rounds + 1; r++) {
                UUID[] users = batchOf(pool, r % Math.max(1, pool.length / batch), batch);
                long t0 = System.nanoTime();
                membershipSql(c, big, users, true);
                long t1 = System.nanoTime();
                membershipSql(c, big, users, false);
                long t2 = System.nanoTime();
                if (r > 0) {
                    floor.add(new long[] {t1 - t0, t2 - t1});
                }
            }
        }
        for (int k = 0; k < 2; k++) {
            int kk = k;
            Row row = Row.of(k == 0 ? label : labelRemove, 1, server.stream().mapToLong(x -> x[kk]).toArray(),
                    errors[k], 0);
            row.heapMiB = heap;
            Row f = Row.of("floor", 1, floor.stream().mapToLong(x -> x[kk]).toArray(), 0, 0);
            row.floor = f;
            row.byTime = true;
            rows.add(row);
            System.out.println(row.line());
        }
    }

    UUID[] batchOf(int[] pool, int r, int batch) {
        UUID[] users = new UUID[batch];
        for (int k = 0; k < batch; k++) {
            users[k] = userIds[pool[(r * batch + k) % pool.length]];
        }
        return users;
    }

    void oktaImport() throws Exception {
        int total = countMembers();
        int pages = (total + 99) / 100;
        String label = "Okta import: GET /Users 100 per page, all " + total + " users";
        long deadline = System.nanoTime() + (long) (sequentialBound * 1e9);
        List<Long> lat = new ArrayList<>();
        long errors = 0;
        startProfile(label);
        sampler.begin();
        long start = System.nanoTime();
        try (RawHttp h = client()) {
            for (int p = 0; p < pages && System.nanoTime() < deadline; p++) {
                long t0 = System.nanoTime();
                RawHttp.Response r = h.send("GET", BASE + "/Users?startIndex=" + (1 + p * 100) + "&count=100", null);
                lat.add(System.nanoTime() - t0);
                if (r.status() != 200) {
                    errors++;
                }
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long heap = sampler.end();
        stopProfile(label);
        int done = lat.size();
        List<Long> floorLat = new ArrayList<>();
        long fstart = System.nanoTime();
        try (Connection c = connect()) {
            for (int p = 0; p < done; p++) {
                long t0 = System.nanoTime();
                indexPageSql(c, 1 + p * 100, 100);
                floorLat.add(System.nanoTime() - t0);
            }
        }
        double felapsed = (System.nanoTime() - fstart) / 1e9;
        Row row = Row.of(label, 1, lat.stream().mapToLong(Long::longValue).toArray(), errors, 0);
        row.floor = Row.of("floor", 1, floorLat.stream().mapToLong(Long::longValue).toArray(), 0, 0);
        row.heapMiB = heap;
        row.byTime = true;
        row.note = String.format(Locale.ROOT, "%d/%d pages in %.1f s%s; floor %.1f s", done, pages, elapsed,
                done < pages ? " (time bound hit)" : "", felapsed);
        rows.add(row);
        System.out.println(row.line());
    }

    /**
     * What an index page needs: the exact total (members alone: every member has its person), and
     * the page's ids by OFFSET in creation order from the index, then those users with their groups.
     */
    void indexPageSql(Connection c, int startIndex, int count) throws Exception {
        try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM workspace_members m "
                + "WHERE m.workspace_id = ?")) {
            p.setObject(1, workspace);
            drain(p.executeQuery());
        }
        try (PreparedStatement p = c.prepareStatement(MEMBER_SELECT + "WHERE m.workspace_id = ? AND m.user_id IN "
                + "(SELECT m.user_id FROM workspace_members m WHERE m.workspace_id = ? "
                + "ORDER BY m.created_at, m.user_id LIMIT ? OFFSET ?) ORDER BY m.created_at, m.user_id")) {
            p.setObject(1, workspace);
            p.setObject(2, workspace);
            p.setInt(3, count);
            p.setInt(4, startIndex - 1);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    rs.getObject(1, UUID.class);
                    rs.getString(8);
                    rs.getString(12);
                }
            }
        }
    }

    boolean detectCursor() throws Exception {
        RawHttp.Response r = get("/Users?count=1&cursor=");
        if (r.status() != 200) {
            return false;
        }
        return json(r.body()).has("nextCursor");
    }

    void export(boolean cursor) throws Exception {
        int total = countMembers();
        String label = (cursor ? "export: cursor paging (RFC 9865)" : "export: index paging (no cursor yet)")
                + ", 1000 per page, all " + total + " users";
        long deadline = System.nanoTime() + (long) (sequentialBound * 1e9);
        List<Long> lat = new ArrayList<>();
        long errors = 0;
        long rowsSeen = 0;
        long clientParse = 0;
        startProfile(label);
        sampler.begin();
        long start = System.nanoTime();
        try (RawHttp h = client()) {
            String next = "";
            int startIndex = 1;
            while (System.nanoTime() < deadline) {
                String target = cursor ? "/Users?count=1000&cursor=" + enc(next)
                        : "/Users?count=1000&startIndex=" + startIndex;
                long t0 = System.nanoTime();
                RawHttp.Response r = h.send("GET", BASE + target, null);
                lat.add(System.nanoTime() - t0);
                if (r.status() != 200) {
                    errors++;
                    break;
                }
                long p0 = System.nanoTime();
                JsonNode body = json(r.body());
                clientParse += System.nanoTime() - p0;
                int n = body.path("Resources").size();
                rowsSeen += n;
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
        double elapsed = (System.nanoTime() - start) / 1e9;
        long heap = sampler.end();
        stopProfile(label);
        // The floor: one query streaming the same rows in the same order, and their groups per 1000.
        long fstart = System.nanoTime();
        long frows = 0;
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement p = c.prepareStatement(MEMBER_SELECT + "WHERE m.workspace_id = ? "
                    + "ORDER BY m.created_at, m.user_id LIMIT ?")) {
                p.setFetchSize(1000);
                p.setObject(1, workspace);
                p.setLong(2, rowsSeen);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        rs.getObject(1, UUID.class);
                        rs.getString(8);
                        rs.getString(12);
                        frows++;
                    }
                }
            }
            c.commit();
        }
        double felapsed = (System.nanoTime() - fstart) / 1e9;
        Row row = Row.of(label, 1, lat.stream().mapToLong(Long::longValue).toArray(), errors, 0);
        row.heapMiB = heap;
        row.exportSeconds = elapsed;
        row.exportFloorSeconds = felapsed;
        row.note = String.format(Locale.ROOT, "%,d/%,d users in %.1f s = %,.0f users/s%s; floor streams them in "
                        + "%.1f s = %,.0f users/s; time %.1f× floor; of the walk's time, %.1f s went to this client "
                        + "parsing the pages%s", rowsSeen, total, elapsed, rowsSeen / elapsed,
                rowsSeen < total ? " (time bound hit)" : "", felapsed, frows / felapsed, elapsed / felapsed,
                clientParse / 1e9, pageCosts(lat));
        row.byTime = true;
        row.floor = Row.of("floor", 1, new long[] {(long) (felapsed * 1e9)}, 0, 0);
        rows.add(row);
        System.out.println(row.line());
    }

    /**
     * Issue 3 asks the last page of a walk to cost within 1.5× of the first. The first page also
     * counts the total, so the second (the first that only seeks) is named too.
     */
    static String pageCosts(List<Long> pages) {
        if (pages.size() < 3) {
            return "";
        }
        long[] sorted = pages.stream().mapToLong(Long::longValue).sorted().toArray();
        double last = pages.get(pages.size() - 1) / 1e6;
        double beforeLast = pages.get(pages.size() - 2) / 1e6;
        return String.format(Locale.ROOT, "; pages: first %.1f ms (with the count), second %.1f ms, median %.1f ms, "
                        + "last two %.1f and %.1f ms; last / first = %.2f, last / second = %.2f", pages.get(0) / 1e6,
                pages.get(1) / 1e6, Row.percentile(sorted, 0.5) / 1e6, beforeLast, last, last / (pages.get(0) / 1e6),
                last / (pages.get(1) / 1e6));
    }

    void bulk(JsonNode spc) throws Exception {
        int max = spc.path("bulk").path("maxOperations").asInt(1000);
        int ops = Math.min(1000, max);
        int rounds = mode.equals("full") ? 10 : 5;
        String label = "Bulk: " + ops + " POST /Users in one POST /Bulk";
        List<Long> lat = new ArrayList<>();
        long errors = 0;
        startProfile(label);
        sampler.begin();
        try (RawHttp h = client()) {
            for (int r = 0; r < rounds + 1; r++) {
                ObjectNode body = DataSet.JSON.createObjectNode();
                body.putArray("schemas").add("urn:ietf:params:scim:api:messages:2.0:BulkRequest");
                body.put("failOnErrors", 1);
                ArrayNode operations = body.putArray("Operations");
                for (int k = 0; k < ops; k++) {
                    String name = newName("b", r, k);
                    ObjectNode op = operations.addObject();
                    op.put("method", "POST").put("path", "/Users").put("bulkId", "b" + k);
                    op.set("data", DataSet.user(k, name, UUID.randomUUID().toString(), name, null));
                }
                long t0 = System.nanoTime();
                RawHttp.Response resp = h.send("POST", BASE + "/Bulk", body.toString());
                long t = System.nanoTime() - t0;
                boolean good = resp.status() == 200 && !resp.text().contains("\"status\":\"4")
                        && !resp.text().contains("\"status\":\"5");
                if (r > 0) {
                    lat.add(t);
                    errors += good ? 0 : 1;
                }
            }
        }
        // The baseline issue 4 names: the same creates from the same one client as single POSTs, one
        // after another on one keep-alive connection, in the same run.
        List<Long> singles = new ArrayList<>();
        long singleErrors = 0;
        try (RawHttp h = client()) {
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                for (int k = 0; k < ops; k++) {
                    String name = newName("s", r, k);
                    if (!ok(h.send("POST", BASE + "/Users", DataSet.user(k, name, UUID.randomUUID().toString(), name,
                            null).toString()), 201)) {
                        singleErrors++;
                    }
                }
                singles.add(System.nanoTime() - t0);
            }
        }
        long heap = sampler.end();
        stopProfile(label);
        List<Long> floor = new ArrayList<>();
        try (Connection c = connect()) {
            for (int r = 0; r < rounds + 1; r++) {
                long t0 = System.nanoTime();
                bulkSql(c, r, ops);
                if (r > 0) {
                    floor.add(System.nanoTime() - t0);
                }
            }
        }
        Row row = Row.of(label, 1, lat.stream().mapToLong(Long::longValue).toArray(), errors, 0);
        row.heapMiB = heap;
        row.floor = Row.of("floor", 1, floor.stream().mapToLong(Long::longValue).toArray(), 0, 0);
        row.byTime = true;
        Row single = Row.of(ops + " single POST /Users, one client, sequential", 1,
                singles.stream().mapToLong(Long::longValue).toArray(), singleErrors, 0);
        row.singlePostsP50 = single.p50;
        row.note = String.format(Locale.ROOT, "creates/s = %d / p50; the same %d creates as single POSTs from one "
                        + "client: p50 %,.0f ms (%d rounds, %d errors) = %.1f× the Bulk's time", ops, ops, single.p50,
                rounds, singleErrors, single.p50 / row.p50);
        rows.add(row);
        System.out.println(row.line());
    }

    /** The same rows as a Bulk of creates: one transaction, batched inserts. */
    void bulkSql(Connection c, int round, int ops) throws Exception {
        c.setAutoCommit(false);
        try (PreparedStatement users = c.prepareStatement("INSERT INTO users (id, email, given_name, family_name, "
                + "created_at, updated_at) VALUES (?, ?, 'Ada', 'Lovelace', now(), now())");
             PreparedStatement members = c.prepareStatement("INSERT INTO workspace_members (workspace_id, user_id, "
                     + "user_name, external_id, display_name, role, status, attributes, version, created_at, "
                     + "last_modified) VALUES (?, ?, ?, ?, 'Ada Lovelace', 'end-user', 'active', CAST(? AS jsonb), 1, "
                     + "now(), now())")) {
            for (int k = 0; k < ops; k++) {
                String name = newName("fb", round, k);
                UUID id = UUID.randomUUID();
                users.setObject(1, id);
                users.setString(2, name);
                users.addBatch();
                ObjectNode attributes = DataSet.user(k, name, UUID.randomUUID().toString(), name, null);
                members.setObject(1, workspace);
                members.setObject(2, id);
                members.setString(3, name);
                members.setString(4, attributes.path("externalId").asText());
                members.setString(5, attributes.toString());
                members.addBatch();
            }
            users.executeBatch();
            members.executeBatch();
        }
        c.commit();
        c.setAutoCommit(true);
    }

    /**
     * A GET scenario with wrk (bench/wrk/scim.lua): {@code count} request targets drawn up front, picked at
     * random by wrk's connections; a warm-up run, then the measured run. The first 20 targets are
     * checked for the right answer first.
     */
    Row wrkGet(String name, Function<Integer, String> target, java.util.function.Predicate<RawHttp.Response> check)
            throws Exception {
        int count = 50_000;
        Path file = work.resolve("paths-" + slug(name) + ".txt");
        StringBuilder lines = new StringBuilder();
        for (int k = 0; k < count; k++) {
            lines.append(BASE).append(target.apply(ThreadLocalRandom.current().nextInt(sizes.users()))).append('\n');
        }
        Files.writeString(file, lines);
        long wrong = 0;
        try (RawHttp h = client()) {
            for (String path : lines.toString().lines().limit(20).toList()) {
                if (!check.test(h.send("GET", path, null))) {
                    wrong++;
                }
            }
        }
        if (wrong > 0) {
            notes.add(name + ": " + wrong + " of 20 checked answers were wrong");
        }
        // JFR's start slows the server for a few seconds: it starts before the warm-up.
        startProfile(name);
        runWrk(file, (int) Math.ceil(warmup));
        sampler.begin();
        String out = runWrk(file, (int) Math.ceil(seconds));
        long heap = sampler.end();
        stopProfile(name);
        Matcher m = Pattern.compile("WRK requests=(\\d+) duration_us=(\\d+) errors=(\\d+) p50_us=(\\d+) "
                + "p99_us=(\\d+)").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("wrk failed: " + out);
        }
        Row r = new Row();
        r.name = name;
        r.connections = conns;
        r.ops = Long.parseLong(m.group(1));
        r.seconds = Long.parseLong(m.group(2)) / 1e6;
        r.throughput = r.ops / r.seconds;
        r.errors = Long.parseLong(m.group(3)) + wrong;
        r.p50 = Long.parseLong(m.group(4)) / 1e3;
        r.p99 = Long.parseLong(m.group(5)) / 1e3;
        r.heapMiB = heap;
        r.wrk = true;
        rows.add(r);
        System.out.println(r.line());
        return r;
    }

    void warmServer() throws Exception {
        long t0 = System.nanoTime();
        Path floor = work.resolve("paths-warm-floor.txt");
        Files.writeString(floor, BASE + "/ServiceProviderConfig\n");
        Path lookups = work.resolve("paths-warm-lookups.txt");
        StringBuilder lines = new StringBuilder();
        for (int k = 0; k < 10_000; k++) {
            int i = ThreadLocalRandom.current().nextInt(sizes.users());
            lines.append(BASE).append("/Users?filter=").append(enc(k % 2 == 0
                    ? "userName eq \"" + DataSet.userName(i) + "\"" : "externalId eq \"" + DataSet.externalId(i) + "\""))
                    .append('\n');
        }
        Files.writeString(lookups, lines);
        int secs = Integer.parseInt(env("BENCH_SERVER_WARMUP", mode.equals("full") ? "10" : "5"));
        runWrk(floor, secs);
        runWrk(lookups, secs);
        System.out.printf("bench: server warmed up for %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    String runWrk(Path paths, int secs) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("wrk", "-t2", "-c" + conns, "-d" + secs + "s", "--timeout", "30s",
                "-s", Path.of(System.getenv("WRK_SCRIPTS"), "scim.lua").toString(), "http://127.0.0.1:" + port);
        pb.environment().put("BENCH_PATHS", paths.toString());
        pb.environment().put("BENCH_TOKEN", TOKEN);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    /** Back to the loaded data set: what earlier runs created goes, archived users come back. */
    void resetDataSet() throws Exception {
        long t0 = System.nanoTime();
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM group_members WHERE user_id IN (SELECT id FROM users WHERE email LIKE '%@new.example.com')");
            int members = s.executeUpdate("DELETE FROM workspace_members WHERE user_name LIKE '%@new.example.com'");
            s.executeUpdate("DELETE FROM users WHERE email LIKE '%@new.example.com'");
            int archived = s.executeUpdate("UPDATE workspace_members SET status = 'active' WHERE status <> 'active'");
            if (members + archived > 0) {
                s.execute("VACUUM (ANALYZE) workspace_members");
                s.execute("VACUUM (ANALYZE) users");
                s.execute("VACUUM (ANALYZE) group_members");
            }
            System.out.printf("bench: reset: %d users from earlier runs removed, %d reactivated (%.1f s)%n", members,
                    archived, (System.nanoTime() - t0) / 1e9);
        }
    }

    // ---------------------------------------------------------------- closed-loop runners

    interface HttpOp {
        boolean run(RawHttp http, int worker, long seq) throws Exception;
    }

    interface DbOp {
        boolean run(Connection c, int worker, long seq) throws Exception;
    }

    Row http(String name, int connections, HttpOp op) throws Exception {
        startProfile(name);
        sampler.begin();
        Row row = closedLoop(name, connections, this::client, RawHttp::close, op::run);
        row.heapMiB = sampler.end();
        stopProfile(name);
        rows.add(row);
        System.out.println(row.line());
        return row;
    }

    void dbFloor(Row row, DbOp op) throws Exception {
        row.floor = closedLoop("floor of " + row.name, row.connections, this::connectUnchecked, c -> {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing
            }
        }, op::run);
        System.out.println("   floor: " + row.floor.line());
    }

    interface Opener<R> {
        R open() throws Exception;
    }

    interface Closer<R> {
        void close(R r);
    }

    interface Work<R> {
        boolean run(R r, int worker, long seq) throws Exception;
    }

    /** {@code connections} workers, each one connection, back to back; warm-up, then a measured window. */
    <R> Row closedLoop(String name, int connections, Opener<R> opener, Closer<R> closer, Work<R> work)
            throws Exception {
        long warmEnd = System.nanoTime() + (long) (warmup * 1e9);
        long end = warmEnd + (long) (seconds * 1e9);
        long maxOps = 5_000_000;
        AtomicLong issued = new AtomicLong();
        AtomicBoolean failedHard = new AtomicBoolean();
        long[][] latencies = new long[connections][];
        long[] errors = new long[connections];
        long[] lastDone = new long[connections];
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < connections; w++) {
            int worker = w;
            Thread t = new Thread(() -> {
                long[] lat = new long[1 << 14];
                int n = 0;
                R r = null;
                try {
                    r = opener.open();
                    long seq = 0;
                    while (issued.incrementAndGet() <= maxOps) {
                        long t0 = System.nanoTime();
                        if (t0 >= end) {
                            break;
                        }
                        boolean ok;
                        try {
                            ok = work.run(r, worker, seq++);
                        } catch (Exception e) {
                            ok = false;
                            if (errors[worker] == 0) {
                                System.err.println(name + ": " + e);
                            }
                        }
                        long t1 = System.nanoTime();
                        if (t0 >= warmEnd && t1 <= end) {
                            if (n == lat.length) {
                                lat = Arrays.copyOf(lat, n * 2);
                            }
                            lat[n++] = ok ? t1 - t0 : -(t1 - t0);
                            lastDone[worker] = t1;
                        }
                    }
                } catch (Exception e) {
                    failedHard.set(true);
                    System.err.println(name + ": worker failed: " + e);
                } finally {
                    if (r != null) {
                        closer.close(r);
                    }
                    long err = 0;
                    for (int k = 0; k < n; k++) {
                        if (lat[k] < 0) {
                            err++;
                            lat[k] = -lat[k];
                        }
                    }
                    errors[worker] = err;
                    latencies[worker] = Arrays.copyOf(lat, n);
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).toArray();
        long errs = Arrays.stream(errors).sum();
        long last = Arrays.stream(lastDone).max().orElse(end);
        double window = Math.max(1e-3, (Math.min(last, end) - warmEnd) / 1e9);
        return Row.of(name, connections, all, errs, window);
    }

    // ---------------------------------------------------------------- plumbing

    RawHttp client() {
        return new RawHttp("127.0.0.1", port, "Bearer " + TOKEN);
    }

    Connection connect() throws Exception {
        return DriverManager.getConnection(jdbcUrl, dbUser, dbPassword);
    }

    Connection connectUnchecked() throws Exception {
        return connect();
    }

    RawHttp.Response get(String path) throws Exception {
        try (RawHttp h = client()) {
            return h.send("GET", BASE + path, null);
        }
    }

    static boolean ok(RawHttp.Response r, int status) {
        return r.status() == status;
    }

    static JsonNode json(byte[] body) throws IOException {
        return DataSet.JSON.readTree(body);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    String newName(String kind, long worker, long seq) {
        return kind + "." + runId + "." + worker + "." + seq + "@new.example.com";
    }

    static void drain(ResultSet rs) throws Exception {
        try (rs) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int k = 1; k <= columns; k++) {
                    rs.getObject(k);
                }
            }
        }
    }

    int[] probePair() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        int g = 1 + r.nextInt(groupIds.length - 1);
        int u = r.nextBoolean() ? DataSet.groupMember(sizes, g, r.nextInt(sizes.groupSize()))
                : r.nextInt(sizes.users());
        return new int[] {g, u};
    }

    int[] pool(java.util.function.IntPredicate p, int unused) {
        return java.util.stream.IntStream.range(0, sizes.users()).filter(p).toArray();
    }

    int countMembers() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM workspace_members")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    void readDataSet() throws Exception {
        long t0 = System.nanoTime();
        userIds = new UUID[sizes.users()];
        groupIds = new UUID[sizes.groups()];
        try (Connection c = connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.setFetchSize(10_000);
            try (ResultSet rs = s.executeQuery("SELECT id FROM workspaces WHERE is_default")) {
                rs.next();
                workspace = rs.getObject(1, UUID.class);
            }
            try (ResultSet rs = s.executeQuery("SELECT user_id, user_name FROM workspace_members "
                    + "WHERE user_name LIKE '%@example.com'")) {
                while (rs.next()) {
                    Matcher m = INDEX.matcher(rs.getString(2));
                    if (m.find()) {
                        int i = Integer.parseInt(m.group(1));
                        if (i < userIds.length) {
                            userIds[i] = rs.getObject(1, UUID.class);
                        }
                    }
                }
            }
            Map<String, UUID> byName = new HashMap<>();
            try (ResultSet rs = s.executeQuery("SELECT id, name FROM groups WHERE type = 'custom'")) {
                while (rs.next()) {
                    byName.put(rs.getString(2), rs.getObject(1, UUID.class));
                }
            }
            for (int g = 0; g < groupIds.length; g++) {
                groupIds[g] = byName.get(DataSet.groupName(g));
            }
            c.commit();
        }
        for (int i = 0; i < userIds.length; i++) {
            if (userIds[i] == null) {
                throw new IllegalStateException("user " + i + " is not loaded: run the loader for mode " + mode);
            }
        }
        for (int g = 0; g < groupIds.length; g++) {
            if (groupIds[g] == null) {
                throw new IllegalStateException("group " + g + " is not loaded");
            }
        }
        System.out.printf("bench: data set found: %,d users, %,d groups (%.1f s)%n", userIds.length, groupIds.length,
                (System.nanoTime() - t0) / 1e9);
    }

    /** pg_stat_statements is reset before each scenario and read after it, as the superuser postgres. */
    void resetStatements() {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "");
             Statement st = c.createStatement()) {
            st.execute("SELECT pg_stat_statements_reset()");
        } catch (Exception e) {
            // pg_stat_statements is optional
        }
    }

    /** The server's statements that took the most database time in the scenario. */
    String topStatements() {
        StringBuilder out = new StringBuilder("  database time by statement (pg_stat_statements, top 5):\n");
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "");
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

    static String slug(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }

    // ---------------------------------------------------------------- the server process

    long startServer() throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(Arrays.asList(serverOpts().trim().split("\\s+")));
        command.add("-jar");
        command.add(jar);
        ProcessBuilder pb = new ProcessBuilder(command);
        String host = jdbcUrl.replaceFirst("^jdbc:postgresql://", "");
        pb.environment().put("SCIM_ENABLED", "true");
        pb.environment().put("SCIM_HEADER_AUTH_TOKEN", TOKEN);
        pb.environment().put("PORT", Integer.toString(port));
        pb.environment().put("DATABASE_URL", "postgres://" + dbUser + ":" + dbPassword + "@" + host);
        pb.environment().remove("DATA_DIR");
        pb.directory(work.toFile());
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("server.log").toFile()));
        long t0 = System.nanoTime();
        server = pb.start();
        serverPid = server.pid();
        long deadline = t0 + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IllegalStateException("the server exited with " + server.exitValue() + "; see "
                        + work.resolve("server.log"));
            }
            try (RawHttp h = client()) {
                if (h.send("GET", BASE + "/ServiceProviderConfig", null).status() == 200) {
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    System.out.println("bench: server up, first answer after " + ms + " ms (pid " + serverPid + ")");
                    return ms;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("the server did not answer within 60 s");
    }

    void stopServer() throws Exception {
        if (server != null && server.isAlive()) {
            server.destroy();
            if (!server.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                server.destroyForcibly();
                server.waitFor();
            }
        }
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + "/" + f[1] + "/" + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    static long peakRss(long pid) {
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

    // ---------------------------------------------------------------- profiling

    void startProfile(String name) {
        resetStatements();
        if (!profile) {
            return;
        }
        // The default settings (20 ms samples, no allocation profiling) cost the server little;
        // "profile" settings took 40% off the HTTP floor.
        jcmd("JFR.start", "name=bench", "settings=" + jfrSettings());
    }

    /**
     * The default settings without Jdbi's own event: Jdbi records one per statement, with its
     * parameters formatted, whenever JFR runs, and that cost a fifth of a lookup's CPU samples,
     * which a server without JFR never pays.
     */
    Path jfrSettings() {
        Path settings = work.resolve("bench.jfc");
        try {
            String defaults = Files.readString(Path.of(System.getProperty("java.home"), "lib", "jfr", "default.jfc"));
            int end = defaults.lastIndexOf("</configuration>");
            Files.writeString(settings, defaults.substring(0, end) + "  <event name=\"jdbi.statement\">\n"
                    + "    <setting name=\"enabled\">false</setting>\n  </event>\n" + defaults.substring(end));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return settings;
    }

    void stopProfile(String name) {
        String statements = topStatements();
        profiles.merge(name, statements, (x, y) -> x + y);
        if (!profile) {
            return;
        }
        Path file = work.resolve("profile-" + slug(name) + ".jfr");
        jcmd("JFR.stop", "name=bench", "filename=" + file);
        try {
            profiles.merge(name, hotMethods(file), (a, b) -> b + a);
        } catch (Exception e) {
            System.err.println("profile of " + name + ": " + e);
        }
    }

    void jcmd(String... args) {
        try {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
            command.add(Long.toString(serverPid));
            command.addAll(Arrays.asList(args));
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("jcmd " + String.join(" ", args) + ": " + e);
        }
    }

    /** Where the server's CPU samples fall: top frames, and the first frame of the server's own code. */
    static String hotMethods(Path file) throws IOException {
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
            for (RecordedFrame f : frames) {
                String m = frame(f);
                if (m.startsWith("dev.scimserver.")) {
                    own.merge(m, 1, Integer::sum);
                    break;
                }
            }
        }
        int n = Math.max(1, samples);
        StringBuilder out = new StringBuilder("JFR CPU samples: " + samples + "\n  hottest frames:\n");
        top.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(8)
                .forEach(x -> out.append(String.format(Locale.ROOT, "    %5.1f%% %s%n", 100.0 * x.getValue() / n,
                        x.getKey())));
        out.append("  innermost server frame on the stack:\n");
        own.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(8)
                .forEach(x -> out.append(String.format(Locale.ROOT, "    %5.1f%% %s%n", 100.0 * x.getValue() / n,
                        x.getKey())));
        return out.toString();
    }

    static String frame(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    // ---------------------------------------------------------------- heap and RSS sampling

    /** One long-running {@code jstat -gc PID 250}; peak used heap (S0U+S1U+EU+OU) per window. */
    static final class HeapSampler {
        private Process jstat;
        private Thread reader;
        private volatile long windowPeakKb;
        private volatile long runPeakKb;

        void start(long pid) throws IOException {
            String jstatBin = Path.of(System.getProperty("java.home"), "bin", "jstat").toString();
            jstat = new ProcessBuilder(jstatBin, "-gc", Long.toString(pid), "250").redirectErrorStream(true).start();
            reader = new Thread(() -> {
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
            });
            reader.setDaemon(true);
            reader.start();
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

    // ---------------------------------------------------------------- results

    static final class Row {
        String name;
        int connections;
        long ops;
        double seconds;
        double throughput;
        double p50;
        double p99;
        long errors;
        Row floor;
        long heapMiB = -1;
        boolean wrk;
        boolean byTime;
        String note = "";
        double exportSeconds;
        double exportFloorSeconds;
        double singlePostsP50;

        static Row of(String name, int connections, long[] latencies, long errors, double window) {
            Row r = new Row();
            r.name = name;
            r.connections = connections;
            long[] sorted = latencies.clone();
            Arrays.sort(sorted);
            r.ops = sorted.length;
            double total = Arrays.stream(sorted).sum() / 1e9;
            r.seconds = window > 0 ? window : total;
            r.throughput = r.seconds > 0 ? r.ops / r.seconds : 0;
            r.p50 = percentile(sorted, 0.50) / 1e6;
            r.p99 = percentile(sorted, 0.99) / 1e6;
            r.errors = errors;
            return r;
        }

        static double percentile(long[] sorted, double q) {
            if (sorted.length == 0) {
                return Double.NaN;
            }
            int k = (int) Math.ceil(q * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, k))];
        }

        String line() {
            return String.format(Locale.ROOT, "%-60s c=%d ops=%d %.0f/s p50=%.2fms p99=%.2fms errors=%d", name,
                    connections, ops, throughput, p50, p99, errors);
        }
    }

    String table(long startupMs, long rssPeak) {
        StringBuilder t = new StringBuilder();
        t.append("| scenario | conns | ops | ops/s | p50 ms | p99 ms | errors | vs HTTP floor | DB floor ops/s "
                + "| DB floor p50 ms | vs DB floor | heap peak MiB |\n");
        t.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Row r : rows) {
            Row floorOfTool = r.wrk ? httpFloor : httpFloorJava;
            String vsHttp = r == httpFloor || r == httpFloorJava ? "(floor)"
                    : r.byTime || floorOfTool == null ? "" : pct(r.throughput / floorOfTool.throughput);
            String floorOps = r.floor == null ? "" : r.byTime ? "" : fmt(r.floor.throughput, 0);
            String floorP50 = r.floor == null ? "" : fmt(r.floor.p50, 2);
            String vsDb = r.floor == null ? ""
                    : r.exportFloorSeconds > 0 ? "time " + fmt(r.exportSeconds / r.exportFloorSeconds, 2) + "×"
                    : r.byTime ? "time " + fmt(r.p50 / r.floor.p50, 2) + "×"
                    : pct(r.throughput / r.floor.throughput);
            t.append("| ").append(r.name).append(r.note.isEmpty() ? "" : " — " + r.note).append(" | ")
                    .append(r.connections).append(" | ").append(r.ops).append(" | ").append(fmt(r.throughput, 0))
                    .append(" | ").append(fmt(r.p50, 2)).append(" | ").append(fmt(r.p99, 2)).append(" | ")
                    .append(r.errors).append(" | ").append(vsHttp).append(" | ").append(floorOps).append(" | ")
                    .append(floorP50).append(" | ").append(vsDb).append(" | ").append(r.heapMiB).append(" |\n");
        }
        t.append("\n");
        t.append("- server: peak RSS ").append(rssPeak).append(" MiB, peak used heap ").append(sampler.runPeakMiB())
                .append(" MiB (jstat every 250 ms; JVM options ").append(serverOpts()).append(")\n");
        for (String n : notes) {
            t.append("- ").append(n).append('\n');
        }
        t.append(targets(startupMs));
        return t.toString();
    }

    String targets(long startupMs) {
        StringBuilder t = new StringBuilder("\nTargets (issue 6):\n\n");
        for (Row r : rows) {
            if (r.name.startsWith("lookup") && httpFloor != null) {
                double ratio = r.throughput / httpFloor.throughput;
                t.append(verdict(ratio >= 0.5, r.name + " ≥ 50% of the HTTP floor's throughput: " + pct(ratio)));
            }
            if (r.name.startsWith("create: POST")) {
                double ratio = r.throughput / r.floor.throughput;
                t.append(verdict(ratio >= 0.5, "creates ≥ 50% of the database floor: " + pct(ratio)));
            }
            if (r.name.startsWith("create with password")) {
                t.append("- (reported) creates with a bcrypt cost-10 password: ").append(pct(r.throughput
                        / r.floor.throughput)).append(" of the database floor for the same rows\n");
            }
            if (r.name.startsWith("export")) {
                double ratio = r.exportSeconds / r.exportFloorSeconds;
                boolean complete = !r.note.contains("time bound");
                t.append(verdict(complete && ratio <= 2.0, "export of all users ≤ 2× the database floor's time: "
                        + fmt(ratio, 2) + "×" + (complete ? "" : " for the part done before the time bound")));
                t.append(verdict(r.heapMiB < 256, "export heap < 256 MiB: peak used " + r.heapMiB + " MiB"));
            }
            if (r.name.startsWith("group PATCH +")) {
                double ratio = r.p50 / r.floor.p50;
                t.append(verdict(ratio <= 2.0, "adding " + r.name.replaceAll("^group PATCH \\+(\\d+).*", "$1")
                        + " members to the big group ≤ 2× the database floor: " + fmt(ratio, 2) + "× (p50 "
                        + fmt(r.p50, 1) + " ms vs " + fmt(r.floor.p50, 1) + " ms)"));
            }
        }
        for (Row r : rows) {
            if (r.name.startsWith("Bulk:") && r.singlePostsP50 > 0) {
                double ratio = r.singlePostsP50 / r.p50;
                t.append(verdict(ratio >= 3.0, "(issue 4) a Bulk of 1,000 creates ≥ 3× faster than the same creates as "
                        + "single POSTs from one client: " + fmt(ratio, 1) + "× (p50 " + fmt(r.p50, 0) + " ms vs "
                        + fmt(r.singlePostsP50, 0) + " ms)"));
            }
        }
        t.append(verdict(startupMs < 2000, "startup to first answer on external PostgreSQL < 2 s: " + startupMs + " ms"));
        return t.toString();
    }

    static String verdict(boolean met, String what) {
        return "- " + (met ? "MET" : "MISSED") + ": " + what + "\n";
    }

    static String pct(double ratio) {
        return fmt(100 * ratio, 0) + "%";
    }

    static String fmt(double v, int decimals) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "–";
        }
        return String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }

    void appendResults(String table) throws IOException {
        StringBuilder s = new StringBuilder();
        s.append("\n## ").append(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")))
                .append(" — ").append(mode).append(" mode, commit ").append(commit).append("\n\n");
        s.append(sizes.users()).append(" users, ").append(sizes.groups()).append(" groups (one of ")
                .append(sizes.bigGroup()).append(" members, the others ").append(sizes.groupSize())
                .append("), ").append(conns).append(" connections, ").append(fmt(warmup, 0)).append(" s warm-up + ")
                .append(fmt(seconds, 0)).append(" s per scenario, sequential scenarios bounded at ")
                .append(fmt(sequentialBound, 0)).append(" s. ").append(machine())
                .append(env("BENCH_SCENARIOS", "").isEmpty() ? "" : " Only the scenarios " + env("BENCH_SCENARIOS", "") + ".")
                .append("\n\n");
        String load = work.resolve("load.log").toFile().exists()
                ? Files.readAllLines(work.resolve("load.log")).stream().filter(l -> l.contains(" in ")
                && l.startsWith("loader:")).map(l -> "- " + l.substring(8)).collect(Collectors.joining("\n")) : "";
        if (!load.isEmpty()) {
            s.append("Loading (through UserService/GroupService on PostgresDirectoryStore):\n\n").append(load).append("\n\n");
        }
        s.append(table);
        if (!profiles.isEmpty()) {
            Path profileFile = work.resolve("profiles.txt");
            StringBuilder p = new StringBuilder();
            profiles.forEach((k, v) -> p.append("### ").append(k).append("\n").append(v).append("\n"));
            Files.writeString(profileFile, p.toString());
            System.out.println("bench: profiles in " + profileFile);
        }
        Files.writeString(resultsFile, s.toString(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.out.println("bench: appended to " + resultsFile);
    }

    static String machine() {
        return Runtime.getRuntime().availableProcessors() + " cores, Java " + Runtime.version() + ", PostgreSQL "
                + env("BENCH_PG_VERSION", "?") + ", load generator and server on the same machine (loopback), nice "
                + env("BENCH_NICE", "0") + ". GETs are driven by wrk, writes and sequences by the Java driver; "
                + "'vs HTTP floor' compares with the floor measured by the same tool.";
    }
}
