package dev.scimserver.store;

import dev.scimserver.directory.Keyset;
import dev.scimserver.directory.Page;
import dev.scimserver.directory.SearchQuery;
import dev.scimserver.directory.UserView;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A page's items reach the caller in page order, exactly once, without the row read past the page:
 * a forward cursor page's each as its row is mapped (in a transaction, where the driver fetches in
 * batches), any other page's once the page is whole.
 */
class StreamedPagesTest {
    private static final Jdbi jdbi = TestWorkspaces.jdbi();
    private final UUID workspace = TestWorkspaces.create("Streamed pages", "streamed");
    private final KnownTotals totals = new KnownTotals();
    private List<UUID> members;

    @BeforeEach
    void insertMembers() {
        jdbi.useTransaction(h -> {
            for (int i = 0; i < 250; i++) {
                UUID person = UUID.randomUUID();
                h.execute("INSERT INTO users (id, created_at, updated_at) VALUES (?, now(), now())", person);
                h.execute("INSERT INTO workspace_members (workspace_id, user_id, user_name, role, status, created_at, "
                        + "last_modified) VALUES (?, ?, ?, 'end-user', 'active', now() + interval '1 second' * ?, now())",
                        workspace, person, person + "@example.com", i);
            }
        });
        members = jdbi.withHandle(h -> h.createQuery("SELECT user_id FROM workspace_members WHERE workspace_id = ? "
                + "ORDER BY created_at, user_id").bind(0, workspace).mapTo(UUID.class).list());
    }

    @AfterEach
    void removeWorkspace() {
        TestWorkspaces.delete(workspace);
    }

    @Test
    void aForwardCursorPageHandsEachItemOverAsItsRowIsRead() {
        Delivery first = jdbi.inTransaction(h -> read(h, cursorPage(null, 120)));

        assertThat(first.ids()).isEqualTo(first.pageIds()).isEqualTo(members.subList(0, 120));
        // The k-th item was handed over when k rows had been mapped, not once all 121 were.
        assertThat(first.mappedAtHandover).isEqualTo(counting(1, 120));

        Delivery second = jdbi.inTransaction(h -> read(h, cursorPage(first.page.next(), 120)));
        assertThat(second.ids()).isEqualTo(second.pageIds()).isEqualTo(members.subList(120, 240));
        assertThat(second.mappedAtHandover).isEqualTo(counting(1, 120));

        Delivery last = jdbi.inTransaction(h -> read(h, cursorPage(second.page.next(), 120)));
        assertThat(last.ids()).isEqualTo(members.subList(240, 250));
        assertThat(last.page.next()).isNull();
    }

    @Test
    void aBackwardCursorPageIsHandedOverWholeInPageOrder() {
        Page<UserView> second = jdbi.inTransaction(h -> read(h, cursorPage(
                jdbi.inTransaction(f -> read(f, cursorPage(null, 100))).page.next(), 100))).page;

        Delivery back = jdbi.inTransaction(h -> read(h, cursorPage(second.previous(), 100)));

        assertThat(back.ids()).isEqualTo(back.pageIds()).isEqualTo(members.subList(0, 100));
        assertThat(back.mappedAtHandover).containsOnly(back.mapped);
    }

    @Test
    void outsideATransactionACursorPageIsHandedOverWhole() {
        Delivery page = jdbi.withHandle(h -> read(h, cursorPage(null, 100)));

        assertThat(page.ids()).isEqualTo(members.subList(0, 100));
        assertThat(page.mappedAtHandover).containsOnly(101);
    }

    @Test
    void anIndexPageIsHandedOverWhole() {
        Delivery page = jdbi.inTransaction(h -> read(h, new SearchQuery(null, 11, 100)));

        assertThat(page.ids()).isEqualTo(page.pageIds()).isEqualTo(members.subList(10, 110));
        assertThat(page.mappedAtHandover).containsOnly(100);
    }

    private static SearchQuery cursorPage(Keyset position, int count) {
        return new SearchQuery(null, null, 1, count, "", position);
    }

    private static List<Integer> counting(int from, int to) {
        List<Integer> numbers = new ArrayList<>();
        for (int n = from; n <= to; n++) {
            numbers.add(n);
        }
        return numbers;
    }

    private Delivery read(Handle handle, SearchQuery query) {
        Delivery delivery = new Delivery();
        RowMapper<UserView> counted = (rs, ctx) -> {
            delivery.mapped++;
            return UserViewMapper.INSTANCE.map(rs, ctx);
        };
        delivery.page = MemberRows.SEARCH.run(handle, totals, workspace, query, counted, user -> {
            delivery.handedOver.add(user);
            delivery.mappedAtHandover.add(delivery.mapped);
        });
        return delivery;
    }

    /** What a search handed over, when, and the page it returned. */
    private static final class Delivery {
        final List<UserView> handedOver = new ArrayList<>();
        final List<Integer> mappedAtHandover = new ArrayList<>();
        int mapped;
        Page<UserView> page;

        List<UUID> ids() {
            return handedOver.stream().map(user -> user.member().userId()).toList();
        }

        List<UUID> pageIds() {
            return page.items().stream().map(user -> user.member().userId()).toList();
        }
    }
}
