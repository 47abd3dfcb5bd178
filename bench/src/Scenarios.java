import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * The closed-loop scenarios, each with its floor: GETs driven by wrk, writes by the Java driver,
 * {@link Settings#conns} connections each. Writes change users of disjoint pools, so that every
 * request is a real change and no two scenarios touch the same user.
 */
final class Scenarios {
    private static final String BASE = ServerUnderTest.BASE;
    /** A bcrypt hash of cost 10, as the server stores a password. */
    private static final String PASSWORD_HASH = "$2a$10$abcdefghijklmnopqrstuu5Qh5wz8n6lqyq0m1F0bH8Z0sR4yZcG6";

    private final Settings settings;
    private final LoadedDataSet data;
    private final Floors floors;
    private final LoadDriver driver;
    private final ResultsTable results;

    Scenarios(Settings settings, LoadedDataSet data, Floors floors, LoadDriver driver, ResultsTable results) {
        this.settings = settings;
        this.data = data;
        this.floors = floors;
        this.driver = driver;
        this.results = results;
    }

    /** The HTTP floor: an authenticated GET that touches no database, measured with each tool. */
    void httpFloor() throws Exception {
        Row wrk = driver.wrkGet("HTTP floor: GET /ServiceProviderConfig (wrk)", i -> "/ServiceProviderConfig",
                r -> r.status() == 200);
        Row javaDriver = driver.http("HTTP floor: GET /ServiceProviderConfig (Java driver)", (h, w, s) ->
                h.send("GET", BASE + "/ServiceProviderConfig", null).status() == 200);
        results.httpFloors(wrk, javaDriver);
    }

    /** Lookups by userName, externalId and work email, at random over every user. */
    void userLookups() throws Exception {
        userLookup("lookup userName eq", i -> "userName eq \"" + DataSet.userName(i) + "\"",
                "scim_fold(m.user_name) = scim_fold(?)", DataSet::userName);
        userLookup("lookup externalId eq", i -> "externalId eq \"" + DataSet.externalId(i) + "\"",
                "m.external_id = ?", DataSet::externalId);
        userLookup("lookup emails[type eq \"work\"].value eq", i -> "emails[type eq \"work\"].value eq \""
                + DataSet.workEmail(i) + "\"", "EXISTS (SELECT 1 FROM member_emails me WHERE me.workspace_id = m.workspace_id "
                + "AND me.user_id = m.user_id AND me.type = 'work' AND scim_fold(me.value) = scim_fold(?))",
                DataSet::workEmail);
    }

    private void userLookup(String name, IntFunction<String> filter, String floorWhere, IntFunction<String> value)
            throws Exception {
        Row row = driver.wrkGet(name + " (wrk)", i -> "/Users?filter=" + RawHttp.encode(filter.apply(i)),
                r -> r.status() == 200 && r.text().contains("\"totalResults\":1,"));
        driver.dbFloor(row, (c, w, s) -> {
            int i = ThreadLocalRandom.current().nextInt(settings.sizes.users());
            return floors.lookup(c, floorWhere, value.apply(i)) == 1;
        });
    }

    /** Entra's group lookup: a group by displayName, without its members. */
    void groupLookup() throws Exception {
        Row byName = driver.wrkGet("lookup Groups displayName eq (wrk)", i -> "/Groups?excludedAttributes=members&filter="
                + RawHttp.encode("displayName eq \"" + DataSet.groupName(1 + i % (data.groupIds.length - 1)) + "\""),
                r -> r.status() == 200 && r.text().contains("\"totalResults\":1,"));
        driver.dbFloor(byName, (c, w, s) -> {
            floors.groupByName(c, DataSet.groupName(data.regularGroup()));
            return true;
        });
    }

    /** Entra's membership probe: is user U in group G? Half the probes hit. */
    void membershipProbe() throws Exception {
        Row probe = driver.wrkGet("Entra membership probe: Groups id eq and members[value eq] (wrk)", k -> {
            int[] gu = data.probePair();
            String filter = "id eq \"" + data.groupIds[gu[0]] + "\" and members[value eq \"" + data.userIds[gu[1]]
                    + "\"]";
            return "/Groups?excludedAttributes=members&filter=" + RawHttp.encode(filter);
        }, r -> r.status() == 200);
        driver.dbFloor(probe, (c, w, s) -> {
            int[] gu = data.probePair();
            floors.membershipProbe(c, data.groupIds[gu[0]], data.userIds[gu[1]]);
            return true;
        });
    }

    /** PATCH deactivate (Okta's shape), each request a real change: worker-owned users flip. */
    void deactivate() throws Exception {
        int[] pool = data.pool(i -> i % 4 == 1);
        boolean[] active = allActive(pool);
        Row patch = driver.http("PATCH active=false (deactivate)", (h, w, s) -> {
            int j = ownedBy(w, s, pool);
            boolean value = !active[j];
            boolean ok = h.send("PATCH", BASE + "/Users/" + data.userIds[pool[j]], DataSet.patchRequest(
                    "{\"op\":\"replace\",\"value\":{\"active\":" + value + "}}")).status() == 200;
            if (ok) {
                active[j] = value;
            }
            return ok;
        });
        int[] floorPool = data.pool(i -> i % 4 == 3);
        boolean[] floorActive = allActive(floorPool);
        driver.dbFloor(patch, (c, w, s) -> {
            int j = ownedBy(w, s, floorPool);
            boolean value = !floorActive[j];
            floors.setActive(c, data.userIds[floorPool[j]], value);
            floorActive[j] = value;
            return true;
        });
    }

    /**
     * Entra's update of a changed title and department: two Replace operations in one PATCH, each
     * request a real change (the values carry the request's number). Users of a pool no other
     * scenario writes; the floor changes the deactivation floor's pool, which is idle by then.
     */
    void attributeChange() throws Exception {
        int[] pool = data.pool(i -> i % 4 == 0);
        Row patch = driver.http("Entra PATCH Replace title and department", (h, w, s) -> {
            int j = ownedBy(w, s, pool);
            return h.send("PATCH", BASE + "/Users/" + data.userIds[pool[j]], DataSet.patchRequest(
                    "{\"op\":\"Replace\",\"path\":\"title\",\"value\":\"Title " + w + "-" + s + "\"},"
                    + "{\"op\":\"Replace\",\"path\":\"" + DataSet.ENTERPRISE + ":department\",\"value\":"
                    + "\"Department " + w + "-" + s + "\"}")).status() == 200;
        });
        int[] floorPool = data.pool(i -> i % 4 == 3);
        driver.dbFloor(patch, (c, w, s) -> {
            floors.setTitleAndDepartment(c, data.userIds[floorPool[ownedBy(w, s, floorPool)]], "Title " + w + "-" + s,
                    "Department " + w + "-" + s);
            return true;
        });
    }

    private static boolean[] allActive(int[] pool) {
        boolean[] active = new boolean[pool.length];
        Arrays.fill(active, true);
        return active;
    }

    /** The pool entry worker {@code w} changes in its {@code s}-th operation: no two workers share one. */
    private int ownedBy(int w, long s, int[] pool) {
        return (int) ((w + (long) settings.conns * s) % pool.length);
    }

    /** Group add and remove of 1 member, on the regular groups: worker-owned (group, user) pairs. */
    void groupOneMember() throws Exception {
        int[] pool = data.pool(i -> i % 4 == 2);
        Row group1 = driver.http("group PATCH add/remove 1 member (alternating)", (h, w, s) -> {
            UUID[] gu = groupAndUser(w, s, pool);
            String op = s % 2 == 0
                    ? "{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"" + gu[1] + "\"}]}"
                    : "{\"op\":\"remove\",\"path\":\"members[value eq \\\"" + gu[1] + "\\\"]\"}";
            return h.send("PATCH", BASE + "/Groups/" + gu[0], DataSet.patchRequest(op)).status() == 204;
        });
        driver.dbFloor(group1, (c, w, s) -> {
            UUID[] gu = groupAndUser(w, s, pool);
            floors.changeMembers(c, gu[0], new UUID[] {gu[1]}, s % 2 == 0);
            return true;
        });
    }

    /** The (group, user) pair worker {@code w} adds in its {@code s}-th operation and removes in the next. */
    private UUID[] groupAndUser(int w, long s, int[] pool) {
        long pair = w + (long) settings.conns * (s / 2);
        return new UUID[] {data.groupIds[1 + (int) (pair % (data.groupIds.length - 1))],
                data.userIds[pool[(int) (pair % pool.length)]]};
    }

    /** Creates of a full Entra-shaped user, without and with a password. */
    void creates() throws Exception {
        DatabaseCounters counters = new DatabaseCounters(settings);
        Map<String, Long> updatedBefore = counters.rowsUpdated();
        Row create = driver.http("create: POST /Users", (h, w, s) -> h.send("POST", BASE + "/Users",
                DataSet.user((int) s, settings.newName("c", w, s), UUID.randomUUID().toString(),
                        settings.newName("c", w, s), null).toString()).status() == 201);
        DatabaseCounters.settleCounts();
        Map<String, Long> updated = DatabaseCounters.updatedSince(updatedBefore, counters.rowsUpdated());
        create.rowsUpdated = updated.values().stream().mapToLong(Long::longValue).max().orElse(0);
        create.rowsUpdatedBy = updated.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
        driver.dbFloor(create, (c, w, s) -> floors.create(c, s, settings.newName("fc", w, s), null));
        Row createPw = driver.http("create with password (bcrypt cost 10)", (h, w, s) -> h.send("POST",
                BASE + "/Users", DataSet.user((int) s, settings.newName("p", w, s), UUID.randomUUID().toString(),
                        settings.newName("p", w, s), "Bench-" + w + "-" + s + "-secret").toString()).status() == 201);
        driver.dbFloor(createPw, (c, w, s) -> floors.create(c, s, settings.newName("fp", w, s), PASSWORD_HASH));
    }

    /**
     * Index pages of 100 at a random startIndex, one client: what an IdP's import pays per page,
     * anywhere in the list. The floor counts and reads the same page.
     */
    void indexPages() throws Exception {
        int members = floors.countMembers();
        DatabaseCounters counters = new DatabaseCounters(settings);
        counters.countPlans(true);
        long[][] plans = new long[2][];
        Row pages;
        try {
            pages = driver.http("index page: GET /Users?startIndex=(random)&count=100, 1 client", 1, (h, w, s) ->
                    h.send("GET", BASE + "/Users?startIndex=" + randomStart(members) + "&count=100", null)
                            .status() == 200, new CpuMeter.Watch() {
                        @Override
                        public void started() throws Exception {
                            plans[0] = counters.pageStatementPlans();
                        }

                        @Override
                        public void ended() throws Exception {
                            plans[1] = counters.pageStatementPlans();
                        }
                    });
        } finally {
            counters.countPlans(false);
        }
        pages.members = members;
        if (plans[0] != null && plans[1] != null) {
            pages.pageStatementCalls = plans[1][0] - plans[0][0];
            pages.pageStatementPlans = plans[1][1] - plans[0][1];
        }
        driver.dbFloor(pages, (c, w, s) -> {
            floors.indexPage(c, randomStart(members), 100);
            return true;
        });
    }

    private static int randomStart(int members) {
        return 1 + ThreadLocalRandom.current().nextInt(Math.max(1, members - 99));
    }

    /** Entra's first sync: a userName eq probe that finds nothing, then the POST, per user. */
    void entraFirstSync() throws Exception {
        Row entra = driver.http("Entra first sync: probe + POST per user", (h, w, s) -> {
            String name = settings.newName("e", w, s);
            RawHttp.Response r = h.send("GET", BASE + "/Users?filter=" + RawHttp.encode("userName eq \"" + name
                    + "\""), null);
            if (r.status() != 200 || !r.text().contains("\"totalResults\":0")) {
                return false;
            }
            return h.send("POST", BASE + "/Users", DataSet.user((int) s, name, UUID.randomUUID().toString(), name,
                    null).toString()).status() == 201;
        });
        driver.dbFloor(entra, (c, w, s) -> {
            String name = settings.newName("fe", w, s);
            floors.lookup(c, "scim_fold(m.user_name) = scim_fold(?)", name);
            return floors.create(c, s, name, null);
        });
    }
}
