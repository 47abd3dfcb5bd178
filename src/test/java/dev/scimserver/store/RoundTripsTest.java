package dev.scimserver.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimserver.directory.Actor;
import dev.scimserver.directory.GroupService;
import dev.scimserver.directory.JournalEntry;
import dev.scimserver.directory.Member;
import dev.scimserver.directory.MemberStatus;
import dev.scimserver.directory.NewMember;
import dev.scimserver.directory.NewPassword;
import dev.scimserver.directory.Person;
import dev.scimserver.directory.Precondition;
import dev.scimserver.directory.Role;
import dev.scimserver.directory.UserService;
import dev.scimserver.scim.PatchOperation;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The statements an operation sends, counted on the connection: the journal's settings ride with the
 * read every write of a user or a group starts from, and go just before the first statement of any
 * other write.
 */
class RoundTripsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The text of every statement prepared or created on the store's connections, in order. */
    private static final List<String> STATEMENTS = new CopyOnWriteArrayList<>();
    private static final PostgresDirectoryStore store = new PostgresDirectoryStore(
            counting(TestWorkspaces.dataSource()));
    private static final UserService users = new UserService(store, Clock.systemUTC());
    private static final GroupService groups = new GroupService(store, Clock.systemUTC());
    private static final Actor actor = new Actor(store.defaultWorkspaceId(), "round-trips", "req-1", "POST /Users");

    @Test
    void aCreateIsTheRolePolicyReadWithTheSettingsAndTheInsert() {
        int before = STATEMENTS.size();
        UUID id = users.create(actor, userBody()).member().userId();
        assertThat(statementsSince(before)).hasSize(2).noneMatch(RoundTripsTest::settingsAlone);
        assertThat(journalOf("User", id)).extracting(JournalEntry::operation).containsExactly("create");
        assertDescribed(journalOf("User", id));
    }

    @Test
    void theWritesOfAUserSendNoStatementForTheSettings() {
        UUID id = users.create(actor, userBody()).member().userId();
        int before = STATEMENTS.size();
        users.patch(actor, id.toString(), operations("""
                [{"op":"replace","path":"active","value":false}]"""), Precondition.NONE, NewPassword.NONE);
        assertThat(statementsSince(before)).as("a deactivation: the locked read with the role policy and the "
                + "settings, the member with its person").hasSize(2);
        users.replace(actor, id.toString(), userBody(), Precondition.NONE, NewPassword.NONE);
        users.delete(actor, id.toString(), Precondition.NONE);
        assertThat(statementsSince(before)).isNotEmpty().noneMatch(RoundTripsTest::settingsAlone);
        assertThat(journalOf("User", id)).extracting(JournalEntry::operation)
                .containsExactly("delete", "update", "archive", "create");
        assertDescribed(journalOf("User", id));
    }

    @Test
    void theWritesOfAGroupSendNoStatementForTheSettings() {
        UUID member = users.create(actor, userBody()).member().userId();
        int before = STATEMENTS.size();
        UUID id = groups.create(actor, JSON.createObjectNode().put("displayName", "round-trip-" + UUID.randomUUID()),
                false).group().id();
        int patched = STATEMENTS.size();
        groups.patch(actor, id.toString(), operations("""
                [{"op":"add","path":"members","value":[{"value":"%s"}]}]""".formatted(member)),
                Precondition.NONE, false);
        assertThat(statementsSince(patched)).as("a member added: the locked read with the role policy and the "
                + "settings, the member locked against leaving, the insert, the group's version").hasSize(4);
        groups.delete(actor, id.toString(), Precondition.NONE);
        assertThat(statementsSince(before)).isNotEmpty().noneMatch(RoundTripsTest::settingsAlone);
        assertThat(journalOf("Group", id)).extracting(JournalEntry::operation)
                .containsExactly("delete", "member_add", "create");
        assertDescribed(journalOf("Group", id));
    }

    @Test
    void aDeactivationOrARoleWritesTheMembersStandingAloneAndAnAttributeTheWholeMember() {
        UUID id = users.create(actor, userBody()).member().userId();
        String person = personRowVersion(id);
        int before = STATEMENTS.size();
        users.patch(actor, id.toString(), operations("""
                [{"op":"replace","path":"active","value":false}]"""), Precondition.NONE, NewPassword.NONE);
        users.patch(actor, id.toString(), operations("""
                [{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:tooljet:User:2.0:role",
                  "value":"builder"}]"""), Precondition.NONE, NewPassword.NONE);
        assertThat(statementsSince(before))
                .filteredOn(sql -> sql.startsWith("UPDATE") || sql.startsWith("WITH person"))
                .as("the status, then the role: neither the attributes nor the person sent").hasSize(2)
                .allSatisfy(sql -> assertThat(sql).startsWith("UPDATE workspace_members SET role = ?")
                        .doesNotContain("attributes", "users"));
        assertThat(personRowVersion(id)).as("the same person").isEqualTo(person);
        Member written = store.read(tx -> tx.findUser(actor.workspaceId(), id)).orElseThrow().member();
        assertThat(written.status()).isEqualTo(MemberStatus.ARCHIVED);
        assertThat(written.role()).isEqualTo(Role.BUILDER);
        assertThat(written.version()).isEqualTo(3);
        assertThat(journalOf("User", id)).extracting(JournalEntry::operation)
                .containsExactly("update", "archive", "create");

        int retitled = STATEMENTS.size();
        users.patch(actor, id.toString(), operations("""
                [{"op":"replace","path":"title","value":"Engineer"}]"""), Precondition.NONE, NewPassword.NONE);
        assertThat(statementsSince(retitled)).as("an attribute changed: the whole member with its person")
                .anyMatch(sql -> sql.startsWith("WITH wanted") && sql.contains("person AS (UPDATE users")
                        && sql.contains("attributes = CAST"));
        assertThat(store.read(tx -> tx.findUser(actor.workspaceId(), id)).orElseThrow().member().attributes()
                .path("title").asText()).isEqualTo("Engineer");
    }

    @Test
    void aChangeOfMembersAloneWritesTheGroupsVersionAlone() {
        UUID member = users.create(actor, userBody()).member().userId();
        UUID id = groups.create(actor, JSON.createObjectNode().put("displayName", "version-" + UUID.randomUUID()),
                false).group().id();
        int before = STATEMENTS.size();
        groups.patch(actor, id.toString(), operations("""
                [{"op":"add","path":"members","value":[{"value":"%s"}]}]""".formatted(member)),
                Precondition.NONE, false);
        assertThat(statementsSince(before)).filteredOn(sql -> sql.startsWith("UPDATE groups"))
                .containsExactly("UPDATE groups SET version = ?, last_modified = ? WHERE workspace_id = ? AND id = ? "
                        + "AND type = 'custom'");
        int renamed = STATEMENTS.size();
        groups.patch(actor, id.toString(), operations("""
                [{"op":"replace","path":"displayName","value":"renamed-%s"}]""".formatted(id)),
                Precondition.NONE, false);
        assertThat(statementsSince(renamed)).filteredOn(sql -> sql.startsWith("UPDATE groups"))
                .singleElement().asString().contains("attributes = CAST");
        assertThat(store.read(tx -> tx.findGroup(actor.workspaceId(), id)).orElseThrow().version()).isEqualTo(3);
    }

    @Test
    void aMembersDeleteCarriesTheSettingsInTheLockOfItsGroups() {
        UUID member = users.create(actor, userBody()).member().userId();
        ObjectNode group = JSON.createObjectNode().put("displayName", "left-" + UUID.randomUUID());
        group.putArray("members").addObject().put("value", member.toString());
        groups.create(actor, group, false);
        int before = STATEMENTS.size();
        users.delete(actor, member.toString(), Precondition.NONE);
        assertThat(statementsSince(before)).as("its groups locked with the settings, the member's locked read, "
                + "the delete").hasSize(3).noneMatch(RoundTripsTest::settingsAlone);
        assertDescribed(journalOf("User", member));
    }

    @Test
    void aLockedReadThatFindsNothingLeavesTheSettingsForTheNextStatement() {
        NewMember user = newMember();
        store.inTransaction(actor, tx -> {
            assertThat(tx.findUserForUpdateWithPolicy(actor.workspaceId(), UUID.randomUUID())).isEmpty();
            assertThat(tx.findGroupForUpdateWithPolicy(actor.workspaceId(), UUID.randomUUID())).isEmpty();
            return tx.insertMemberWithPerson(actor.workspaceId(), user);
        });
        assertDescribed(journalOf("User", user.member().userId()));
    }

    @Test
    void anotherWriteSendsTheSettingsOnceBeforeItsFirstStatement() {
        NewMember user = newMember();
        store.inTransaction(actor, tx -> tx.insertMemberWithPerson(actor.workspaceId(), user));
        int before = STATEMENTS.size();
        store.inTransaction(actor, tx -> {
            tx.findUser(actor.workspaceId(), user.member().userId()).orElseThrow();
            tx.updatePasswordHash(actor.workspaceId(), user.member().userId(), null);
            return null;
        });
        assertThat(statementsSince(before)).hasSize(3).filteredOn(RoundTripsTest::settingsAlone).hasSize(1);
    }

    @Test
    void anUpdateThatLeavesThePersonAsItWasWritesNoNewPersonRow() {
        NewMember user = newMember();
        UUID id = user.member().userId();
        store.inTransaction(actor, tx -> tx.insertMemberWithPerson(actor.workspaceId(), user));
        String before = personRowVersion(id);
        int statementsBefore = STATEMENTS.size();
        store.inTransaction(actor, tx -> {
            tx.updateMember(actor.workspaceId(), archived(user.member()), user.person(), false);
            return null;
        });
        assertThat(statementsSince(statementsBefore)).as("the settings, then member and person in one")
                .hasSize(2);
        assertThat(personRowVersion(id)).as("the same person").isEqualTo(before);
        Person renamed = new Person(user.person().email(), "Ada", "Lovelace");
        store.inTransaction(actor, tx -> {
            tx.updateMember(actor.workspaceId(), user.member(), renamed, false);
            return null;
        });
        assertThat(personRowVersion(id)).as("a renamed person").isNotEqualTo(before);
        assertThat(store.read(tx -> tx.findUser(actor.workspaceId(), id)).orElseThrow().member().status())
                .isEqualTo(MemberStatus.ACTIVE);
    }

    private static Member archived(Member m) {
        return new Member(m.userId(), m.userName(), m.externalId(), m.displayName(), m.role(),
                MemberStatus.ARCHIVED, m.attributes(), m.version() + 1, m.created(), m.lastModified());
    }

    /** The transaction that wrote the person's row last. */
    private static String personRowVersion(UUID id) {
        return org.jdbi.v3.core.Jdbi.create(TestWorkspaces.dataSource()).withHandle(h -> h.createQuery(
                "SELECT xmin::text FROM users WHERE id = ?").bind(0, id).mapTo(String.class).one());
    }

    private static NewMember newMember() {
        String name = "round-trip-" + UUID.randomUUID() + "@example.com";
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return new NewMember(new Person(name, null, null), null, new Member(UUID.randomUUID(), name, null, null,
                Role.END_USER, MemberStatus.ACTIVE, JsonNodeFactory.instance.objectNode().put("userName", name), 1,
                now, now));
    }

    private static List<String> statementsSince(int before) {
        return STATEMENTS.subList(before, STATEMENTS.size());
    }

    /** The settings sent in a statement of their own, a round trip that carries nothing else. */
    private static boolean settingsAlone(String sql) {
        return sql.startsWith("SELECT set_config(");
    }

    /** Every entry names the actor's credential, request id and request, as the triggers read the settings. */
    private static void assertDescribed(List<JournalEntry> entries) {
        assertThat(entries).isNotEmpty().allSatisfy(entry -> {
            assertThat(entry.credential()).isEqualTo(actor.credential());
            assertThat(entry.requestId()).isEqualTo(actor.requestId());
            assertThat(entry.request()).isEqualTo(actor.request());
        });
    }

    private static List<JournalEntry> journalOf(String type, UUID id) {
        return store.read(tx -> tx.journalOf(actor.workspaceId(), type, id, 10));
    }

    private static ObjectNode userBody() {
        String name = "round-trip-" + UUID.randomUUID() + "@example.com";
        ObjectNode body = JSON.createObjectNode().put("userName", name);
        body.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:User");
        return body;
    }

    private static List<PatchOperation> operations(String json) {
        try {
            return PatchOperation.parseRequest(JSON.createObjectNode()
                    .<ObjectNode>set("Operations", JSON.readTree(json))
                    .set("schemas", JSON.createArrayNode().add("urn:ietf:params:scim:api:messages:2.0:PatchOp")));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The pool's connections, each recording the statements prepared or created on it. */
    private static DataSource counting(DataSource pool) {
        return proxy(DataSource.class, pool, (target, method, args, result) -> method.getName().equals("getConnection")
                ? proxy(Connection.class, result, (connection, called, sql, statement) -> {
                    if (called.getName().startsWith("prepare") || called.getName().equals("createStatement")) {
                        STATEMENTS.add(sql == null || sql.length == 0 ? "" : String.valueOf(sql[0]));
                    }
                    return statement;
                })
                : result);
    }

    private interface AfterCall {
        Object after(Object target, java.lang.reflect.Method method, Object[] args, Object result);
    }

    private static <T> T proxy(Class<T> type, Object target, AfterCall after) {
        InvocationHandler handler = (self, method, args) -> {
            try {
                return after.after(target, method, args, method.invoke(target, args));
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }
}
