package dev.scimserver.store;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.scimserver.access.ApiToken;
import dev.scimserver.access.ChangeOrigin;
import dev.scimserver.access.CredentialsUnavailableException;
import dev.scimserver.access.SecretHash;
import dev.scimserver.access.WorkspaceStore;
import dev.scimserver.app.RunningServer;
import dev.scimserver.directory.Actor;
import dev.scimserver.directory.DirectoryUnavailableException;
import dev.scimserver.directory.Group;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A statement that runs past the pool's statement timeout, on the real database: here a write that waits
 * for a row another transaction holds. PostgreSQL cancels it and undoes its transaction, and the request
 * is answered as the database being unavailable (503), never as a server failure (500); an
 * administrator's change to a whole workspace has the longer budget of {@link LongStatements}. The pool
 * here, of one connection, lets a statement run half a second; the server's lets it run
 * {@link Database#STATEMENT_TIMEOUT}.
 */
class StatementTimeoutTest {
    private static Database impatient;
    private static PostgresDirectoryStore directory;
    private static PostgresCredentialStore credentials;
    /** The same stores on the tests' usual pool: what a test sets up or checks runs without the half second. */
    private static final PostgresDirectoryStore patientDirectory = new PostgresDirectoryStore(TestWorkspaces.dataSource());
    private static final PostgresCredentialStore patientCredentials =
            new PostgresCredentialStore(TestWorkspaces.dataSource());
    private static UUID workspace;

    @BeforeAll
    static void openAnImpatientPool() {
        impatient = Database.external(RunningServer.shared().jdbcUrl(), "postgres",
                RunningServer.shared().databasePassword(), 1, Duration.ofMillis(500));
        directory = new PostgresDirectoryStore(impatient.dataSource());
        credentials = new PostgresCredentialStore(impatient.dataSource());
        workspace = TestWorkspaces.create("Statement timeout", "statement-timeout");
    }

    @AfterAll
    static void closeIt() {
        TestWorkspaces.delete(workspace);
        impatient.close();
    }

    @Test
    void aDirectoryWriteHeldPastTheTimeoutIsUnavailableAndNotApplied() {
        UUID group = UUID.randomUUID();
        Actor actor = new Actor(workspace, "test", "statement-timeout-" + group, "DELETE /Groups/" + group);
        patientDirectory.inTransaction(actor, tx -> {
            tx.insertGroup(workspace, group(group));
            return null;
        });
        try (Handle holder = TestWorkspaces.jdbi().open()) {
            holder.begin();
            holder.execute("SELECT 1 FROM groups WHERE id = ? FOR UPDATE", group);
            assertThatThrownBy(() -> directory.inTransaction(actor, tx -> tx.deleteGroup(workspace, group)))
                    .isInstanceOf(DirectoryUnavailableException.class)
                    .hasMessageContaining("PostgreSQL cancelled a statement of the request");
            holder.rollback();
        }
        Optional<Group> kept = patientDirectory.read(tx -> tx.findGroup(workspace, group));
        assertThat(kept).as("the delete was undone").isPresent();
    }

    @Test
    void aCredentialWriteHeldPastTheTimeoutIsUnavailableAndNotApplied() {
        UUID token = UUID.randomUUID();
        ChangeOrigin origin = ChangeOrigin.admin("statement-timeout-" + token, "DELETE /api/admin/v1/workspaces");
        patientCredentials.tokens(origin).insertToken(new ApiToken(token, workspace, "held",
                Instant.now().truncatedTo(ChronoUnit.MICROS), null, null, null), SecretHash.of("scim_tok_" + token));
        try (Handle holder = TestWorkspaces.jdbi().open()) {
            holder.begin();
            holder.execute("SELECT 1 FROM api_tokens WHERE id = ? FOR UPDATE", token);
            assertThatThrownBy(() -> credentials.tokens(origin).revokeToken(workspace, token, Instant.now()))
                    .isInstanceOf(CredentialsUnavailableException.class)
                    .hasMessageContaining("PostgreSQL cancelled a statement of the request");
            holder.rollback();
        }
        assertThat(patientCredentials.tokensOf(workspace)).filteredOn(t -> t.id().equals(token))
                .singleElement().matches(t -> t.revokedAt() == null, "not revoked");
    }

    @Test
    void aWorkspaceDeletionWaitsPastTheTimeoutAndTheConnectionGetsItsBudgetBack() throws Exception {
        UUID doomed = TestWorkspaces.create("Held deletion", "held-deletion");
        PostgresWorkspaceStore workspaces = new PostgresWorkspaceStore(impatient.dataSource());
        try (Handle holder = TestWorkspaces.jdbi().open()) {
            holder.begin();
            holder.execute("SELECT 1 FROM workspaces WHERE id = ? FOR UPDATE", doomed);
            AtomicBoolean sawItWait = new AtomicBoolean();
            Thread release = new Thread(() -> {
                sawItWait.set(waitedOnALockAtLeast(Duration.ofSeconds(1), "DELETE FROM workspaces"));
                holder.rollback();
            });
            release.start();
            assertThat(workspaces.deleteWorkspace(doomed, ChangeOrigin.admin("held-deletion-" + doomed,
                    "DELETE /api/admin/v1/workspaces"))).isEqualTo(WorkspaceStore.Outcome.DONE);
            release.join();
            assertThat(sawItWait).as("the deletion waited on the lock past its pool's half second").isTrue();
        }
        int left = TestWorkspaces.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM workspaces WHERE id = ?")
                .bind(0, doomed).mapTo(Integer.class).one());
        assertThat(left).isZero();
        try (Handle again = Jdbi.open(impatient.dataSource())) {
            assertThat(again.createQuery("SHOW statement_timeout").mapTo(String.class).one())
                    .as("the setting ended with the transaction").isEqualTo("500ms");
            assertThat(again.getConnection().getNetworkTimeout()).as("the pool put the socket timeout back")
                    .isEqualTo(60_000);
        }
    }

    @Test
    void theLongerBudgetIsGivenToATransactionOnly() throws Exception {
        try (Handle handle = Jdbi.open(impatient.dataSource())) {
            assertThatThrownBy(() -> LongStatements.allow(handle)).isInstanceOf(IllegalStateException.class);
            handle.begin();
            LongStatements.allow(handle);
            assertThat(handle.createQuery("SHOW statement_timeout").mapTo(String.class).one()).isEqualTo("10min");
            assertThat(handle.getConnection().getNetworkTimeout()).isEqualTo(630_000);
            handle.rollback();
        }
    }

    /**
     * Whether a backend ran a statement starting with {@code statement} that waited on a lock for at
     * least {@code atLeast}, looked for during ten seconds at most.
     */
    private static boolean waitedOnALockAtLeast(Duration atLeast, String statement) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            boolean waited = TestWorkspaces.jdbi().withHandle(h -> h.createQuery("SELECT EXISTS (SELECT 1 "
                    + "FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE :statement "
                    + "AND now() - query_start >= :atLeast * interval '1 millisecond')")
                    .bind("statement", statement + "%").bind("atLeast", atLeast.toMillis())
                    .mapTo(Boolean.class).one());
            if (waited) {
                return true;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private static Group group(UUID id) {
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return new Group(id, "held-" + id, null,
                JsonNodeFactory.instance.objectNode().put("displayName", "held-" + id), 1, at, at);
    }
}
