package dev.scimserver.app;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.scimserver.store.PostgresDirectoryStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.scimserver.app.ScimAssertions.assertScimError;
import static dev.scimserver.app.ScimAssertions.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 5's races, each run against one server and against two server processes on one database
 * (the shared in-JVM server and a child JVM, clients alternating between them). Outcomes are
 * checked against what the operations imply whatever their order; nothing is timed.
 */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConcurrencyRaceTest {
    private static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    private final RunningServer server = RunningServer.shared();
    private ServerProcess second;
    private List<String> population;

    @BeforeAll
    void startSecondProcess() {
        second = ServerProcess.onSharedDatabase();
        population = TestPopulation.users("race", 1_200);
    }

    @AfterAll
    void stopSecondProcess() {
        if (second != null) {
            second.close();
        }
    }

    /** The base URLs the clients of one race use, in turn. */
    private List<String> sides(int servers) {
        return servers == 1 ? List.of(server.baseUrl()) : List.of(server.baseUrl(), second.baseUrl());
    }

    private HttpResponse<String> send(String base, String method, String path, String body) {
        return server.send(method, base + path, body);
    }

    /** Runs the tasks at once (all released together) and returns their results in order. */
    private static <T> List<T> race(List<Callable<T>> tasks) {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (Exception e) {
            throw new AssertionError("a racing client failed", e);
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest(name = "{0} server(s)")
    @ValueSource(ints = {1, 2})
    void twentyClientsCreateOneUserNameInDifferentCasesAndExactlyOneWins(int servers) {
        List<String> sides = sides(servers);
        String base = "Race-" + UUID.randomUUID() + "@Example.com";
        Random random = new Random(base.hashCode());
        List<Callable<HttpResponse<String>>> clients = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String variant = randomCase(base, random);
            String side = sides.get(i % sides.size());
            clients.add(() -> send(side, "POST", "/Users", "{\"userName\":\"" + variant + "\"}"));
        }
        List<HttpResponse<String>> responses = race(clients);

        assertThat(responses.stream().filter(r -> r.statusCode() == 201)).hasSize(1);
        responses.stream().filter(r -> r.statusCode() != 201).forEach(r -> assertScimError(r, 409, "uniqueness"));
        JsonNode found = json(server.send("GET", "/Users?filter="
                + URLEncoder.encode("userName eq \"" + base.toLowerCase(Locale.ROOT) + "\"", StandardCharsets.UTF_8),
                null));
        assertThat(found.path("totalResults").asInt()).isEqualTo(1);
    }

    private static String randomCase(String s, Random random) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            out.append(random.nextBoolean() ? Character.toUpperCase(c) : Character.toLowerCase(c));
        }
        return out.toString();
    }

    /**
     * 50 clients add 1,000 users in overlapping chunks (each user is added by two clients) while
     * 10 others remove, one by one, 200 users the group started with. Adds and removes touch
     * disjoint users, so whatever the interleaving the group ends with exactly the 1,000.
     */
    @ParameterizedTest(name = "{0} server(s)")
    @ValueSource(ints = {1, 2})
    void fiftyClientsAddAThousandMembersWhileOthersRemoveAndNothingIsLost(int servers) {
        List<String> sides = sides(servers);
        List<String> added = population.subList(0, 1_000);
        List<String> removed = population.subList(1_000, 1_200);
        String groupId = createGroup("race-group-" + UUID.randomUUID(), removed);

        List<Callable<Integer>> clients = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            List<String> chunk = new ArrayList<>();
            for (int k = 0; k < 40; k++) {
                chunk.add(added.get((i * 20 + k) % added.size()));
            }
            String side = sides.get(i % sides.size());
            clients.add(() -> send(side, "PATCH", "/Groups/" + groupId, TestPopulation.membersPatch("add", chunk))
                    .statusCode());
        }
        for (int i = 0; i < 10; i++) {
            List<String> mine = removed.subList(i * 20, i * 20 + 20);
            String side = sides.get(i % sides.size());
            clients.add(() -> {
                int worst = 0;
                for (String user : mine) {
                    String body = "{\"schemas\":[\"" + PATCH_OP + "\"],\"Operations\":[{\"op\":\"remove\","
                            + "\"path\":\"members[value eq \\\"" + user + "\\\"]\"}]}";
                    worst = Math.max(worst, send(side, "PATCH", "/Groups/" + groupId, body).statusCode());
                }
                return worst;
            });
        }
        List<Integer> statuses = race(clients);

        assertThat(statuses).containsOnly(204);
        assertThat(members(groupId)).isEqualTo(new HashSet<>(added));
    }

    private String createGroup(String name, List<String> members) {
        StringBuilder body = new StringBuilder("{\"displayName\":\"" + name + "\",\"members\":[");
        for (int i = 0; i < members.size(); i++) {
            body.append(i == 0 ? "" : ",").append("{\"value\":\"").append(members.get(i)).append("\"}");
        }
        HttpResponse<String> created = server.send("POST", "/Groups", body.append("]}").toString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json(created).path("id").asText();
    }

    private Set<String> members(String groupId) {
        HttpResponse<String> group = server.send("GET", "/Groups/" + groupId + "?attributes=members", null);
        assertThat(group.statusCode()).as(group.body()).isEqualTo(200);
        Set<String> ids = new HashSet<>();
        json(group).path("members").forEach(m -> ids.add(m.path("value").asText()));
        return ids;
    }

    /**
     * Twenty users are each deleted while a PATCH adds them to a group of their own, five rounds over.
     * Whatever the order, the user ends outside the group: the add either came first and the delete
     * took the membership away, or it came after and was refused as an unknown member. The person
     * then comes back (a POST with the same email, the same id) and must find no group.
     */
    @ParameterizedTest(name = "{0} server(s)")
    @ValueSource(ints = {1, 2})
    void aDeleteRacingAnAddToAGroupLeavesNoMembershipForTheReturningPerson(int servers) {
        for (int round = 0; round < 5; round++) {
            DeleteAddRace race = raceDeletesWithAdds(sides(servers), false);
            for (int i = 0; i < DeleteAddRace.PAIRS; i++) {
                HttpResponse<String> added = race.deletedThenAdded(i);
                HttpResponse<String> back = server.send("POST", "/Users",
                        "{\"userName\":\"" + race.userNames().get(i) + "\"}");
                assertThat(back.statusCode()).as(back.body()).isEqualTo(201);
                assertThat(json(back).path("id").asText()).isEqualTo(race.users().get(i));
                JsonNode returned = json(server.send("GET", "/Users/" + race.users().get(i), null));
                assertThat(returned.path("groups")).as("round %d, add answered %d: %s", round, added.statusCode(),
                        returned).isEmpty();
                assertThat(members(race.groups().get(i))).isEmpty();
            }
        }
    }

    /**
     * Twenty users, each with a group of its own (holding the user when {@code inGroup}); each user's
     * DELETE raced against an add of it to its group.
     */
    private DeleteAddRace raceDeletesWithAdds(List<String> sides, boolean inGroup) {
        List<String> userNames = new ArrayList<>();
        List<String> users = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        for (int i = 0; i < DeleteAddRace.PAIRS; i++) {
            userNames.add("leaving-" + UUID.randomUUID() + "@example.com");
            HttpResponse<String> created = server.send("POST", "/Users", "{\"userName\":\"" + userNames.get(i) + "\"}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            users.add(json(created).path("id").asText());
            groups.add(createGroup("joined-while-leaving-" + UUID.randomUUID(),
                    inGroup ? List.of(users.get(i)) : List.of()));
        }
        List<Callable<HttpResponse<String>>> clients = new ArrayList<>();
        for (int i = 0; i < DeleteAddRace.PAIRS; i++) {
            String user = users.get(i);
            String group = groups.get(i);
            clients.add(() -> send(sides.get(0), "DELETE", "/Users/" + user, null));
            clients.add(() -> send(sides.get(sides.size() - 1), "PATCH", "/Groups/" + group,
                    TestPopulation.membersPatch("add", List.of(user))));
        }
        return new DeleteAddRace(userNames, users, groups, race(clients));
    }

    private record DeleteAddRace(List<String> userNames, List<String> users, List<String> groups,
                                 List<HttpResponse<String>> responses) {
        static final int PAIRS = 20;

        /**
         * The add of pair {@code i}, once its DELETE is checked: the DELETE answered 204, and the add
         * 204 (it came first) or 400 invalidValue (the user was gone), never the 503 of a deadlock.
         */
        HttpResponse<String> deletedThenAdded(int i) {
            HttpResponse<String> deleted = responses.get(2 * i);
            HttpResponse<String> added = responses.get(2 * i + 1);
            assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
            if (added.statusCode() != 204) {
                assertScimError(added, 400, "invalidValue");
            }
            return added;
        }
    }

    /**
     * A member's DELETE gives each group it leaves a new version, and a PATCH of one of those groups
     * naming the member locks the group, then the member: the DELETE takes the groups first too, so
     * neither waits for the other in a cycle (PostgreSQL would undo one of them: a 503).
     */
    @ParameterizedTest(name = "{0} server(s)")
    @ValueSource(ints = {1, 2})
    void aMembersDeleteRacingAPatchOfItsGroupDeadlocksNeither(int servers) {
        for (int round = 0; round < 2; round++) {
            DeleteAddRace race = raceDeletesWithAdds(sides(servers), true);
            for (int i = 0; i < DeleteAddRace.PAIRS; i++) {
                race.deletedThenAdded(i);
                assertThat(members(race.groups().get(i))).isEmpty();
            }
        }
    }

    /**
     * A group sync while a user is deprovisioned: a PATCH adding the user to a group it is not in, the
     * user's DELETE and a PUT of the group listing the user, all at once. The DELETE reads the user's
     * groups before the PATCH commits, so it finds the new membership only once it holds the member;
     * it starts again then, rather than lock the group after the member while the PUT holds the group
     * and waits for the member (PostgreSQL would undo one of the three: a 503).
     */
    @ParameterizedTest(name = "{0} server(s)")
    @ValueSource(ints = {1, 2})
    void aMembersDeleteRacingAGroupSyncThatAddsItDeadlocksNone(int servers) {
        List<String> sides = sides(servers);
        List<String> users = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        List<Callable<HttpResponse<String>>> clients = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> created = server.send("POST", "/Users",
                    "{\"userName\":\"deprovisioned-" + UUID.randomUUID() + "@example.com\"}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String user = json(created).path("id").asText();
            String name = "synced-" + UUID.randomUUID();
            String group = createGroup(name, List.of());
            users.add(user);
            groups.add(group);
            clients.add(() -> send(sides.get(0), "PATCH", "/Groups/" + group,
                    TestPopulation.membersPatch("add", List.of(user))));
            clients.add(() -> send(sides.get(sides.size() - 1), "DELETE", "/Users/" + user, null));
            clients.add(() -> send(sides.get(0), "PUT", "/Groups/" + group,
                    "{\"displayName\":\"" + name + "\",\"members\":[{\"value\":\"" + user + "\"}]}"));
        }
        // Reruns would hide a deadlock from the answers: PostgreSQL's own word for it is looked for too.
        Logger store = (Logger) LoggerFactory.getLogger(PostgresDirectoryStore.class);
        ListAppender<ILoggingEvent> undone = new ListAppender<>();
        undone.start();
        store.addAppender(undone);
        List<HttpResponse<String>> answers;
        try {
            answers = race(clients);
        } finally {
            store.detachAppender(undone);
        }
        assertThat(undone.list).extracting(ILoggingEvent::getFormattedMessage).noneMatch(line -> line.contains("deadlock"));
        for (int i = 0; i < users.size(); i++) {
            for (HttpResponse<String> answer : answers.subList(3 * i, 3 * i + 3)) {
                assertThat(answer.statusCode()).as(answer.body()).isLessThan(500);
            }
            assertThat(answers.get(3 * i + 1).statusCode()).isEqualTo(204);
            assertThat(members(groups.get(i))).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0} server(s)")
    @ValueSource(ints = {1, 2})
    void concurrentPatchesOfOneUserWithoutIfMatchLoseNoUpdate(int servers) {
        List<String> sides = sides(servers);
        String userId = population.get(0);
        String tag = UUID.randomUUID().toString().substring(0, 8);
        List<Callable<Integer>> clients = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String side = sides.get(i % sides.size());
            String body = "{\"schemas\":[\"" + PATCH_OP + "\"],\"Operations\":["
                    + "{\"op\":\"add\",\"path\":\"entitlements\",\"value\":[{\"value\":\"" + tag + "-" + i + "\"}]},"
                    + "{\"op\":\"add\",\"path\":\"emails\",\"value\":[{\"value\":\"" + tag + "-" + i
                    + "@race.example.com\",\"type\":\"other\"}]}]}";
            clients.add(() -> send(side, "PATCH", "/Users/" + userId, body).statusCode());
        }
        assertThat(race(clients)).containsOnly(200);

        JsonNode user = json(server.send("GET", "/Users/" + userId, null));
        Set<String> entitlements = new HashSet<>();
        user.path("entitlements").forEach(e -> entitlements.add(e.path("value").asText()));
        Set<String> emails = new HashSet<>();
        user.path("emails").forEach(e -> emails.add(e.path("value").asText()));
        for (int i = 0; i < 20; i++) {
            assertThat(entitlements).contains(tag + "-" + i);
            assertThat(emails).contains(tag + "-" + i + "@race.example.com");
        }
    }

    /**
     * 20 clients PATCH one user with the same If-Match, twenty rounds over: each round exactly one
     * wins and moves the version on, the rest get 412. Every client sets a value the user has never
     * had. A PATCH that changes nothing answers 200 and keeps the version (the If-Match did match,
     * and nothing is written: see ConditionalRequestsContractTest), so a client repeating the
     * current value is a second, correct, 200. The 2-server case used to send the very values of the
     * 1-server case to the same user, so the client repeating the 1-server winner's value won
     * whenever its request took the row lock first: a flaky double winner, not a lost update.
     */
    @ParameterizedTest(name = "{0} server(s)")
    @ValueSource(ints = {1, 2})
    void concurrentPatchesWithTheSameIfMatchHaveOneWinnerAndTheRestGet412(int servers) {
        List<String> sides = sides(servers);
        String userId = population.get(1);
        for (int round = 0; round < 20; round++) {
            HttpResponse<String> current = server.send("GET", "/Users/" + userId, null);
            String etag = current.headers().firstValue("ETag").orElseThrow();
            String tag = UUID.randomUUID().toString().substring(0, 8);
            List<Callable<HttpResponse<String>>> clients = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String side = sides.get(i % sides.size());
                String body = "{\"schemas\":[\"" + PATCH_OP + "\"],\"Operations\":[{\"op\":\"replace\","
                        + "\"path\":\"displayName\",\"value\":\"winner " + tag + " " + i + "\"}]}";
                clients.add(() -> server.send("PATCH", side + "/Users/" + userId, body,
                        Map.of("Authorization", server.bearerAuthorization(), "If-Match", etag)));
            }
            List<HttpResponse<String>> responses = race(clients);

            List<HttpResponse<String>> winners = responses.stream().filter(r -> r.statusCode() == 200).toList();
            String described = "round " + round + ", If-Match " + etag + ", before "
                    + json(current).path("displayName").asText() + ", winners " + winners.stream()
                    .map(r -> r.headers().firstValue("ETag").orElse("?") + " " + json(r).path("displayName").asText())
                    .toList();
            assertThat(winners).as(described).hasSize(1);
            responses.stream().filter(r -> r.statusCode() != 200).forEach(r -> assertScimError(r, 412, null));
            String winnerTag = winners.get(0).headers().firstValue("ETag").orElseThrow();
            assertThat(winnerTag).as(described).isNotEqualTo(etag);
            HttpResponse<String> after = server.send("GET", "/Users/" + userId, null);
            assertThat(after.headers().firstValue("ETag")).as(described).hasValue(winnerTag);
            assertThat(json(after).path("displayName").asText()).as(described)
                    .isEqualTo(json(winners.get(0)).path("displayName").asText());
        }
    }

    /** Both processes create the same group name (in different cases) at once, ten times over: one wins each. */
    @Test
    void twoServersCreatingOneGroupNameKeepItUnique() {
        for (int round = 0; round < 10; round++) {
            String name = "Dup-Group-" + UUID.randomUUID();
            List<HttpResponse<String>> responses = race(List.of(
                    () -> send(server.baseUrl(), "POST", "/Groups", "{\"displayName\":\"" + name + "\"}"),
                    () -> send(second.baseUrl(), "POST", "/Groups",
                            "{\"displayName\":\"" + name.toLowerCase(Locale.ROOT) + "\"}"),
                    () -> send(second.baseUrl(), "POST", "/Groups",
                            "{\"displayName\":\"" + name.toUpperCase(Locale.ROOT) + "\"}")));
            assertThat(responses.stream().filter(r -> r.statusCode() == 201)).hasSize(1);
            responses.stream().filter(r -> r.statusCode() != 201).forEach(r -> assertScimError(r, 409, "uniqueness"));
            assertThat(groupsNamed(name)).isEqualTo(1);
        }
    }

    /** Two groups renamed to one name from both processes at once: one rename wins, the other is 409. */
    @Test
    void twoServersRenamingTwoGroupsToOneNameKeepItUnique() {
        for (int round = 0; round < 10; round++) {
            String first = createGroup("rename-a-" + UUID.randomUUID(), List.of());
            String other = createGroup("rename-b-" + UUID.randomUUID(), List.of());
            String target = "Renamed-" + UUID.randomUUID();
            List<HttpResponse<String>> responses = race(List.of(
                    () -> send(server.baseUrl(), "PATCH", "/Groups/" + first, rename(target)),
                    () -> send(second.baseUrl(), "PUT", "/Groups/" + other,
                            "{\"displayName\":\"" + target.toUpperCase(Locale.ROOT) + "\"}")));
            assertThat(responses.stream().filter(r -> r.statusCode() / 100 == 2)).hasSize(1);
            responses.stream().filter(r -> r.statusCode() / 100 != 2).forEach(r -> assertScimError(r, 409, "uniqueness"));
            assertThat(groupsNamed(target)).isEqualTo(1);
        }
    }

    /**
     * One process deletes a group while the other renames it and a third request recreates its
     * old name: the group ends deleted, the rename either happened before or answers 404, and the
     * old name is held by at most one group.
     */
    @Test
    void twoServersDeletingRenamingAndRecreatingOneGroupLeaveOneConsistentResult() {
        for (int round = 0; round < 10; round++) {
            String name = "Contested-" + UUID.randomUUID();
            String id = createGroup(name, population.subList(0, 5));
            String newName = name + "-renamed";
            List<HttpResponse<String>> responses = race(List.of(
                    () -> send(server.baseUrl(), "DELETE", "/Groups/" + id, null),
                    () -> send(second.baseUrl(), "PATCH", "/Groups/" + id, rename(newName)),
                    () -> send(second.baseUrl(), "POST", "/Groups", "{\"displayName\":\"" + name + "\"}")));

            assertThat(responses.get(0).statusCode()).as(responses.get(0).body()).isEqualTo(204);
            assertThat(responses.get(1).statusCode()).as(responses.get(1).body()).isIn(204, 404);
            assertThat(responses.get(2).statusCode()).as(responses.get(2).body()).isIn(201, 409);
            assertScimError(server.send("GET", "/Groups/" + id, null), 404, null);
            assertScimError(send(second.baseUrl(), "GET", "/Groups/" + id, null), 404, null);
            assertThat(groupsNamed(newName)).isZero();
            int holders = groupsNamed(name);
            assertThat(holders).isEqualTo(responses.get(2).statusCode() == 201 ? 1 : 0);
        }
    }

    private static String rename(String name) {
        return "{\"schemas\":[\"" + PATCH_OP + "\"],\"Operations\":[{\"op\":\"replace\",\"path\":\"displayName\","
                + "\"value\":\"" + name + "\"}]}";
    }

    private int groupsNamed(String name) {
        HttpResponse<String> found = server.send("GET", "/Groups?filter="
                + URLEncoder.encode("displayName eq \"" + name + "\"", StandardCharsets.UTF_8), null);
        assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
        return json(found).path("totalResults").asInt();
    }
}
