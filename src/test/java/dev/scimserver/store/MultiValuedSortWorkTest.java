package dev.scimserver.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimserver.directory.Group;
import dev.scimserver.directory.Page;
import dev.scimserver.directory.SearchQuery;
import dev.scimserver.scim.AttributePath;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A search sorted by a multi-valued attribute orders each resource by its primary (else first) value
 * (RFC 7644 §3.4.2.3), and finding that value costs work linear in the resource's own values, not in
 * the workspace. A group's first member is the earliest of its members: a plan that walks the
 * workspace's members in that order and probes the group for each one finds it at once for a big
 * group and only after most of the workspace for a small one, which a page of groups pays once per
 * group. The workspace, its members and groups are written in the test's open transaction, so no
 * statistics know them; auto_explain reports the rows the nodes run more than once produced, which
 * must stay within a constant times the rows of the workspace.
 */
class MultiValuedSortWorkTest {
    private static final int MEMBERS = 2000;
    private static final int GROUPS = 100;
    /** Each group's members, all among the workspace's last created. */
    private static final int PER_GROUP = 2;
    /**
     * The page's size. A planner left only nested loops joins the page's ids back to the workspace's
     * members by rescanning them for each member: work in the page times the workspace, which is not
     * the sort's and stays small beside the bound with a small page.
     */
    private static final int PAGE = 10;
    /** Rows per row of the workspace that rescanned plan nodes may produce: linear work, with room for any plan. */
    private static final int ROWS_PER_ROW = 40;

    enum SortedSearch {
        GROUPS_BY_MEMBERS("members", true),
        GROUPS_BY_MEMBER_DISPLAY("members.display", true),
        USERS_BY_EMAILS("emails", false),
        USERS_BY_GROUPS("groups.display", false);

        private final String sortBy;
        private final boolean groups;

        SortedSearch(String sortBy, boolean groups) {
            this.sortBy = sortBy;
            this.groups = groups;
        }
    }

    @ParameterizedTest
    @EnumSource(SortedSearch.class)
    void theFirstValuesCostWorkLinearInTheValuesOnStatisticsThatHaveNotSeenThem(SortedSearch search) {
        assertLinear(search, false);
    }

    /** The same with the planner left nothing but nested loops. */
    @ParameterizedTest
    @EnumSource(SortedSearch.class)
    void theFirstValuesCostWorkLinearInTheValuesWhenThePlannerMayOnlyNestLoops(SortedSearch search) {
        assertLinear(search, true);
    }

    private static void assertLinear(SortedSearch search, boolean nestedLoopsOnly) {
        ExecutedPlans.inRolledBackTransaction(nestedLoopsOnly, (h, plans) -> {
            UUID workspace = populate(h);
            // The expected page is a join the planner may run in the square of the workspace on these
            // statistics: read, and its plan reported (at the next statement), before those measured.
            List<UUID> expected = search.groups
                    ? groupsByFirstMember(h, workspace, search.sortBy.endsWith("display")) : List.of();
            h.execute("SELECT 1");
            plans.clear();
            SearchQuery query = new SearchQuery(null, new SearchQuery.Sort(AttributePath.parse(search.sortBy),
                    false), 1, PAGE, null, null);
            KnownTotals totals = new KnownTotals();
            if (search.groups) {
                Page<Group> page = GroupRows.SEARCH.run(h, totals, workspace, query, GroupMapper::read);
                assertThat(page.items().stream().map(Group::id).toList()).as("the page, in order")
                        .isEqualTo(expected);
            } else {
                assertThat(MemberRows.SEARCH.run(h, totals, workspace, query, UserViewMapper::read)
                        .items()).hasSize(PAGE);
            }
            h.execute("SELECT 1");
            long limit = (long) ROWS_PER_ROW * (MEMBERS + GROUPS + GROUPS * PER_GROUP);
            for (JsonNode plan : plans.all()) {
                assertThat(ExecutedPlans.rowsProduced(plan.path("Plan"), true))
                        .as("rows produced by the nodes run more than once, over all their loops, in %s",
                                plan)
                        .isLessThanOrEqualTo(limit);
            }
            assertThat(plans.all()).as("the plans of the search").isNotEmpty();
        });
    }

    /**
     * A new workspace of {@link #MEMBERS} members, created one millisecond apart, and {@link #GROUPS}
     * groups, each of {@link #PER_GROUP} of the last created.
     */
    private static UUID populate(Handle h) {
        UUID workspace = UUID.randomUUID();
        h.execute("INSERT INTO workspaces (id, name, slug) VALUES (?, 'sorted', ?)", workspace,
                "sorted-" + workspace.toString().substring(0, 8));
        h.execute("CREATE TEMP TABLE sorted_people ON COMMIT DROP AS SELECT n, gen_random_uuid() AS id "
                + "FROM generate_series(1, ?) n", MEMBERS);
        h.execute("INSERT INTO users (id, created_at, updated_at) SELECT id, now(), now() FROM sorted_people");
        h.execute("INSERT INTO workspace_members (workspace_id, user_id, user_name, display_name, role, status, "
                + "attributes, created_at, last_modified) SELECT ?, id, 'sorted' || n, 'Sorted ' || (? - n), "
                + "'end-user', 'active', jsonb_build_object('emails', jsonb_build_array(jsonb_build_object("
                + "'value', 'sorted' || n || '@sorted.example', 'primary', true))), "
                + "now() + n * interval '1 millisecond', now() FROM sorted_people", workspace, MEMBERS);
        h.execute("INSERT INTO groups (id, workspace_id, name, type, created_at, last_modified) "
                + "SELECT gen_random_uuid(), ?, 'Sorted ' || n, 'custom', now(), now() "
                + "FROM generate_series(1, ?) n", workspace, GROUPS);
        h.execute("INSERT INTO group_members (group_id, workspace_id, user_id) SELECT g.id, g.workspace_id, p.id "
                + "FROM (SELECT id, workspace_id, row_number() OVER (ORDER BY id) - 1 AS k FROM groups "
                + "WHERE workspace_id = ?) g JOIN sorted_people p ON p.n > ? - ? "
                + "AND (p.n - 1) % ? = g.k", workspace, MEMBERS, GROUPS * PER_GROUP, GROUPS);
        return workspace;
    }

    /**
     * The first page's groups, ordered by their earliest member's id or display, written another way: a
     * window over the workspace's memberships, read in one pass.
     */
    private static List<UUID> groupsByFirstMember(Handle h, UUID workspace, boolean display) {
        return h.createQuery("SELECT id FROM (SELECT gm.group_id AS id, wm.user_id, wm.display_name, "
                        + "row_number() OVER (PARTITION BY gm.group_id ORDER BY wm.created_at, wm.user_id) AS r "
                        + "FROM group_members gm JOIN workspace_members wm ON wm.workspace_id = gm.workspace_id "
                        + "AND wm.user_id = gm.user_id WHERE gm.workspace_id = :w) f WHERE r = 1 ORDER BY "
                        + (display ? "scim_fold(display_name)" : "user_id") + ", id LIMIT :page")
                .bind("w", workspace).bind("page", PAGE).mapTo(UUID.class).list();
    }
}
