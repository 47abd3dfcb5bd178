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
 * rows are users whose email carries this test's own marker.
 */
class KnownTotalsTest {
    private static Database database;
    private static Jdbi jdbi;
    private final String marker = "known-totals-" + UUID.randomUUID();
    private final TableSearch.Statement counting = new TableSearch.Statement(
            "SELECT count(*) FROM users WHERE email LIKE ?", List.of(marker + "%"));
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
    void removeUsers() {
        jdbi.useHandle(h -> h.execute("DELETE FROM users WHERE email LIKE ?", marker + "%"));
    }

    @Test
    void aKeptTotalIsNotCountedAgainWhileNothingCommits() {
        // The count runs set_config on the reading session, a mark that writes nothing: the mark moves
        // only when the count runs. Another test's commit between two counts forces a recount, so one
        // of a few tries must show the kept total used.
        TableSearch.Statement marking = new TableSearch.Statement("SELECT count(*) FROM users WHERE email LIKE ? "
                + "AND set_config('known_totals.counted', (coalesce(nullif(current_setting('known_totals.counted', "
                + "true), ''), '0')::int + 1)::text, false) IS NOT NULL", List.of(marker + "%"));
        insertCommitted(2);
        boolean reused = false;
        try (Handle reader = jdbi.open()) {
            for (int attempt = 0; attempt < 10 && !reused; attempt++) {
                assertThat(totals.count(reader, marking)).isEqualTo(2);
                String before = reader.createQuery("SELECT current_setting('known_totals.counted')").mapTo(String.class).one();
                assertThat(totals.count(reader, marking)).isEqualTo(2);
                String after = reader.createQuery("SELECT current_setting('known_totals.counted')").mapTo(String.class).one();
                reused = before.equals(after);
            }
        }
        assertThat(reused).as("the second count used the kept total").isTrue();
    }

    @Test
    void aCommittedInsertShowsInTheNextCount() {
        try (Handle reader = jdbi.open()) {
            assertThat(totals.count(reader, counting)).isZero();
            insertCommitted(1);
            assertThat(totals.count(reader, counting)).isEqualTo(1).isEqualTo(freshCount());
            insertCommitted(3);
            assertThat(totals.count(reader, counting)).isEqualTo(4).isEqualTo(freshCount());
        }
    }

    @Test
    void aTransactionInFlightDuringTheCountShowsOnceItCommits() {
        try (Handle reader = jdbi.open(); Handle writer = jdbi.open()) {
            writer.begin();
            insert(writer, 1);
            // A later transaction commits first: the newest row visible to the count is not the newest
            // row to come, so no "newest id" could tell that the one in flight still adds to it.
            insertCommitted(1);
            assertThat(totals.count(reader, counting)).isEqualTo(1).isEqualTo(freshCount());
            assertThat(totals.count(reader, counting)).isEqualTo(1);
            writer.commit();
            assertThat(totals.count(reader, counting)).isEqualTo(2).isEqualTo(freshCount());
        }
    }

    @Test
    void aRolledBackTransactionChangesNothing() {
        try (Handle reader = jdbi.open(); Handle writer = jdbi.open()) {
            insertCommitted(1);
            writer.begin();
            insert(writer, 2);
            assertThat(totals.count(reader, counting)).isEqualTo(1);
            writer.rollback();
            assertThat(totals.count(reader, counting)).isEqualTo(1).isEqualTo(freshCount());
        }
    }

    @Test
    void aCountInsideATransactionIsNotKeptForItMayRollBack() {
        try (Handle h = jdbi.open()) {
            h.begin();
            insert(h, 1);
            assertThat(totals.count(h, counting)).isEqualTo(1);
            h.rollback();
            assertThat(totals.count(h, counting)).isZero();
        }
    }

    private void insertCommitted(int users) {
        jdbi.useHandle(h -> insert(h, users));
    }

    private void insert(Handle h, int users) {
        for (int i = 0; i < users; i++) {
            h.execute("INSERT INTO users (id, email, created_at, updated_at) VALUES (?, ?, now(), now())",
                    UUID.randomUUID(), marker + "-" + UUID.randomUUID() + "@example.com");
        }
    }

    private long freshCount() {
        return jdbi.withHandle(h -> h.createQuery(counting.sql()).bind(0, counting.params().get(0)).mapTo(Long.class)
                .one());
    }
}
