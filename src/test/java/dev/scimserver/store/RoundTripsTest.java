package dev.scimserver.store;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.scimserver.directory.Actor;
import dev.scimserver.directory.Member;
import dev.scimserver.directory.MemberStatus;
import dev.scimserver.directory.NewMember;
import dev.scimserver.directory.Person;
import dev.scimserver.directory.Role;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The statements an operation sends, counted on the connection: the journal's settings ride with a
 * create's own statement, and go just before the first statement of any other write.
 */
class RoundTripsTest {
    private static final AtomicInteger STATEMENTS = new AtomicInteger();
    private static final PostgresDirectoryStore store = new PostgresDirectoryStore(
            counting(TestWorkspaces.dataSource()));
    private static final Actor actor = new Actor(store.defaultWorkspaceId(), "round-trips", "req-1", "POST /Users");

    @Test
    void aCreateIsOneStatementWithTheJournalSettingsFoldedIn() {
        NewMember user = newMember();
        int before = STATEMENTS.get();
        store.inTransaction(actor, tx -> tx.insertMemberWithPerson(actor.workspaceId(), user));
        assertThat(STATEMENTS.get() - before).isEqualTo(1);
    }

    @Test
    void anotherWriteSendsTheSettingsOnceBeforeItsFirstStatement() {
        NewMember user = newMember();
        store.inTransaction(actor, tx -> tx.insertMemberWithPerson(actor.workspaceId(), user));
        int before = STATEMENTS.get();
        store.inTransaction(actor, tx -> {
            tx.findUserForUpdate(actor.workspaceId(), user.member().userId()).orElseThrow();
            tx.updatePasswordHash(actor.workspaceId(), user.member().userId(), null);
            return null;
        });
        assertThat(STATEMENTS.get() - before).isEqualTo(3);
    }

    @Test
    void anUpdateThatLeavesThePersonAsItWasWritesNoNewPersonRow() {
        NewMember user = newMember();
        UUID id = user.member().userId();
        store.inTransaction(actor, tx -> tx.insertMemberWithPerson(actor.workspaceId(), user));
        String before = personRowVersion(id);
        store.inTransaction(actor, tx -> {
            tx.updatePerson(actor.workspaceId(), id, user.person(), Instant.now());
            return null;
        });
        assertThat(personRowVersion(id)).as("the same person").isEqualTo(before);
        Person renamed = new Person(user.person().email(), "Ada", "Lovelace");
        store.inTransaction(actor, tx -> {
            tx.updatePerson(actor.workspaceId(), id, renamed, Instant.now());
            return null;
        });
        assertThat(personRowVersion(id)).as("a renamed person").isNotEqualTo(before);
    }

    /** The transaction that wrote the person's row last. */
    private static String personRowVersion(UUID id) {
        return org.jdbi.v3.core.Jdbi.create(TestWorkspaces.dataSource()).withHandle(h -> h.createQuery(
                "SELECT xmin::text FROM users WHERE id = ?").bind(0, id).mapTo(String.class).one());
    }

    private static NewMember newMember() {
        String name = "round-trip-" + UUID.randomUUID() + "@example.com";
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return new NewMember(new Person(name, null, null), null, new Member(UUID.randomUUID(), name, null, null, name,
                Role.END_USER, MemberStatus.ACTIVE, JsonNodeFactory.instance.objectNode().put("userName", name), 1,
                now, now));
    }

    /** The pool's connections, each counting the statements prepared or created on it. */
    private static DataSource counting(DataSource pool) {
        return proxy(DataSource.class, pool, (target, method, result) -> method.getName().equals("getConnection")
                ? proxy(Connection.class, result, (connection, called, statement) -> {
                    if (called.getName().startsWith("prepare") || called.getName().equals("createStatement")) {
                        STATEMENTS.incrementAndGet();
                    }
                    return statement;
                })
                : result);
    }

    private interface AfterCall {
        Object after(Object target, java.lang.reflect.Method method, Object result);
    }

    private static <T> T proxy(Class<T> type, Object target, AfterCall after) {
        InvocationHandler handler = (self, method, args) -> {
            try {
                return after.after(target, method, method.invoke(target, args));
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }
}
