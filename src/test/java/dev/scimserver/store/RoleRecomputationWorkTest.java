package dev.scimserver.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimserver.directory.Role;
import dev.scimserver.directory.RoleMapping;
import dev.scimserver.directory.RolePolicy;
import dev.scimserver.directory.RoleSource;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recomputation of roles, and the lock of the members it recomputes, never do work in the square of
 * the members they touch, whatever the planner believes about them. A directory sync fills a new
 * workspace's mapped group faster than autovacuum analyzes it, and a statement planned on statistics
 * that have not seen the group's members could join them by rescanning one set for each row of
 * another: minutes at a few thousand. Here the workspace, its group and its members are written in the
 * test's open transaction, so no statistics can know them, and auto_explain (as notices to this session
 * only) reports the rows each plan node produced over all its loops. Those of the nodes run more than
 * once, the rescans, must stay within a constant times the members touched; a node run once may read a
 * whole table (a hash join the planner rightly chose beside the rest of the shared database).
 */
class RoleRecomputationWorkTest {
    private static final int MEMBERS = 2000;
    /** Members a change names, in {@link RoleStatement#LOCK_NAMED}. */
    private static final int NAMED_FEW = 10;
    /** Rows per member touched that rescanned plan nodes may produce: linear work, with room for any plan. */
    private static final int ROWS_PER_MEMBER = 40;
    
    enum RoleStatement {
        /** A PUT or a DELETE of the group: every member but the staying ones, before its rows go. */
        LEAVING(false),
        /** A rename that maps the group: its members now, and the members named. */
        WITH_GROUP(false),
        /** The members named by id, all of them here. */
        NAMED(false),
        /** A change of the policy: every member of the workspace. */
        EVERY_MEMBER(false),
        /** The lock before a change of a mapped group that names a few members. */
        LOCK_NAMED(true),
        /** The lock before a change of a mapped group's every member. */
        LOCK_WITH_GROUP(true);

        /** A lock changes no role: there is no recomputed answer to check. */
        private final boolean lock;

        RoleStatement(boolean lock) {
            this.lock = lock;
        }
    }

    @ParameterizedTest
    @EnumSource(RoleStatement.class)
    void theWorkIsLinearInTheMembersOnStatisticsThatHaveNotSeenThem(RoleStatement statement) {
        assertLinear(statement, false);
    }

    /**
     * The same with the planner left nothing but nested loops: whatever it believes, no plan of the
     * statement may rescan one set of members for each row of another.
     */
    @ParameterizedTest
    @EnumSource(RoleStatement.class)
    void theWorkIsLinearInTheMembersWhenThePlannerMayOnlyNestLoops(RoleStatement statement) {
        assertLinear(statement, true);
    }

    /**
     * A member's role from its groups, read on every write of a member while roles come from groups,
     * finds the mapped groups by key: named by name in any case, or by id, among 2,000 other groups of
     * the workspace, its plan reads a handful of rows, not the workspace's groups.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aMembersRoleFromItsGroupsFindsTheMappedGroupsByKey(boolean byId) {
        ExecutedPlans.inRolledBackTransaction(false, (h, plans) -> {
            UUID workspace = UUID.randomUUID();
            UUID group = UUID.randomUUID();
            List<UUID> members = populate(h, workspace, group, "end-user");
            h.execute("INSERT INTO groups (id, workspace_id, name, type, created_at, last_modified) "
                    + "SELECT gen_random_uuid(), ?, 'other ' || n, 'custom', now(), now() "
                    + "FROM generate_series(1, 2000) n", workspace);
            JournalSettings none = JournalSettings.none(h);
            RoleRows rows = new RoleRows(h, none, new PlainStatements(h, none));
            List<RoleMapping> mappings = List.of(new RoleMapping("nobody's group", Role.ADMIN),
                    new RoleMapping(byId ? group.toString().toUpperCase(Locale.ROOT) : "Mapped-Builders", Role.BUILDER));
            plans.clear();
            assertThat(rows.groupRole(workspace, members.get(0), mappings)).contains(Role.BUILDER);
            h.execute("SELECT 1");
            JsonNode plan = plans.all().stream().filter(p -> p.path("Query Text").asText().contains("mapped"))
                    .findFirst().orElseThrow(() -> new AssertionError("no plan of the statement: " + plans.all()));
            assertThat(ExecutedPlans.rowsProduced(plan.path("Plan"), false))
                    .as("rows produced by every node, in %s", plan.path("Plan")).isLessThanOrEqualTo(ROWS_PER_MEMBER);
        });
    }

    private static void assertLinear(RoleStatement statement, boolean nestedLoopsOnly) {
        ExecutedPlans.inRolledBackTransaction(nestedLoopsOnly, (h, plans) -> {
            UUID workspace = UUID.randomUUID();
            UUID group = UUID.randomUUID();
            String expected = statement == RoleStatement.LEAVING ? "end-user" : "builder";
            List<UUID> members = populate(h, workspace, group,
                    statement == RoleStatement.LEAVING ? "builder" : "end-user");
            JournalSettings none = JournalSettings.none(h);
            RoleRows rows = new RoleRows(h, none, new PlainStatements(h, none));
            RolePolicy policy = new RolePolicy(RoleSource.GROUPS,
                    List.of(new RoleMapping("mapped-builders", Role.BUILDER)));
            Instant now = Instant.now();
            plans.clear();
            long touched = MEMBERS;
            switch (statement) {
                case LEAVING -> rows.recomputeLeaving(workspace, policy, group, List.of(), "work-test", now);
                case WITH_GROUP -> rows.recomputeWithGroup(workspace, policy, group, List.of(), "work-test", now);
                case NAMED -> rows.recompute(workspace, policy, Optional.of(members), "work-test", now);
                case EVERY_MEMBER -> rows.recompute(workspace, policy, Optional.empty(), "work-test", now);
                case LOCK_NAMED -> {
                    touched = NAMED_FEW;
                    List<UUID> named = members.subList(0, NAMED_FEW);
                    assertThat(rows.lockForRoles(workspace, named, Optional.empty()))
                            .containsExactlyInAnyOrderElementsOf(named);
                }
                case LOCK_WITH_GROUP -> assertThat(rows.lockForRoles(workspace, members.subList(0, 1),
                        Optional.of(group))).containsExactly(members.get(0));
            }
            h.execute("SELECT 1");
            if (!statement.lock) {
                assertThat(h.createQuery("SELECT role || ' ' || count(*) FROM workspace_members "
                        + "WHERE workspace_id = :w GROUP BY role").bind("w", workspace).mapTo(String.class).list())
                        .as("the recomputation's answer").containsExactly(expected + " " + MEMBERS);
            }
            JsonNode plan = plans.all().stream().filter(p -> p.path("Query Text").asText().contains("UPDATE"))
                    .findFirst().orElseThrow(() -> new AssertionError("no plan of the statement: " + plans.all()));
            long limit = (long) ROWS_PER_MEMBER * touched;
            assertThat(ExecutedPlans.rowsProduced(plan.path("Plan"), true))
                    .as("rows produced by the nodes run more than once, over all their loops, in %s",
                            plan.path("Plan"))
                    .isLessThanOrEqualTo(limit);
            if (statement == RoleStatement.LOCK_NAMED) {
                assertThat(ExecutedPlans.rowsProduced(plan.path("Plan"), false))
                        .as("rows produced by every node: the named are locked by key, in %s", plan.path("Plan"))
                        .isLessThanOrEqualTo(limit);
            }
        });
    }

    /**
     * A new workspace whose group, mapped by the test's policy, has {@link #MEMBERS} members, each with
     * the role {@code role} and end-user as its attribute's.
     */
    private static List<UUID> populate(Handle h, UUID workspace, UUID group, String role) {
        h.execute("INSERT INTO workspaces (id, name, slug) VALUES (?, 'work', ?)", workspace,
                "work-" + workspace.toString().substring(0, 8));
        h.execute("INSERT INTO groups (id, workspace_id, name, type, created_at, last_modified) "
                + "VALUES (?, ?, 'mapped-builders', 'custom', now(), now())", group, workspace);
        List<UUID> members = h.createQuery("SELECT gen_random_uuid() FROM generate_series(1, :n)")
                .bind("n", MEMBERS).mapTo(UUID.class).list();
        UUID[] ids = members.toArray(new UUID[0]);
        h.createUpdate("INSERT INTO users (id, created_at, updated_at) SELECT id, now(), now() FROM unnest(:ids) id")
                .bind("ids", ids).execute();
        h.createUpdate("INSERT INTO workspace_members (workspace_id, user_id, user_name, role, attribute_role, "
                        + "status, created_at, last_modified) SELECT :w, id, 'work-' || id, :role, 'end-user', "
                        + "'active', now(), now() FROM unnest(:ids) id")
                .bind("w", workspace).bind("role", role).bind("ids", ids).execute();
        h.createUpdate("INSERT INTO group_members (group_id, workspace_id, user_id) "
                        + "SELECT :g, :w, id FROM unnest(:ids) id")
                .bind("g", group).bind("w", workspace).bind("ids", ids).execute();
        return members;
    }
}
