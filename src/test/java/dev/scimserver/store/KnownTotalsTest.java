package dev.scimserver.store;

import dev.scimserver.app.RunningServer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A kept total is exact: equal to a fresh count whenever no write is in flight, and a committed
 * change shows in the next count, whether its transaction began before the kept count, ran through
 * it, or began after it. Writers are other connections to the shared test database; the counted
 * rows are the members of a workspace of this test's own, written as the directory writes them (the
 * journal's trigger records each), and commits outside that workspace leave a kept total alone.
 */
class KnownTotalsTest {
    private static Database database;
    private static Jdbi jdbi;
    private final UUID workspace = newWorkspace();
    private final TableSearch.Statement counting = new TableSearch.Statement(
            "SELECT count(*) FROM workspace_members m WHERE m.workspace_id = ?", List.of(workspace));
    private final KnownTotals totals = new KnownTotals();

    @BeforeAll
    static void connect() {
        database = Database.external(RunningServer.shared().jdbcUrl(), "postgres",
                RunningServer.shared().databasePassword(), 4);
        jdbi = Jdbi.create(database.dataSource());
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @AfterEach
    void removeWorkspace() {
        jdbi.useHandle(h -> h.execute("DELETE FROM workspaces WHERE id = ?", workspace));
    }

    private static UUID newWorkspace() {
        UUID id = UUID.randomUUID();
        jdbi.useHandle(h -> h.execute("INSERT INTO workspaces (id, name, slug) VALUES (?, 'Known totals', ?)", id,
                "totals-" + id.toString().substring(0, 8)));
        return id;
    }

    @Test
    void aKeptTotalIsNotCountedAgainWhileNothingCommits() {
        insertCommitted(2);
        try (Handle reader = jdbi.open()) {
            assertThat(countsAgain(reader, () -> {
            })).as("the second count used the kept total").isFalse();
        }
    }

    @Test
    void commitsOutsideTheWorkspaceLeaveAKeptTotalAlone() {
        insertCommitted(2);
        UUID elsewhere = newWorkspace();
        try (Handle reader = jdbi.open()) {
            assertThat(countsAgain(reader, () -> {
                jdbi.useHandle(h -> insert(h, elsewhere, 1));
                jdbi.useHandle(h -> h.execute("INSERT INTO users (id, created_at, updated_at) VALUES (?, now(), now())",
                        UUID.randomUUID()));
            })).as("the count after commits to another workspace and to a table no search reads").isFalse();
            assertThat(countsAgain(reader, () -> insertCommitted(1))).as("after a member was added").isTrue();
        } finally {
            jdbi.useHandle(h -> h.execute("DELETE FROM workspaces WHERE id = ?", elsewhere));
        }
    }

    /**
     * Whether the count after {@code between} counted again rather than using the total kept just
     * before it. The counting statement bumps a setting of the reading session, which writes nothing:
     * the setting moves only when the count runs.
     */
    private boolean countsAgain(Handle reader, Runnable between) {
        TableSearch.Statement marking = new TableSearch.Statement(counting.sql() + " AND set_config("
                + "'known_totals.counted', (coalesce(nullif(current_setting('known_totals.counted', true), ''), '0')"
                + "::int + 1)::text, false) IS NOT NULL", counting.params());
        long total = totals.count(reader, workspace, marking);
        String before = reader.createQuery("SELECT current_setting('known_totals.counted')").mapTo(String.class).one();
        between.run();
        assertThat(totals.count(reader, workspace, marking)).isEqualTo(freshCount());
        String after = reader.createQuery("SELECT current_setting('known_totals.counted')").mapTo(String.class).one();
        assertThat(total).isNotNegative();
        return !before.equals(after);
    }

    @Test
    void aCommittedInsertShowsInTheNextCount() {
        try (Handle reader = jdbi.open()) {
            assertThat(totals.count(reader, workspace, counting)).isZero();
            insertCommitted(1);
            assertThat(totals.count(reader, workspace, counting)).isEqualTo(1).isEqualTo(freshCount());
            insertCommitted(3);
            assertThat(totals.count(reader, workspace, counting)).isEqualTo(4).isEqualTo(freshCount());
        }
    }

    @Test
    void aTransactionInFlightDuringTheCountShowsOnceItCommits() {
        try (Handle reader = jdbi.open(); Handle writer = jdbi.open()) {
            writer.begin();
            insert(writer, workspace, 1);
            // A later transaction commits first: the newest row visible to the count is not the newest
            // row to come, so no "newest id" could tell that the one in flight still adds to it.
            insertCommitted(1);
            assertThat(totals.count(reader, workspace, counting)).isEqualTo(1).isEqualTo(freshCount());
            assertThat(totals.count(reader, workspace, counting)).isEqualTo(1);
            writer.commit();
            assertThat(totals.count(reader, workspace, counting)).isEqualTo(2).isEqualTo(freshCount());
        }
    }

    @Test
    void aRolledBackTransactionChangesNothing() {
        try (Handle reader = jdbi.open(); Handle writer = jdbi.open()) {
            insertCommitted(1);
            writer.begin();
            insert(writer, workspace, 2);
            assertThat(totals.count(reader, workspace, counting)).isEqualTo(1);
            writer.rollback();
            assertThat(totals.count(reader, workspace, counting)).isEqualTo(1).isEqualTo(freshCount());
        }
    }

    @Test
    void aCountInsideATransactionIsNotKeptForItMayRollBack() {
        try (Handle h = jdbi.open()) {
            h.begin();
            insert(h, workspace, 1);
            assertThat(totals.count(h, workspace, counting)).isEqualTo(1);
            h.rollback();
            assertThat(totals.count(h, workspace, counting)).isZero();
        }
    }

    private void insertCommitted(int members) {
        jdbi.useHandle(h -> insert(h, workspace, members));
    }

    private static void insert(Handle h, UUID workspaceId, int members) {
        for (int i = 0; i < members; i++) {
            UUID person = UUID.randomUUID();
            h.execute("INSERT INTO users (id, created_at, updated_at) VALUES (?, now(), now())", person);
            h.execute("INSERT INTO workspace_members (workspace_id, user_id, user_name, role, status, created_at, "
                    + "last_modified) VALUES (?, ?, ?, 'end-user', 'active', now(), now())", workspaceId, person,
                    person + "@example.com");
        }
    }

    private long freshCount() {
        return jdbi.withHandle(h -> h.createQuery(counting.sql()).bind(0, workspace).mapTo(Long.class).one());
    }
}
