package dev.scimserver.store;

import dev.scimserver.app.RunningServer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A kept total is exact: equal to a fresh count whenever no write is in flight, and a committed
 * change shows in the next count, whether its transaction began before the kept count, ran through
 * it, or began after it. Writers are other connections to the shared test database; the counted
 * rows are the members of a workspace of this test's own, written as the directory writes them (the
 * journal's trigger records each), and commits outside that workspace leave a kept total alone. The
 * same holds for the rows of a grouped count, the members per status and role of a workspace's summary.
 */
class KnownTotalsTest {
    private static final Jdbi jdbi = TestWorkspaces.jdbi();
    private final UUID workspace = newWorkspace();
    /** A condition that bumps a setting of the reading session, which writes nothing: it moves only when a count runs. */
    private static final String MARKING = " AND set_config('known_totals.counted', (coalesce(nullif("
            + "current_setting('known_totals.counted', true), ''), '0')::int + 1)::text, false) IS NOT NULL";
    private final TableSearch.Statement counting = counting("");
    private final TableSearch.Statement grouping = grouping("");
    private final KnownTotals totals = new KnownTotals();

    @AfterEach
    void removeWorkspace() {
        TestWorkspaces.delete(workspace);
    }

    private TableSearch.Statement counting(String condition) {
        return new TableSearch.Statement("SELECT count(*) FROM workspace_members m WHERE m.workspace_id = ?"
                + condition, List.of(workspace));
    }

    /** As the summary of a workspace counts its members. */
    private TableSearch.Statement grouping(String condition) {
        return new TableSearch.Statement("SELECT status, role, count(*) AS members FROM workspace_members m "
                + "WHERE m.workspace_id = ?" + condition + " GROUP BY status, role", List.of(workspace));
    }

    /** How many members of the workspace have one status and one role. */
    private record MemberCount(String status, String role, long members) {
    }

    private static UUID newWorkspace() {
        return TestWorkspaces.create("Known totals", "totals");
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
    void theCheckOfAKeptTotalReusesOnePreparedPlan() {
        // The check runs on every page of an index walk, where planning it for the kept snapshot's
        // values cost PostgreSQL more than running it. The driver prepares it on the server from its
        // fifth run; PostgreSQL plans five runs there for their values, then settles on a generic plan
        // when that costs no more. A big workspace's long journal is the case that needs the workspace
        // and the snapshot out of the planner's sight: there a plan for their values was priced below
        // the generic plan's guess.
        jdbi.useHandle(h -> {
            h.execute("WITH people AS (INSERT INTO users (id, created_at, updated_at) SELECT gen_random_uuid(), "
                    + "now(), now() FROM generate_series(1, 20000) RETURNING id) INSERT INTO workspace_members "
                    + "(workspace_id, user_id, user_name, role, status, created_at, last_modified) SELECT ?, id, "
                    + "id || '@example.com', 'end-user', 'active', now(), now() FROM people", workspace);
            // As autovacuum leaves a big workspace: its members and its journal in the statistics.
            h.execute("ANALYZE workspace_members, change_journal");
        });
        long members = freshCount();
        // A session of its own, configured as the server's: PostgreSQL weighs the generic plan against
        // the custom plans a session made before, and the shared pool's sessions made them for the
        // small workspaces of other tests.
        try (Database session = Database.external(RunningServer.shared().jdbcUrl(), "postgres",
                RunningServer.shared().databasePassword(), 1); Handle reader = Jdbi.open(session.dataSource())) {
            for (int run = 0; run < 12; run++) {
                assertThat(totals.count(reader, workspace, counting)).isEqualTo(members);
            }
            assertThat(reader.createQuery("SELECT coalesce(sum(generic_plans), 0) FROM pg_prepared_statements "
                    + "WHERE statement LIKE '%pg_snapshot_xmin%'").mapTo(Long.class).one())
                    .as("runs of the check on its generic plan").isPositive();
        }
    }

    @Test
    void commitsOutsideTheWorkspaceLeaveAKeptTotalAlone() {
        insertCommitted(2);
        UUID elsewhere = newWorkspace();
        try (Handle reader = jdbi.open()) {
            assertThat(countsAgain(reader, () -> commitOutside(elsewhere)))
                    .as("the count after commits to another workspace and to a table no search reads").isFalse();
            assertThat(countsAgain(reader, () -> insertCommitted(1))).as("after a member was added").isTrue();
        } finally {
            TestWorkspaces.delete(elsewhere);
        }
    }

    @Test
    void keptMemberCountsAreNotCountedAgainWhileNothingCommitsInTheWorkspace() {
        insertCommitted(2);
        UUID elsewhere = newWorkspace();
        try (Handle reader = jdbi.open()) {
            assertThat(groupsAgain(reader, () -> {
            })).as("the second grouped count used the kept rows").isFalse();
            assertThat(groupsAgain(reader, () -> commitOutside(elsewhere)))
                    .as("after commits to another workspace and to a table no count reads").isFalse();
            assertThat(groupsAgain(reader, () -> jdbi.useHandle(h -> changeOne(h, "role", "builder"))))
                    .as("after a member's role changed").isTrue();
            assertThat(groupsAgain(reader, () -> jdbi.useHandle(h -> changeOne(h, "status", "archived"))))
                    .as("after a member's status changed").isTrue();
        } finally {
            TestWorkspaces.delete(elsewhere);
        }
    }

    private void commitOutside(UUID elsewhere) {
        jdbi.useHandle(h -> insert(h, elsewhere, 1));
        jdbi.useHandle(h -> h.execute("INSERT INTO users (id, created_at, updated_at) VALUES (?, now(), now())",
                UUID.randomUUID()));
    }

    /** Whether the count after {@code between} counted again rather than using the total kept just before it. */
    private boolean countsAgain(Handle reader, Runnable between) {
        TableSearch.Statement marking = counting(MARKING);
        return readsAgain(reader, () -> assertThat(totals.count(reader, workspace, marking)).isEqualTo(freshCount()),
                between);
    }

    /** Whether the member counts after {@code between} were counted again rather than kept from just before it. */
    private boolean groupsAgain(Handle reader, Runnable between) {
        TableSearch.Statement marking = grouping(MARKING);
        return readsAgain(reader, () -> assertThat(memberCounts(reader, marking))
                .containsExactlyInAnyOrderElementsOf(freshMemberCounts()), between);
    }

    private static boolean readsAgain(Handle reader, Runnable read, Runnable between) {
        read.run();
        String before = reader.createQuery("SELECT current_setting('known_totals.counted')").mapTo(String.class).one();
        between.run();
        read.run();
        String after = reader.createQuery("SELECT current_setting('known_totals.counted')").mapTo(String.class).one();
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

    @Test
    void aCommittedStatusOrRoleChangeShowsInTheNextMemberCounts() {
        try (Handle reader = jdbi.open()) {
            assertThat(memberCounts(reader, grouping)).isEmpty();
            insertCommitted(3);
            assertThat(memberCounts(reader, grouping)).containsExactly(new MemberCount("active", "end-user", 3));
            jdbi.useHandle(h -> changeOne(h, "role", "admin"));
            assertThat(memberCounts(reader, grouping)).containsExactlyInAnyOrder(
                    new MemberCount("active", "end-user", 2), new MemberCount("active", "admin", 1));
            jdbi.useHandle(h -> changeOne(h, "status", "archived"));
            assertThat(memberCounts(reader, grouping)).containsExactlyInAnyOrderElementsOf(freshMemberCounts())
                    .extracting(MemberCount::status).contains("archived");
            jdbi.useHandle(h -> h.execute("DELETE FROM workspace_members WHERE workspace_id = ?", workspace));
            assertThat(memberCounts(reader, grouping)).isEmpty();
        }
    }

    @Test
    void aRoleChangeInFlightDuringTheMemberCountsShowsOnceItCommits() {
        insertCommitted(2);
        try (Handle reader = jdbi.open(); Handle writer = jdbi.open()) {
            writer.begin();
            changeOne(writer, "role", "builder");
            insertCommitted(1);
            assertThat(memberCounts(reader, grouping)).containsExactly(new MemberCount("active", "end-user", 3));
            assertThat(memberCounts(reader, grouping)).containsExactly(new MemberCount("active", "end-user", 3));
            writer.commit();
            assertThat(memberCounts(reader, grouping)).containsExactlyInAnyOrder(
                    new MemberCount("active", "end-user", 2), new MemberCount("active", "builder", 1))
                    .containsExactlyInAnyOrderElementsOf(freshMemberCounts());
        }
    }

    @Test
    void aRolledBackStatusChangeLeavesTheMemberCounts() {
        insertCommitted(2);
        try (Handle reader = jdbi.open(); Handle writer = jdbi.open()) {
            assertThat(memberCounts(reader, grouping)).containsExactly(new MemberCount("active", "end-user", 2));
            writer.begin();
            changeOne(writer, "status", "invited");
            assertThat(memberCounts(reader, grouping)).containsExactly(new MemberCount("active", "end-user", 2));
            writer.rollback();
            assertThat(memberCounts(reader, grouping)).containsExactly(new MemberCount("active", "end-user", 2))
                    .containsExactlyInAnyOrderElementsOf(freshMemberCounts());
        }
    }

    @Test
    void memberCountsInsideATransactionAreNotKeptForTheyMayRollBack() {
        try (Handle h = jdbi.open()) {
            h.begin();
            insert(h, workspace, 1);
            assertThat(memberCounts(h, grouping)).containsExactly(new MemberCount("active", "end-user", 1));
            h.rollback();
            assertThat(memberCounts(h, grouping)).isEmpty();
        }
    }

    private List<MemberCount> memberCounts(Handle reader, TableSearch.Statement statement) {
        return totals.rows(reader, workspace, statement, MemberCount.class, (rs, ctx) -> new MemberCount(
                rs.getString("status"), rs.getString("role"), rs.getLong("members")));
    }

    private List<MemberCount> freshMemberCounts() {
        return jdbi.withHandle(h -> h.createQuery(grouping.sql()).bind(0, workspace).map((rs, ctx) -> new MemberCount(
                rs.getString("status"), rs.getString("role"), rs.getLong("members"))).list());
    }

    /** Gives one member of the workspace whose {@code column} is another value that value. */
    private void changeOne(Handle h, String column, String value) {
        h.execute("UPDATE workspace_members SET " + column + " = ? WHERE workspace_id = ? AND user_id = (SELECT user_id "
                + "FROM workspace_members WHERE workspace_id = ? AND " + column + " <> ? ORDER BY user_id LIMIT 1)",
                value, workspace, workspace, value);
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
