package dev.scimserver.store;

import com.fasterxml.jackson.databind.node.LongNode;
import dev.scimserver.directory.Keyset;
import dev.scimserver.directory.SearchQuery;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An index page starts from the kept row nearest before it, the last row of a page this process served
 * of the same list, exactly as long as the workspace's change journal shows no change since that page
 * was read.
 */
class KnownPositionsTest {
    private static final Jdbi jdbi = TestWorkspaces.jdbi();
    private final UUID workspace = newWorkspace();
    private final KnownTotals totals = new KnownTotals();
    /** For the tests of what is kept, without a database: one list of it. */
    private final KnownPositions kept = new KnownPositions();
    private final KnownPositions.Walk walk = new KnownPositions.Walk(workspace, "SELECT", List.of());

    @AfterEach
    void removeWorkspace() {
        TestWorkspaces.delete(workspace);
    }

    private static UUID newWorkspace() {
        return TestWorkspaces.create("Known positions", "walks");
    }

    @Test
    void aWalkOfIndexPagesReadsEveryMemberOnceInOrder() {
        insert(35, true);
        List<UUID> walked = new ArrayList<>();
        for (int startIndex = 1; startIndex <= 41; startIndex += 10) {
            walked.addAll(page(startIndex));
        }
        assertThat(walked).isEqualTo(inOrder());
    }

    @Test
    void thePageAfterOneServedStartsFromItsLastRow() {
        insert(30, true);
        List<UUID> before = inOrder();
        page(1);
        // A member no journal row tells of, first in the order: an OFFSET would shift the next page by
        // one; the walk, trusting the journal, goes on from the row it served last.
        insert(1, false, true);
        assertThat(page(11)).isEqualTo(before.subList(10, 20));
    }

    @Test
    void aChangeTheJournalShowsSendsTheNextPageBackToItsOffset() {
        insert(30, true);
        List<UUID> before = inOrder();
        page(1);
        insert(1, true, true);
        assertThat(page(11)).isEqualTo(inOrder().subList(10, 20)).isEqualTo(before.subList(9, 19));
    }

    @Test
    void aPageStartsFromTheNearestRowServedBeforeIt() {
        insert(30, true);
        List<UUID> before = inOrder();
        page(1);
        page(21);
        insert(1, false, true);
        // From the 10th row kept by the first page, five rows on: an OFFSET would shift it by one.
        assertThat(page(16)).isEqualTo(before.subList(15, 25));
    }

    @Test
    void aPageBeforeEveryRowServedIsReadByItsOffset() {
        insert(30, true);
        page(21);
        insert(1, false, true);
        assertThat(page(6)).isEqualTo(inOrder().subList(5, 15));
    }

    @Test
    void aChangeTheJournalShowsSendsAPageBetweenRowsServedBackToItsOffset() {
        insert(30, true);
        page(1);
        page(21);
        insert(1, true, true);
        List<UUID> changed = inOrder();
        assertThat(page(16)).isEqualTo(changed.subList(15, 25));
        insert(1, false, true);
        assertThat(page(27)).as("from the row where the page read by its offset ended")
                .isEqualTo(changed.subList(26, 31));
    }

    /**
     * Lists whose every row fits in one page (a lookup by userName above all) keep no row: more of them
     * than the lists kept must not push a walk's row out, or its next page goes back to its OFFSET.
     */
    @Test
    void pagesThatHoldTheRestOfTheirListKeepNoRow() {
        insert(30, true);
        List<UUID> before = inOrder();
        page(1);
        for (int count = 31; count <= 31 + 300; count++) {
            assertThat(page(1, count)).hasSize(30);
        }
        insert(1, false, true);
        assertThat(page(11)).as("from the row the first page kept, as no journal row tells of the change")
                .isEqualTo(before.subList(10, 20));
    }

    @Test
    void aListKeepsTheRowsOfItsLatestPages() {
        // Read backwards from the list's end: the row remembered first is the one of the highest index.
        int pages = KnownPositions.ROWS_PER_LIST + 1;
        for (int page = pages; page >= 1; page--) {
            kept.remember(walk, position(page * 10L));
        }
        assertThat(kept.nearestBefore(walk, Integer.MAX_VALUE)).as("the row remembered first is out")
                .contains(position((pages - 1) * 10L));
        assertThat(kept.nearestBefore(walk, 15)).contains(position(10));
        assertThat(kept.nearestBefore(walk, 20)).as("strictly before the page").contains(position(10));
        assertThat(kept.nearestBefore(walk, 10)).isEmpty();
    }

    @Test
    void aStaleRowIsForgottenWithEveryRowOfItsList() {
        KnownPositions.Walk other = new KnownPositions.Walk(workspace, "SELECT 2", List.of());
        kept.remember(walk, position(10));
        kept.remember(walk, position(30));
        kept.remember(other, position(10));
        kept.forget(walk, position(30));
        assertThat(kept.nearestBefore(walk, 41)).isEmpty();
        assertThat(kept.nearestBefore(other, 41)).as("another list").contains(position(10));
    }

    @Test
    void aRowReadAgainSinceItWasFoundStaleIsKept() {
        KnownPositions.Position stale = position(10);
        KnownPositions.Position fresh = new KnownPositions.Position(10, stale.row(), "2:2:");
        kept.remember(walk, stale);
        kept.remember(walk, fresh);
        kept.forget(walk, stale);
        assertThat(kept.nearestBefore(walk, 11)).contains(fresh);
    }

    private static KnownPositions.Position position(long index) {
        return new KnownPositions.Position(index, new Keyset(LongNode.valueOf(index), new UUID(0, index), false), "1:1:");
    }

    private List<UUID> page(int startIndex) {
        return page(startIndex, 10);
    }

    private List<UUID> page(int startIndex, int count) {
        try (Handle reader = jdbi.open()) {
            return MemberRows.SEARCH.run(reader, totals, workspace, new SearchQuery(null, startIndex, count),
                    UserViewMapper::read).items().stream().map(user -> user.member().userId()).toList();
        }
    }

    private List<UUID> inOrder() {
        return jdbi.withHandle(h -> h.createQuery("SELECT user_id FROM workspace_members WHERE workspace_id = ? "
                + "ORDER BY created_at, user_id").bind(0, workspace).mapTo(UUID.class).list());
    }

    private void insert(int members, boolean journaled) {
        insert(members, journaled, false);
    }

    /**
     * {@code journaled} false: with the triggers off, as no write of the server ever is; {@code first}:
     * created before every other member, so first in the order.
     */
    private void insert(int members, boolean journaled, boolean first) {
        jdbi.useTransaction(h -> {
            if (!journaled) {
                h.execute("SET LOCAL session_replication_role = replica");
            }
            for (int i = 0; i < members; i++) {
                UUID person = UUID.randomUUID();
                h.execute("INSERT INTO users (id, created_at, updated_at) VALUES (?, now(), now())", person);
                h.execute("INSERT INTO workspace_members (workspace_id, user_id, user_name, role, status, created_at, "
                        + "last_modified) VALUES (?, ?, ?, 'end-user', 'active', now() + interval '1 second' * ?, now())",
                        workspace, person, person + "@example.com", first ? -86_400 : i);
            }
        });
    }
}
