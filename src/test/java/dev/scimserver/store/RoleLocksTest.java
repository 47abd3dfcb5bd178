package dev.scimserver.store;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.scimserver.directory.Actor;
import dev.scimserver.directory.DirectoryTransaction;
import dev.scimserver.directory.Group;
import dev.scimserver.directory.Member;
import dev.scimserver.directory.MemberStatus;
import dev.scimserver.directory.NewMember;
import dev.scimserver.directory.Person;
import dev.scimserver.directory.Policed;
import dev.scimserver.directory.Role;
import dev.scimserver.directory.UserView;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lock a change of a mapped group takes on its members before their roles are recomputed: every
 * member of the group is locked in the database, and none of their ids comes back into the JVM, however
 * many they are; only the members named by id do, so the caller can refuse those that are none. And
 * the order a write of a member takes its locks in against a change of the role policy.
 */
class RoleLocksTest {
    private static final PostgresDirectoryStore store = new PostgresDirectoryStore(TestWorkspaces.dataSource());
    private static final UUID workspace = store.defaultWorkspaceId();
    private static final Actor actor = new Actor(workspace, "role-locks", null, null);

    @Test
    void theGroupsMembersAreLockedInTheDatabaseAndOnlyTheNamedOnesComeBack() {
        List<UUID> members = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            members.add(newMember());
        }
        UUID named = newMember();
        UUID stranger = UUID.randomUUID();
        UUID group = newGroup(members);
        Set<UUID> locked = store.inTransaction(actor, tx -> {
            Set<UUID> answer = tx.lockMembersForRoles(workspace, List.of(named, stranger), Optional.of(group));
            assertThat(lockable(members.get(0))).as("a member of the group is locked").isFalse();
            assertThat(lockable(named)).as("the member named is locked").isFalse();
            return answer;
        });
        assertThat(locked).containsExactly(named);
        assertThat(lockable(members.get(0))).as("free once the transaction ended").isTrue();
    }

    /**
     * A change of the role policy locks the workspace, then the members whose roles it recomputes. A
     * write of a member that comes while the policy is locked must wait for the workspace holding
     * nothing of the member: holding the member's row it would wait in a circle with the change.
     */
    @Test
    void aWriteOfAMemberWaitsForAPolicyChangeBeforeItLocksTheMember() throws Exception {
        UUID member = newMember();
        Policed<UserView> written = writeDuringAPolicyChange(tx -> tx.findUserForUpdateWithPolicy(workspace, member),
                () -> lockable(member), "member", change -> assertThat(change.lockMembersForRoles(workspace,
                        List.of(member), Optional.empty())).containsExactly(member));
        assertThat(written.locked().member().userId()).isEqualTo(member);
    }

    /**
     * The same order for a group: the workspace, then the group. A deletion of the workspace takes the
     * workspace's row, then the groups' as it cascades; a write holding the group's row first could
     * wait in a circle with it.
     */
    @Test
    void aWriteOfAGroupWaitsForAPolicyChangeBeforeItLocksTheGroup() throws Exception {
        UUID group = newGroup(List.of());
        Policed<Group> written = writeDuringAPolicyChange(tx -> tx.findGroupForUpdateWithPolicy(workspace, group),
                () -> lockable("groups", "id", group), "group", change -> { });
        assertThat(written.locked().id()).isEqualTo(group);
    }

    /**
     * What {@code read} finds when it comes while a change of the role policy holds the workspace: it
     * must wait holding nothing of the {@code row} ({@code free} says), the change must go on past it
     * ({@code changeGoesOn}), and it reads once the change has ended.
     */
    private static <T> Policed<T> writeDuringAPolicyChange(Function<DirectoryTransaction, Optional<Policed<T>>> read,
                                                           BooleanSupplier free, String row,
                                                           Consumer<DirectoryTransaction> changeGoesOn)
            throws Exception {
        CompletableFuture<Policed<T>> write = store.inTransaction(actor, change -> {
            change.lockRolePolicy(workspace);
            CompletableFuture<Policed<T>> waiting = CompletableFuture.supplyAsync(() -> store.inTransaction(
                    actor, tx -> read.apply(tx).orElseThrow()));
            awaitALockedReadWaiting();
            assertThat(free.getAsBoolean()).as("the waiting write holds no lock on the " + row).isTrue();
            changeGoesOn.accept(change);
            assertThat(waiting).as("the write waits for the change to end").isNotDone();
            return waiting;
        });
        return write.get(30, TimeUnit.SECONDS);
    }

    /** Until another session waits for a lock in a locked read with the role policy. */
    private static void awaitALockedReadWaiting() {
        try (Connection observer = TestWorkspaces.dataSource().getConnection();
             PreparedStatement waiting = observer.prepareStatement("SELECT count(*) FROM pg_stat_activity "
                     + "WHERE datname = current_database() AND wait_event_type = 'Lock' "
                     + "AND query LIKE 'WITH policy AS MATERIALIZED%'")) {
            for (int attempt = 0; attempt < 300; attempt++) {
                try (ResultSet rs = waiting.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(100);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the observer failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the write to wait", e);
        }
        throw new AssertionError("no locked read waited for the locked role policy within 30 s");
    }

    /** Whether another connection can lock the member's row for an update of its role right now. */
    private static boolean lockable(UUID userId) {
        return lockable("workspace_members", "user_id", userId);
    }

    /** Whether another connection can lock the workspace's row of {@code table} with the id right now. */
    private static boolean lockable(String table, String idColumn, UUID id) {
        try (Connection other = TestWorkspaces.dataSource().getConnection();
             PreparedStatement lock = other.prepareStatement("SELECT 1 FROM " + table + " WHERE workspace_id = ? "
                     + "AND " + idColumn + " = ? FOR NO KEY UPDATE NOWAIT")) {
            lock.setObject(1, workspace);
            lock.setObject(2, id);
            try {
                lock.executeQuery().close();
                return true;
            } catch (SQLException busy) {
                assertThat(busy.getSQLState()).as("lock_not_available").isEqualTo("55P03");
                return false;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the other connection failed", e);
        }
    }

    private static UUID newMember() {
        String name = "role-locks-" + UUID.randomUUID() + "@example.com";
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        NewMember user = new NewMember(new Person(name, null, null), null, new Member(UUID.randomUUID(), name, null,
                null, Role.END_USER, MemberStatus.ACTIVE,
                JsonNodeFactory.instance.objectNode().put("userName", name), 1, now, now));
        store.inTransaction(actor, tx -> tx.insertMemberWithPerson(workspace, user));
        return user.member().userId();
    }

    private static UUID newGroup(List<UUID> members) {
        UUID id = UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Group group = new Group(id, "role-locks-" + id, null,
                JsonNodeFactory.instance.objectNode().put("displayName", "role-locks-" + id), 1, now, now);
        store.inTransaction(actor, tx -> {
            tx.insertGroup(workspace, group);
            tx.addGroupMembers(workspace, id, members);
            return null;
        });
        return id;
    }
}
