package dev.scimserver.store;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.scimserver.access.ApiToken;
import dev.scimserver.access.ChangeOrigin;
import dev.scimserver.access.CredentialsUnavailableException;
import dev.scimserver.access.SecretHash;
import dev.scimserver.access.Workspace;
import dev.scimserver.access.WorkspaceSlug;
import dev.scimserver.access.WorkspaceStore;
import dev.scimserver.directory.Actor;
import dev.scimserver.directory.CommitOutcomeUnknownException;
import dev.scimserver.directory.DirectoryUnavailableException;
import dev.scimserver.directory.Group;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.zaxxer.hikari.HikariDataSource;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A write whose COMMIT loses its connection, on the real database. PostgreSQL shutting down commits
 * and then drops the connection before it answers; the driver then reports the COMMIT as failed with a
 * broken connection (SQLSTATE 08006), though it took. Here the JDBC connection does exactly that: it
 * commits (or rolls back) for real, then throws what the driver throws.
 */
class CommitOutcomeTest {
    private static final LosingCommits connections = new LosingCommits(TestWorkspaces.dataSource());
    private static final PostgresDirectoryStore store = new PostgresDirectoryStore(connections.dataSource());
    private static final PostgresWorkspaceStore workspaces = new PostgresWorkspaceStore(connections.dataSource());
    private static final PostgresCredentialStore credentials = new PostgresCredentialStore(connections.dataSource());
    private static final UUID workspace = store.defaultWorkspaceId();

    @AfterEach
    void connectionsAsUsual() {
        connections.next = null;
        connections.refused = false;
        connections.broken = false;
    }

    /**
     * An operator ending the server's sessions ends the pool's idle connections with the one whose
     * COMMIT took, and the pool hands out one used within the last half second unchecked: the journal
     * is asked over a connection of its own, and the answer is the write's.
     */
    @Test
    void aWriteWhoseCommitTookIsAnsweredAsAppliedWhileThePoolsConnectionsAreBroken() {
        UUID id = UUID.randomUUID();
        connections.next = Commit.TAKEN_THEN_LOST_WITH_THE_POOL;
        assertThat(create(actor("commit-taken-pool-broken-" + id), id)).isEqualTo(id);
        connections.broken = false;
        assertThat(exists(id)).isTrue();
    }

    @Test
    void aWriteWhoseCommitTookIsAnsweredAsApplied() {
        UUID id = UUID.randomUUID();
        connections.next = Commit.TAKEN_THEN_LOST;
        assertThat(create(actor("commit-taken-" + id), id)).isEqualTo(id);
        assertThat(exists(id)).isTrue();
    }

    @Test
    void aWriteWhoseCommitDidNotTakeIsUnavailableAndAbsent() {
        UUID id = UUID.randomUUID();
        connections.next = Commit.UNDONE_THEN_LOST;
        assertThatThrownBy(() -> create(actor("commit-undone-" + id), id))
                .isInstanceOf(DirectoryUnavailableException.class);
        assertThat(exists(id)).isFalse();
    }

    /**
     * A client may send its own X-Request-Id again with its retry: the journal rows of the first
     * request, applied, do not make the second one's lost COMMIT count as applied.
     */
    @Test
    void anEarlierRequestWithTheSameIdDoesNotAnswerForThisOne() {
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        Actor sameRequest = actor("commit-again-" + first);
        create(sameRequest, first);
        connections.next = Commit.UNDONE_THEN_LOST;
        assertThatThrownBy(() -> create(sameRequest, second)).isInstanceOf(DirectoryUnavailableException.class);
        assertThat(exists(first)).isTrue();
        assertThat(exists(second)).isFalse();
    }

    /** Still away once the COMMIT failed, the database cannot say: the answer says the outcome is unknown. */
    @Test
    void aWriteWhoseOutcomeCannotBeAskedIsSaidToBeUnknown() {
        UUID id = UUID.randomUUID();
        connections.next = Commit.TAKEN_THEN_LOST_WITH_THE_DATABASE;
        assertThatThrownBy(() -> create(actor("commit-unknown-" + id), id))
                .isInstanceOf(CommitOutcomeUnknownException.class)
                .hasCauseInstanceOf(DirectoryUnavailableException.class);
        connections.refused = false;
        assertThat(exists(id)).as("the truth the answer could not tell").isTrue();
    }

    /** A Bulk is one commit: settled the same way, every operation of it with it. */
    @Test
    void aSingleCommitWhoseCommitTookIsAnsweredAsApplied() {
        UUID one = UUID.randomUUID();
        UUID two = UUID.randomUUID();
        Actor bulk = actor("commit-bulk-" + one);
        connections.next = Commit.TAKEN_THEN_LOST;
        String answer = store.inSingleCommit(bulk, () -> {
            create(bulk, one);
            create(bulk, two);
            return "both";
        });
        assertThat(answer).isEqualTo("both");
        assertThat(exists(one)).isTrue();
        assertThat(exists(two)).isTrue();
    }

    /** An administrator's write is journalled too, and settled the same way: a new workspace. */
    @Test
    void aWorkspaceWhoseCommitTookIsAnsweredAsCreated() {
        UUID id = UUID.randomUUID();
        WorkspaceSlug slug = WorkspaceSlug.parse("lost-commit-" + id.toString().substring(0, 8));
        Workspace created = new Workspace(id, slug, "Lost commit", false, Instant.now().truncatedTo(ChronoUnit.MICROS));
        connections.next = Commit.TAKEN_THEN_LOST;
        assertThat(workspaces.insertWorkspace(created, origin("workspace-taken-" + id)))
                .as("its own slug is not taken by itself").isEqualTo(WorkspaceStore.Outcome.DONE);
        assertThat(workspaces.findWorkspace(slug)).map(Workspace::id).hasValue(id);
    }

    /** An API token whose COMMIT did not take: unavailable, as before, and no token that nobody holds. */
    @Test
    void aTokenWhoseCommitDidNotTakeIsUnavailableAndAbsent() {
        UUID id = UUID.randomUUID();
        connections.next = Commit.UNDONE_THEN_LOST;
        assertThatThrownBy(() -> insertToken(id, "token-undone-" + id))
                .isInstanceOf(CredentialsUnavailableException.class);
        assertThat(credentials.tokensOf(workspace)).extracting(ApiToken::id).doesNotContain(id);
    }

    /** A token created, the database then away before it could be asked: the outcome is unknown. */
    @Test
    void aTokenWhoseOutcomeCannotBeAskedIsSaidToBeUnknown() {
        UUID id = UUID.randomUUID();
        connections.next = Commit.TAKEN_THEN_LOST_WITH_THE_DATABASE;
        assertThatThrownBy(() -> insertToken(id, "token-unknown-" + id))
                .isInstanceOf(CommitOutcomeUnknownException.class)
                .hasCauseInstanceOf(CredentialsUnavailableException.class);
        connections.refused = false;
        assertThat(credentials.tokensOf(workspace)).extracting(ApiToken::id).contains(id);
    }

    /** An API token of the default workspace made by the administrator's request {@code requestId}. */
    private static void insertToken(UUID id, String requestId) {
        ApiToken token = new ApiToken(id, workspace, "lost commit", Instant.now().truncatedTo(ChronoUnit.MICROS),
                null, null, null);
        credentials.tokens(origin(requestId)).insertToken(token, SecretHash.of("scim_tok_" + id));
    }

    private static ChangeOrigin origin(String requestId) {
        return ChangeOrigin.admin(requestId, "POST /api/admin/v1/workspaces");
    }

    /** A new group's id, as a create answers it. */
    private static UUID create(Actor actor, UUID id) {
        return store.inTransaction(actor, tx -> {
            tx.insertGroup(workspace, group(id));
            return id;
        });
    }

    private static Actor actor(String requestId) {
        return new Actor(workspace, "test", requestId, "POST /Groups");
    }

    private static Group group(UUID id) {
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return new Group(id, "commit-outcome-" + id, null,
                JsonNodeFactory.instance.objectNode().put("displayName", "commit-outcome-" + id), 1, at, at);
    }

    private static boolean exists(UUID id) {
        return store.read(tx -> tx.findGroup(workspace, id)).isPresent();
    }

    private enum Commit {
        TAKEN_THEN_LOST, UNDONE_THEN_LOST, TAKEN_THEN_LOST_WITH_THE_DATABASE, TAKEN_THEN_LOST_WITH_THE_POOL
    }

    /**
     * The real pool's connections, the next COMMIT of which ends as {@link #next} says. A connection
     * opened outside the pool goes to the real database, unless it is {@link #refused}.
     */
    private static final class LosingCommits {
        private final DataSource real;
        volatile Commit next;
        /** Set: no connection is handed out, nor opened outside the pool, as when the database is down. */
        volatile boolean refused;
        /** Set: each connection the pool hands out is broken, as when the database ended them all. */
        volatile boolean broken;

        LosingCommits(DataSource real) {
            this.real = real;
        }

        DataSource dataSource() {
            return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("getConnection")) {
                            if (refused) {
                                throw new SQLException("Connection to 127.0.0.1 refused.", "08001");
                            }
                            return broken ? BROKEN : connection((Connection) delegate(method, real, args));
                        }
                        if (method.getName().equals("unwrap") && refused) {
                            // Where the database is down: nothing listens on port 1.
                            HikariDataSource away = new HikariDataSource();
                            away.setJdbcUrl("jdbc:postgresql://127.0.0.1:1/scim");
                            return away;
                        }
                        return delegate(method, real, args);
                    });
        }

        private Connection connection(Connection real) {
            return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> {
                        Commit ending = next;
                        if (method.getName().equals("commit") && ending != null) {
                            next = null;
                            if (ending == Commit.UNDONE_THEN_LOST) {
                                real.rollback();
                            } else {
                                real.commit();
                            }
                            refused = ending == Commit.TAKEN_THEN_LOST_WITH_THE_DATABASE;
                            broken = ending == Commit.TAKEN_THEN_LOST_WITH_THE_POOL;
                            throw new SQLException("An I/O error occurred while sending to the backend.", "08006");
                        }
                        return delegate(method, real, args);
                    });
        }

        private static final Connection BROKEN = (Connection) Proxy.newProxyInstance(
                LosingCommits.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        return null;
                    }
                    throw new SQLException("An I/O error occurred while sending to the backend.", "08006");
                });

        private static Object delegate(java.lang.reflect.Method method, Object target, Object[] args)
                throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
