import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimserver.directory.DirectoryTransaction;
import dev.scimserver.directory.Actor;
import dev.scimserver.directory.GroupService;
import dev.scimserver.directory.Member;
import dev.scimserver.directory.MemberStatus;
import dev.scimserver.directory.NewMember;
import dev.scimserver.directory.Person;
import dev.scimserver.directory.Role;
import dev.scimserver.scim.ResourceNormalizer;
import dev.scimserver.scim.ScimSchemas;
import dev.scimserver.directory.UserService;
import dev.scimserver.store.Database;
import dev.scimserver.store.PostgresDirectoryStore;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Loads the data set through the server's own code: dev.scimserver.directory.UserService and
 * GroupService over dev.scimserver.store.PostgresDirectoryStore, each user one create transaction
 * exactly as POST /Users runs it (normalisation, the ToolJet person/member rules, the same SQL).
 * Only the commit is asynchronous (synchronous_commit=off for the loader's connections).
 * <p>
 * BENCH_LOADER=store (the default) is faster: the same normalisation (ResourceNormalizer) and the
 * same store call UserService.create makes (DirectoryTransaction.insertMemberWithPerson, the
 * server's SQL), {@value #BATCH} users per store transaction. BENCH_LOADER=service runs
 * UserService.create per user.
 *
 * Usage: Loader JDBC_URL USER PASSWORD MODE THREADS
 */
public final class Loader {
    static final int BATCH = 500;

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String user = args[1];
        String password = args[2];
        DataSet.Sizes sizes = DataSet.Sizes.of(args[3]);
        int threads = Integer.parseInt(args[4]);
        String loadUrl = url + (url.contains("?") ? "&" : "?") + "options=-c%20synchronous_commit%3Doff";
        long t0 = System.nanoTime();
        try (Database db = Database.external(loadUrl, user, password, threads)) {
            System.out.printf("loader: schema migrated in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            PostgresDirectoryStore store = new PostgresDirectoryStore(db.dataSource());
            UserService users = new UserService(store, Clock.systemUTC());
            GroupService groups = new GroupService(store, Clock.systemUTC());
            Actor loader = new Actor(store.defaultWorkspaceId(), "bench-loader", null, null);
            UUID[] ids = loadUsers(store, loader, users, sizes, threads);
            loadGroups(groups, loader, sizes, ids, threads);
        }
        analyze(url, user, password);
        System.out.printf("loader: total %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    /** Every user of the data set; answers the ids the server gave them, by index. */
    private static UUID[] loadUsers(PostgresDirectoryStore store, Actor loader, UserService users,
            DataSet.Sizes sizes, int threads) throws Exception {
        UUID[] ids = new UUID[sizes.users()];
        long start = System.nanoTime();
        boolean service = "service".equals(System.getenv("BENCH_LOADER"));
        if (service) {
            parallel(threads, sizes.users(), "users", i -> ids[i] = users.create(loader, DataSet.user(i)).member()
                    .userId());
        } else {
            int batches = (sizes.users() + BATCH - 1) / BATCH;
            parallel(threads, batches, "batches of " + BATCH + " users", b -> store.inTransaction(loader, tx -> {
                insertBatch(tx, loader.workspaceId(), b, sizes, ids);
                return null;
            }));
        }
        double userSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("loader: %,d users in %.1f s = %,.0f users/s (%d threads, %s)%n",
                sizes.users(), userSeconds, sizes.users() / userSeconds, threads,
                service ? "UserService.create, one transaction per user"
                        : "DirectoryTransaction.insertMemberWithPerson, " + BATCH + " per transaction");
        return ids;
    }

    /** Batch {@code b} of users, normalised and written as UserService.create does it. */
    private static void insertBatch(DirectoryTransaction tx, UUID workspace, int b, DataSet.Sizes sizes, UUID[] ids) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        for (int i = b * BATCH; i < Math.min(sizes.users(), (b + 1) * BATCH); i++) {
            ObjectNode stored = ResourceNormalizer.normalize(ScimSchemas.get().users(), DataSet.user(i));
            stored.remove("active");
            ObjectNode ext = (ObjectNode) stored.remove(DataSet.TOOLJET);
            Role role = Role.parse(ext.get("role").asText());
            ObjectNode name = (ObjectNode) stored.get("name");
            String email = stored.get("emails").get(0).get("value").asText();
            UUID id = UUID.randomUUID();
            ids[i] = tx.insertMemberWithPerson(workspace, new NewMember(new Person(email,
                    name.get("givenName").asText(), name.get("familyName").asText()), null,
                    new Member(id, stored.get("userName").asText(), stored.get("externalId").asText(),
                            stored.get("displayName").asText(), role, MemberStatus.ACTIVE, stored, 1,
                            now, now))).orElseThrow().userId();
        }
    }

    /** The big group with its members in one create, then the regular groups in parallel. */
    private static void loadGroups(GroupService groups, Actor loader, DataSet.Sizes sizes, UUID[] ids, int threads)
            throws Exception {
        long start = System.nanoTime();
        ObjectNode big = groupBody(0);
        ArrayNode members = big.putArray("members");
        for (int i = 0; i < sizes.bigGroup(); i++) {
            members.addObject().put("value", ids[i].toString());
        }
        groups.create(loader, big, false);
        double bigSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("loader: group '%s' with %,d members in %.1f s (one GroupService.create)%n",
                DataSet.groupName(0), sizes.bigGroup(), bigSeconds);

        start = System.nanoTime();
        parallel(threads, sizes.groups() - 1, "groups", k -> {
            int g = k + 1;
            ObjectNode body = groupBody(g);
            ArrayNode m = body.putArray("members");
            for (int j = 0; j < sizes.groupSize(); j++) {
                m.addObject().put("value", ids[DataSet.groupMember(sizes, g, j)].toString());
            }
            groups.create(loader, body, false);
        });
        double groupSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("loader: %,d groups of %d members in %.1f s = %,.0f groups/s%n", sizes.groups() - 1,
                sizes.groupSize(), groupSeconds, (sizes.groups() - 1) / groupSeconds);
    }

    private static void analyze(String url, String user, String password) throws Exception {
        long t = System.nanoTime();
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute("VACUUM (ANALYZE) workspace_members");
            s.execute("VACUUM (ANALYZE) users");
            s.execute("VACUUM (ANALYZE) groups");
            s.execute("VACUUM (ANALYZE) group_members");
        }
        System.out.printf("loader: VACUUM ANALYZE in %.1f s%n", (System.nanoTime() - t) / 1e9);
    }

    private static ObjectNode groupBody(int g) {
        ObjectNode body = DataSet.JSON.createObjectNode();
        body.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:Group");
        body.put("displayName", DataSet.groupName(g));
        body.put("externalId", UUID.nameUUIDFromBytes(("bench-group-" + g).getBytes()).toString());
        return body;
    }

    interface Task {
        void run(int i) throws Exception;
    }

    private static void parallel(int threads, int count, String what, Task task) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                int i;
                while (failure.get() == null && (i = next.getAndIncrement()) < count) {
                    try {
                        task.run(i);
                        done.incrementAndGet();
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }
            }));
        }
        pool.shutdown();
        long start = System.nanoTime();
        while (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
            double s = (System.nanoTime() - start) / 1e9;
            System.out.printf("loader: %s %,d/%,d (%.0f/s)%n", what, done.get(), count, done.get() / s);
        }
        if (failure.get() != null) {
            throw new IllegalStateException("loading " + what + " failed", failure.get());
        }
    }
}
