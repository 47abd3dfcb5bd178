package dev.scimserver.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.scimserver.directory.Policed;
import dev.scimserver.directory.Role;
import dev.scimserver.directory.RoleMapping;
import dev.scimserver.directory.RolePolicy;
import dev.scimserver.directory.RoleSource;
import dev.scimserver.scim.CanonicalUuids;
import dev.scimserver.scim.ScimException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.SqlStatement;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static dev.scimserver.store.StoredValues.timestamp;

/**
 * The SQL of roles from groups (V16): a workspace's role policy, and the recomputation of its members'
 * roles as one statement, whatever their number. A role's rank is its place in {@link Role}, the
 * highest last: {@code :roles[rank]} is the role of a rank, 1 (end-user) for a member of no mapped group.
 */
final class RoleRows {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The roles from the lowest to the highest: a role's rank is its index here, from 1. */
    private static final String[] BY_RANK = rolesByRank();

    /**
     * The workspace's custom groups the mappings name, each with the highest rank mapped to it; binds
     * {@code :workspace}, {@code :mappedGroups}, {@code :mappedIds} and {@code :mappedRanks}. A mapping
     * names a group by its name, any case, or, when it reads as an id, by that id only (a group named
     * with another's id does not take its role): each is one lookup in the group's unique index, where
     * one join on either would read every group of the workspace for every recomputation and every
     * write of a member while roles come from groups.
     */
    private static final String MAPPED = "mapped AS MATERIALIZED (SELECT g.id, max(mp.rank) AS rank "
            + "FROM unnest(CAST(:mappedGroups AS text[]), CAST(:mappedIds AS uuid[]), CAST(:mappedRanks AS int[])) "
            + "AS mp(ref, id, rank) CROSS JOIN LATERAL (SELECT n.id FROM groups n WHERE n.workspace_id = :workspace "
            + "AND n.type = 'custom' AND mp.id IS NULL AND scim_fold(n.name) = scim_fold(mp.ref) "
            + "UNION SELECT i.id FROM groups i "
            + "WHERE i.id = mp.id AND i.workspace_id = :workspace AND i.type = 'custom') g GROUP BY g.id)";

    /** The members named by id in {@code :users}, each once. */
    private static final String NAMED = "SELECT DISTINCT u.user_id FROM unnest(CAST(:users AS uuid[])) AS u(user_id)";

    /** The members named in {@code :users} and those the group {@code :group} has, each once. */
    private static final String NAMED_AND_GROUP = NAMED + " UNION SELECT s.user_id FROM group_members s "
            + "WHERE s.group_id = :group";

    /** The columns a workspace's row gives its policy by, read back with {@link #policyOf}. */
    private static final String POLICY_COLUMNS = "role_source, role_mappings::text AS role_mappings";
    /** The lock of a policy a write reads: a change of the policy, which locks the row FOR UPDATE, waits for it. */
    static final String SHARED = "FOR KEY SHARE";

    /** The policy a write reads, share-locked: see {@link #policy}. */
    private static final JournalSettings.Carrier POLICY_SHARED = policyRead(SHARED);
    /** The policy a change of it reads, locked for that change: see {@link #lockedPolicy}. */
    private static final JournalSettings.Carrier POLICY_FOR_UPDATE = policyRead("FOR UPDATE");

    private final Handle handle;
    private final JournalSettings journal;
    private final PlainStatements plain;

    RoleRows(Handle handle, JournalSettings journal, PlainStatements plain) {
        this.handle = handle;
        this.journal = journal;
        this.plain = plain;
    }

    /**
     * The policy, the workspace's row share-locked ({@link #SHARED}): what a write of a member or a group
     * follows. When it is a write's first statement (a create's), it carries the journal's settings still
     * to be sent.
     */
    RolePolicy policy(UUID workspaceId) {
        return read(POLICY_SHARED, workspaceId);
    }

    /** The policy, the workspace's row locked FOR UPDATE: a change of the policy, which every write waits for. */
    RolePolicy lockedPolicy(UUID workspaceId) {
        return read(POLICY_FOR_UPDATE, workspaceId);
    }

    private RolePolicy read(JournalSettings.Carrier policyRead, UUID workspaceId) {
        // No row: the workspace was deleted by another process while this one still took its credential.
        return plain.first(policyRead.values(journal.take()).bind("workspace", workspaceId), RoleRows::policyOf)
                .orElseThrow(() -> ScimException.notFound("the workspace this credential acts in no longer exists"));
    }

    private static JournalSettings.Carrier policyRead(String lock) {
        return JournalSettings.Carrier.of(column -> "SELECT " + POLICY_COLUMNS + column
                + "FROM workspaces WHERE id = :workspace " + lock);
    }

    /**
     * A locked read of one row of {@code table} (as {@code alias}, {@code where} naming it), joined to
     * its workspace's policy: the one round trip every write of a member or a group starts from. The
     * workspace is share-locked before the row in every plan: the policy is a materialised CTE whose
     * lock is taken as it is first scanned, and the row's only on a joined row, which needs the CTE's.
     * Binds {@code :workspace}; the rows are read with {@link #withPolicy}.
     */
    static JournalSettings.Carrier lockedWithPolicy(String select, String table, String alias, String where) {
        return JournalSettings.Carrier.of(column -> "WITH policy AS MATERIALIZED (SELECT id, " + POLICY_COLUMNS
                + " FROM workspaces WHERE id = :workspace " + SHARED + ") " + select.trim()
                + ", p.role_source, p.role_mappings" + column + "FROM policy p JOIN " + table + " " + alias
                + " ON " + alias + ".workspace_id = p.id WHERE " + where + " FOR UPDATE OF " + alias);
    }

    /** A row of {@link #lockedWithPolicy}'s read: what {@code rows} reads, with the policy. */
    static <T> PlainStatements.RowReader<Policed<T>> withPolicy(PlainStatements.RowReader<T> rows) {
        return rs -> new Policed<>(rows.read(rs), policyOf(rs));
    }

    private static RolePolicy policyOf(ResultSet rs) throws SQLException {
        return new RolePolicy(RoleSource.parse(rs.getString("role_source")), mappings(rs.getString("role_mappings")));
    }

    void save(UUID workspaceId, RolePolicy policy) {
        ArrayNode mappings = JSON.createArrayNode();
        for (RoleMapping mapping : policy.mappings()) {
            mappings.addObject().put("group", mapping.group()).put("role", mapping.role().value());
        }
        handle.createUpdate("UPDATE workspaces SET role_source = :source, role_mappings = CAST(:mappings AS jsonb) "
                        + "WHERE id = :workspace")
                .bind("source", policy.source().value()).bind("mappings", mappings.toString())
                .bind("workspace", workspaceId).execute();
    }

    Optional<Role> groupRole(UUID workspaceId, UUID userId, List<RoleMapping> mappings) {
        Integer rank = bindMappings(handle.createQuery("WITH " + MAPPED + " SELECT max(mp.rank) FROM mapped mp "
                        + "JOIN group_members gm ON gm.group_id = mp.id AND gm.user_id = :user"), workspaceId, mappings)
                .bind("user", userId).mapTo(Integer.class).one();
        return rank == null ? Optional.empty() : Role.find(BY_RANK[rank - 1]);
    }

    /**
     * Locked in the order of their ids (the scope is sorted, and each member locked as the nested loop
     * reaches it), so two lockers never wait in a circle. Only those of {@code userIds} locked come
     * back: the group's members, however many, stay in the database (the CTE is materialised, so no
     * filter on the answer narrows what it locks). Each member is met by its key ({@link #scoped}): the
     * work is in proportion to the members named and the group's, not the workspace's.
     */
    Set<UUID> lockForRoles(UUID workspaceId, Collection<UUID> userIds, Optional<UUID> group) {
        if (userIds.isEmpty() && group.isEmpty()) {
            return Set.of();
        }
        String scope = (group.isPresent() ? NAMED_AND_GROUP : NAMED) + " ORDER BY 1";
        var query = handle.createQuery("WITH locked AS MATERIALIZED (SELECT m.user_id FROM "
                        + scoped(scope, " FOR NO KEY UPDATE") + ") "
                        + "SELECT l.user_id FROM locked l WHERE l.user_id = ANY(:users)")
                .bind("workspace", workspaceId).bind("users", userIds.toArray(new UUID[0]));
        group.ifPresent(id -> query.bind("group", id));
        return new LinkedHashSet<>(query.mapTo(UUID.class).list());
    }

    /**
     * The members of {@code userIds}, or every member of the workspace when empty: an administrator's
     * change of the policy, given the longer budget ({@link LongStatements}).
     */
    int recompute(UUID workspaceId, RolePolicy policy, Optional<Collection<UUID>> userIds, String cause,
                  Instant now) {
        return recompute(workspaceId, policy, userIds.isPresent() ? scoped(NAMED, "") : "workspace_members m", userIds,
                Optional.empty(), workspaceId, cause, now);
    }

    /** The members of {@code userIds} and those the group has now, all of them in the database. */
    int recomputeWithGroup(UUID workspaceId, RolePolicy policy, UUID groupId, Collection<UUID> userIds,
                           String cause, Instant now) {
        return recompute(workspaceId, policy, scoped(NAMED_AND_GROUP, ""), Optional.of(userIds), Optional.of(groupId),
                workspaceId, cause, now);
    }

    /**
     * The members the group has now but for {@code userIds}, each given the role it will have once out
     * of the group: computed as if the group were mapped to nothing, before its rows go.
     */
    int recomputeLeaving(UUID workspaceId, RolePolicy policy, UUID groupId, Collection<UUID> userIds,
                         String cause, Instant now) {
        return recompute(workspaceId, policy, scoped("SELECT s.user_id FROM group_members s "
                + "WHERE s.group_id = :group AND s.user_id <> ALL(:users)", ""), Optional.of(userIds),
                Optional.of(groupId), groupId, cause, now);
    }

    /**
     * The members whose ids the query {@code scope} selects, as a FROM item {@code m}: each met by its
     * primary key (and locked with {@code lock}) in a LATERAL subquery that its LIMIT keeps from being
     * flattened into a join, so that no plan rescans them whatever the statistics believe.
     */
    private static String scoped(String scope, String lock) {
        return "(" + scope + ") s CROSS JOIN LATERAL (SELECT m.workspace_id, m.user_id, m.role, m.attribute_role, "
                + "m.status FROM workspace_members m WHERE m.workspace_id = :workspace AND m.user_id = s.user_id "
                + "LIMIT 1" + lock + ") m";
    }

    /**
     * One UPDATE of the workspace's members in {@code members} (a FROM item naming them {@code m}, with
     * {@code :users} bound to {@code userIds} when present) whose role differs from the computed one;
     * the group {@code unmapped} gives no role (the workspace's id for none). The attribute's role is
     * kept in attribute_role before role is overwritten (NULL there means "the same as role"). The cause
     * is a transaction-local setting the journal's trigger reads, set in the statement (a CTE the UPDATE
     * joins, so it is set before the AFTER triggers fire) and cleared right after it, so that no later
     * change of the transaction is journalled with it.
     *
     * <p>Its work is linear in the members whatever the statistics say. A group filled faster than
     * autovacuum analyzes it (a directory sync into a new workspace) is planned on statistics that have
     * not seen its members, and a join of the workspace's members with the scope, both believed a
     * handful, was planned as a nested loop that rescanned one for each row of the other: minutes at a
     * few thousand. So {@code members} is one driving scan, each of its rows met only by parameterised
     * lookups no plan can turn into a rescan ({@link #scoped}, and the rank from the member's
     * memberships of the mapped groups, an aggregate, never flattened; the mapped groups are a
     * materialised CTE), all of it read once into a materialised CTE. The UPDATE then meets the rows by
     * their full key taken from it, not by the workspace, so the table it joins is the whole one, whose
     * size the planner always knows.
     */
    private int recompute(UUID workspaceId, RolePolicy policy, String members, Optional<Collection<UUID>> userIds,
                          Optional<UUID> group, UUID unmapped, String cause, Instant now) {
        String attribute = "coalesce(m.attribute_role, m.role)";
        String computed = switch (policy.source()) {
            case ATTRIBUTE -> attribute;
            case GROUPS -> "(CAST(:roles AS text[]))[coalesce(r.rank, 1)]";
            case HIGHEST -> "(CAST(:roles AS text[]))[greatest(coalesce(r.rank, 1), "
                    + "array_position(CAST(:roles AS text[]), " + attribute + "))]";
        };
        String sql = "WITH cause AS (SELECT set_config('scim.cause', :cause, true)), " + MAPPED + ", "
                + "computed AS MATERIALIZED (SELECT m.workspace_id, m.user_id, m.role AS old_role, m.status, "
                + computed + " AS new_role FROM " + members + " "
                + "CROSS JOIN LATERAL (SELECT max(mp.rank) AS rank FROM mapped mp JOIN group_members gm "
                + "ON gm.group_id = mp.id AND gm.user_id = m.user_id WHERE mp.id <> :unmapped) r "
                + "WHERE m.workspace_id = :workspace) "
                + "UPDATE workspace_members m SET role = c.new_role, attribute_role = " + attribute + ", "
                + "version = m.version + 1, "
                + "last_modified = greatest(m.last_modified + interval '1 microsecond', :now) "
                + "FROM computed c CROSS JOIN cause "
                + "WHERE m.workspace_id = c.workspace_id AND m.user_id = c.user_id AND m.role <> c.new_role "
                + "RETURNING c.old_role = 'admin' AND c.status = 'active' AS admin_demoted";
        if (userIds.isEmpty()) {
            LongStatements.allow(handle);
        }
        var update = bindMappings(handle.createQuery(sql), workspaceId, policy.mappings())
                .bind("cause", cause).bind("roles", BY_RANK).bind("now", timestamp(now)).bind("unmapped", unmapped);
        userIds.ifPresent(ids -> update.bind("users", ids.toArray(new UUID[0])));
        group.ifPresent(id -> update.bind("group", id));
        List<Boolean> changed = update.mapTo(Boolean.class).list();
        handle.createQuery("SELECT set_config('scim.cause', '', true)").mapTo(String.class).one();
        return (int) changed.stream().filter(Boolean::booleanValue).count();
    }

    private static <S extends SqlStatement<S>> S bindMappings(S statement, UUID workspaceId,
                                                              List<RoleMapping> mappings) {
        String[] groups = new String[mappings.size()];
        UUID[] ids = new UUID[mappings.size()];
        Integer[] ranks = new Integer[mappings.size()];
        for (int i = 0; i < mappings.size(); i++) {
            groups[i] = mappings.get(i).group();
            ids[i] = CanonicalUuids.parse(groups[i]).orElse(null);
            ranks[i] = rank(mappings.get(i).role());
        }
        return statement.bind("workspace", workspaceId).bind("mappedGroups", groups).bind("mappedIds", ids)
                .bind("mappedRanks", ranks);
    }

    private static int rank(Role role) {
        return Role.values().length - role.ordinal();
    }

    private static String[] rolesByRank() {
        String[] names = new String[Role.values().length];
        for (Role role : Role.values()) {
            names[rank(role) - 1] = role.value();
        }
        return names;
    }

    private static List<RoleMapping> mappings(String json) {
        if (json.equals("[]")) {
            // Most workspaces map no group; every write of a member reads its policy.
            return List.of();
        }
        try {
            List<RoleMapping> mappings = new ArrayList<>();
            for (JsonNode mapping : JSON.readTree(json)) {
                mappings.add(new RoleMapping(mapping.path("group").asText(),
                        Role.find(mapping.path("role").asText()).orElseThrow(
                                () -> new IllegalStateException("unknown role in a stored role mapping"))));
            }
            return mappings;
        } catch (IOException e) {
            throw new UncheckedIOException("a stored role mapping is no JSON", e);
        }
    }
}
