package dev.scimserver.store;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.scimserver.directory.Actor;
import dev.scimserver.directory.ConcurrentChangeException;
import dev.scimserver.directory.DirectoryTransaction;
import dev.scimserver.directory.Group;
import dev.scimserver.scim.ScimException;
import dev.scimserver.scim.ScimType;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The single-commit mechanics of {@link PostgresDirectoryStore} on the real database: what undoes one
 * operation (its savepoint) and what undoes the whole commit (a deadlock, which runs it again).
 */
class SingleCommitTest {
    /** A year PostgreSQL's timestamptz cannot hold: the statement fails with a data exception (class 22). */
    private static final Instant OUT_OF_RANGE = Instant.parse("+300000-01-01T00:00:00Z");
    private static final PostgresDirectoryStore store = new PostgresDirectoryStore(TestWorkspaces.dataSource());
    private static final UUID workspace = store.defaultWorkspaceId();
    private static final Actor actor = new Actor(workspace, "test", null, null);

    /**
     * Two single commits lock the same two groups in opposite order, with savepoints (an operation
     * failed first in each), and PostgreSQL undoes one of them. That one runs again from the start once
     * the other has committed: both apply, whole, and neither fails.
     */
    @Test
    void aDeadlockUndoesTheWholeCommitWhichRunsAgain() throws Exception {
        UUID first = newGroup(Instant.now());
        UUID second = newGroup(Instant.now());
        CountDownLatch bothHoldTheirFirstGroup = new CountDownLatch(2);
        AtomicInteger runs = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Object>> commits = new ArrayList<>();
            for (UUID[] order : new UUID[][] {{first, second}, {second, first}}) {
                commits.add(pool.submit(() -> store.inSingleCommit(actor, () -> {
                    runs.incrementAndGet();
                    try {
                        store.inTransaction(actor, tx -> {
                            throw ScimException.notFound("an operation that fails, so the others take savepoints");
                        });
                    } catch (ScimException expected) {
                        // as the Bulk endpoint does: the failure is that operation's answer
                    }
                    store.inTransaction(actor, tx -> touch(tx, order[0]));
                    bothHoldTheirFirstGroup.countDown();
                    awaitQuietly(bothHoldTheirFirstGroup);
                    return store.inTransaction(actor, tx -> touch(tx, order[1]));
                })));
            }
            for (Future<Object> commit : commits) {
                commit.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(version(first)).as("both commits changed the first group").isEqualTo(3);
        assertThat(version(second)).as("both commits changed the second group").isEqualTo(3);
        // Each commit runs without savepoints, then with them; the one undone by the deadlock does so twice.
        assertThat(runs).hasValue(6);
    }

    @Test
    void aCommitUndoneByEveryRunEndsAsAConcurrentChangeAfterBoundedReruns() {
        AtomicInteger runs = new AtomicInteger();
        assertThatThrownBy(() -> store.inSingleCommit(actor, () -> {
            runs.incrementAndGet();
            return store.inTransaction(actor, tx -> {
                throw deadlock();
            });
        })).isInstanceOf(ConcurrentChangeException.class);
        assertThat(runs).hasValue(PostgresDirectoryStore.WRITE_ATTEMPTS);
    }

    /** An operation that swallows the failure of the whole transaction does not get the rest committed. */
    @Test
    void anOperationCannotSwallowTheEndOfItsTransaction() {
        UUID group = newGroup(Instant.now());
        assertThatThrownBy(() -> store.inSingleCommit(actor, () -> {
            store.inTransaction(actor, tx -> touch(tx, group));
            try {
                store.inTransaction(actor, tx -> {
                    throw deadlock();
                });
            } catch (RuntimeException swallowed) {
                // a careless caller
            }
            return store.inTransaction(actor, tx -> touch(tx, group));
        })).isInstanceOf(ConcurrentChangeException.class);
        assertThat(version(group)).isEqualTo(1);
    }

    /**
     * A data exception (a value out of the column's range) in one operation undoes that operation only,
     * and is the client's 400 invalidValue, whose detail does not repeat the value.
     */
    @Test
    void aDataExceptionIsItsOperationsInvalidValueAndTheOthersApply() {
        List<Instant> created = List.of(Instant.now(), OUT_OF_RANGE, Instant.now());
        List<UUID> ids = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        List<String> answers = store.inSingleCommit(actor, () -> {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Group group = group(ids.get(i), created.get(i));
                try {
                    store.inTransaction(actor, tx -> {
                        tx.insertGroup(workspace, group);
                        return null;
                    });
                    out.add("created");
                } catch (ScimException e) {
                    assertThat(e.detail()).doesNotContain("300000");
                    out.add(e.status() + " " + e.scimType().map(ScimType::wireValue).orElse(""));
                }
            }
            return out;
        });
        assertThat(answers).containsExactly("created", "400 invalidValue", "created");
        assertThat(ids).map(id -> store.read(tx -> tx.findGroup(workspace, id)).isPresent())
                .containsExactly(true, false, true);
    }

    /** A failure of our own in one operation undoes that operation, reaches its caller as it is, and the rest applies. */
    @Test
    void anUnexpectedFailureUndoesOnlyItsOperation() {
        List<UUID> ids = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        List<String> answers = store.inSingleCommit(actor, () -> {
            List<String> out = new ArrayList<>();
            for (UUID id : ids) {
                try {
                    store.inTransaction(actor, tx -> {
                        tx.insertGroup(workspace, group(id, Instant.now()));
                        if (id == ids.get(1)) {
                            throw new IllegalStateException("a bug after the operation wrote");
                        }
                        return null;
                    });
                    out.add("created");
                } catch (IllegalStateException e) {
                    out.add(e.getMessage());
                }
            }
            return out;
        });
        assertThat(answers).containsExactly("created", "a bug after the operation wrote", "created");
        assertThat(ids).map(id -> store.read(tx -> tx.findGroup(workspace, id)).isPresent())
                .containsExactly(true, false, true);
    }

    @Test
    void aDataExceptionOutsideABulkIsAnInvalidValueToo() {
        assertThatThrownBy(() -> store.inTransaction(actor, tx -> {
            tx.insertGroup(workspace, group(UUID.randomUUID(), OUT_OF_RANGE));
            return null;
        })).isInstanceOfSatisfying(ScimException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.scimType()).contains(ScimType.INVALID_VALUE);
        });
    }

    /** What the driver reports when PostgreSQL chose this transaction as a deadlock's victim. */
    private static RuntimeException deadlock() {
        return new IllegalStateException("statement failed", new SQLException("deadlock detected", "40P01"));
    }

    private static UUID newGroup(Instant created) {
        Group group = group(UUID.randomUUID(), created);
        store.inTransaction(actor, tx -> {
            tx.insertGroup(workspace, group);
            return null;
        });
        return group.id();
    }

    private static Group group(UUID id, Instant created) {
        Instant at = created.truncatedTo(ChronoUnit.MICROS);
        return new Group(id, "single-commit-" + id, null,
                JsonNodeFactory.instance.objectNode().put("displayName", "single-commit-" + id), 1, at, at);
    }

    /** Locks the group and bumps its version, as an update does. */
    private static Object touch(DirectoryTransaction tx, UUID id) {
        Group current = tx.findGroupForUpdateWithPolicy(workspace, id).orElseThrow().locked();
        tx.updateGroup(workspace, new Group(id, current.displayName(), null, current.attributes(),
                current.version() + 1, current.created(), Instant.now().truncatedTo(ChronoUnit.MICROS)));
        return null;
    }

    private static long version(UUID id) {
        return store.read(tx -> tx.findGroup(workspace, id)).orElseThrow().version();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the other commit never took its first lock");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
