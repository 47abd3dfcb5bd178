package dev.scimserver.store;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The exact totals of the searches a process answered last, each with the snapshot it was counted
 * in, so that an IdP walking every index page does not count the whole list again on every page.
 *
 * <p>A kept total is used again only when the workspace's change journal holds no row that the
 * counting snapshot could not see. Every change to a member, a group or a membership writes a journal
 * row in its own transaction (V10), and each row names that transaction (V20): if no such row is new
 * to the current snapshot, both snapshots see the same directory of that workspace, and the total is
 * what a fresh count would give; otherwise the same statement counts afresh. Commits elsewhere (other
 * workspaces, the provisioning log, event deliveries) leave a kept total alone. The test and the
 * count run in one statement, so one snapshot, one round trip; nothing is written for it, so no row
 * becomes a point every write must pass.
 */
final class KnownTotals {
    /** Searches kept, least recently used out first: an import walks one search at a time. */
    private static final int CAPACITY = 256;
    /** Journal rows looked at, at most: beyond them a count is cheaper than looking further. */
    private static final int MOST_ROWS_LOOKED_AT = 1_000;
    private static final String SNAPSHOT = "pg_current_snapshot()";
    /**
     * Whether the workspace's journal holds a row the kept snapshot ({@code k.was}) could not see, newest
     * first; or more rows since the oldest transaction it could not see than are worth looking at. The
     * rows read are those visible now, so a row of an aborted or unfinished transaction is not among them.
     */
    static final String CHANGED_SINCE = "(SELECT count(*) FILTER (WHERE NOT pg_visible_in_snapshot(j.xact, "
            + "k.was)) > 0 OR count(*) = " + MOST_ROWS_LOOKED_AT + " FROM (SELECT xact FROM change_journal "
            + "WHERE workspace_id = ? AND xact >= pg_snapshot_xmin(k.was) ORDER BY xact DESC LIMIT "
            + MOST_ROWS_LOOKED_AT + ") j)";

    private record Key(UUID workspaceId, String sql, List<Object> params) {
    }

    private record Known(String snapshot, long total) {
    }

    /** Where the index walks of the same lists stand, valid by the same test. */
    final KnownPositions positions = new KnownPositions();

    private final Map<Key, Known> known = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Known> eldest) {
            return size() > CAPACITY;
        }
    });

    /**
     * The total of {@code counting} (a {@code SELECT count(*)} statement), kept or counted afresh.
     * Inside a transaction a count may include the transaction's own changes, which may yet roll
     * back: it is counted and not kept.
     */
    long count(Handle handle, UUID workspaceId, TableSearch.Statement counting) {
        if (handle.isInTransaction()) {
            return plainCount(handle, counting);
        }
        Key key = new Key(workspaceId, counting.sql(), counting.params());
        Known kept = known.get(key);
        Query query;
        if (kept == null) {
            query = counting.bound(handle.createQuery("SELECT " + SNAPSHOT + "::text AS snapshot, (" + counting.sql()
                    + ") AS total"), 0);
        } else {
            query = handle.createQuery("SELECT " + SNAPSHOT + "::text AS snapshot, CASE WHEN " + CHANGED_SINCE
                    + " THEN (" + counting.sql() + ") END AS total FROM (SELECT CAST(? AS pg_snapshot) AS was) k");
            counting.bound(query.bind(0, workspaceId), 1);
            query.bind(counting.params().size() + 1, kept.snapshot());
        }
        Known now = query.map((rs, ctx) -> {
            long total = rs.getLong("total");
            boolean reused = rs.wasNull();
            return new Known(rs.getString("snapshot"), reused ? kept.total() : total);
        }).one();
        known.put(key, now);
        return now.total();
    }

    private static long plainCount(Handle handle, TableSearch.Statement counting) {
        return counting.bound(handle.createQuery(counting.sql()), 0).mapTo(Long.class).one();
    }
}
