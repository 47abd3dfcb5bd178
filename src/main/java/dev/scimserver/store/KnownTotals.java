package dev.scimserver.store;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The exact figures of the counting statements a process answered last, each with the snapshot it
 * was counted in, so that an IdP walking every index page does not count the whole list again on
 * every page, nor the console count a workspace's members by status and role on every visit.
 *
 * <p>A kept result is used again only when the workspace's change journal holds no row that the
 * counting snapshot could not see. Every change to a member, a group or a membership writes a journal
 * row in its own transaction (V10), and each row names that transaction (V20): if no such row is new
 * to the current snapshot, both snapshots see the same directory of that workspace, and the result is
 * what a fresh count would give; otherwise the same statement counts afresh. Commits elsewhere (other
 * workspaces, the provisioning log, event deliveries) leave a kept result alone. The test and the
 * count run in one statement, so one snapshot, one round trip; nothing is written for it, so no row
 * becomes a point every write must pass.
 */
final class KnownTotals {
    /** Statements kept, least recently used out first: an import walks one search at a time. */
    private static final int CAPACITY = 256;
    /** Journal rows looked at, at most: beyond them a count is cheaper than looking further. */
    private static final int MOST_ROWS_LOOKED_AT = 1_000;
    /**
     * Whether the workspace's journal holds a row the kept snapshot ({@code k.was}) could not see, newest
     * first; or more rows since the oldest transaction it could not see than are worth looking at. The
     * rows read are those visible now, so a row of an aborted or unfinished transaction is not among
     * them. {@link KnownPositions} asks the same of a page's position.
     *
     * <p>The workspace and the snapshot's xmin are subqueries so that the planner cannot see them: seen,
     * a plan for a big workspace's long journal or a recent snapshot was priced below the generic plan's
     * guess, PostgreSQL never settled on the generic plan of the prepared statement, and planning the
     * check on every page cost more than running it.
     */
    static final String CHANGED_SINCE = "(SELECT count(*) FILTER (WHERE NOT pg_visible_in_snapshot(j.xact, "
            + "k.was)) > 0 OR count(*) = " + MOST_ROWS_LOOKED_AT + " FROM (SELECT xact FROM change_journal "
            + "WHERE workspace_id = (SELECT CAST(? AS uuid)) AND xact >= (SELECT pg_snapshot_xmin(k.was)) "
            + "ORDER BY xact DESC LIMIT "
            + MOST_ROWS_LOOKED_AT + ") j)";
    /**
     * The opposite of {@link #CHANGED_SINCE} as a condition of its own, uncorrelated: its parameters are
     * the workspace, then the snapshot.
     */
    static final String UNCHANGED = "NOT (SELECT " + CHANGED_SINCE + " FROM (SELECT CAST(? AS pg_snapshot) AS was) k)";
    /** Whether to count: nothing kept, or a change since. */
    private static final String RECOUNT = "k.was IS NULL OR " + CHANGED_SINCE;
    /**
     * The current snapshot, whether to count, and the counting statement's rows only when so. Both
     * subqueries are kept apart from the outer query ({@code OFFSET 0}): the lateral one then reads the
     * decision as a parameter and refers to nothing of its own rows, so PostgreSQL makes the condition a
     * one-time filter that skips the counting statement entirely (a parallel plan of its own included);
     * pulled up, the condition became a filter on the join, after the statement had run. {@code known_row}
     * tells a row of the statement from the NULLs of the outer join where it gave none or did not run.
     */
    private static final String KEPT_OR_COUNTED = "SELECT checked.snapshot AS known_snapshot, "
            + "checked.recount AS known_recount, counted.* FROM (SELECT pg_current_snapshot()::text AS snapshot, "
            + RECOUNT + " AS recount FROM (SELECT CAST(? AS pg_snapshot) AS was) k OFFSET 0) checked "
            + "LEFT JOIN LATERAL (SELECT true AS known_row, s.* FROM (%s) s WHERE checked.recount OFFSET 0) counted "
            + "ON true";

    /** The rows are of {@code rowType}, so that a kept result is never read as another type. */
    private record Key(UUID workspaceId, String sql, List<Object> params, Class<?> rowType) {
    }

    private record Known(String snapshot, List<?> rows) {
    }

    /** One row of {@link #KEPT_OR_COUNTED}; {@code row} is {@code null} where the statement gave none. */
    private record Line<T>(String snapshot, boolean recounted, T row) {
    }

    /** Where the index walks of the same lists stand, valid by the same test. */
    final KnownPositions positions = new KnownPositions();

    private final Map<Key, Known> known = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Known> eldest) {
            return size() > CAPACITY;
        }
    });

    /** Whether the workspace's journal holds no row that {@code snapshot} could not see: the test above alone. */
    static boolean unchangedSince(Handle handle, UUID workspaceId, String snapshot) {
        return handle.createQuery("SELECT " + UNCHANGED).bind(0, workspaceId).bind(1, snapshot)
                .mapTo(Boolean.class).one();
    }

    /** The total of {@code counting} (a {@code SELECT count(*)} statement), kept or counted afresh. */
    long count(Handle handle, UUID workspaceId, TableSearch.Statement counting) {
        return rows(handle, workspaceId, counting, Long.class, (rs, ctx) -> rs.getLong("count")).get(0);
    }

    /**
     * The rows of {@code counting}, a statement over the workspace's directory with few rows (a count
     * per group of a GROUP BY), kept or counted afresh. Inside a transaction a count may include the
     * transaction's own changes, which may yet roll back: it is counted and not kept.
     */
    <T> List<T> rows(Handle handle, UUID workspaceId, TableSearch.Statement counting, Class<T> rowType,
                     RowMapper<T> mapper) {
        if (handle.isInTransaction()) {
            return counting.bound(handle.createQuery(counting.sql()), 0).map(mapper).list();
        }
        Key key = new Key(workspaceId, counting.sql(), counting.params(), rowType);
        Known kept = known.get(key);
        Query query = handle.createQuery(String.format(KEPT_OR_COUNTED, counting.sql()));
        String keptSnapshot = kept == null ? null : kept.snapshot();
        counting.bound(query.bind(0, workspaceId).bind(1, keptSnapshot), 2);
        List<Line<T>> lines = query.map((rs, ctx) -> new Line<>(rs.getString("known_snapshot"),
                rs.getBoolean("known_recount"), rs.getObject("known_row") == null ? null : mapper.map(rs, ctx)))
                .list();
        List<T> rows = new ArrayList<>();
        if (lines.get(0).recounted()) {
            lines.stream().filter(line -> line.row() != null).forEach(line -> rows.add(line.row()));
        } else {
            kept.rows().forEach(row -> rows.add(rowType.cast(row)));
        }
        List<T> result = List.copyOf(rows);
        known.put(key, new Known(lines.get(0).snapshot(), result));
        return result;
    }
}
