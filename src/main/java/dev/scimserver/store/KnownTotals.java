package dev.scimserver.store;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The exact totals of the searches a process answered last, each with the snapshot it was counted
 * in, so that an IdP walking every index page does not count the whole list again on every page.
 *
 * <p>A kept total is used again only when no transaction the counting snapshot could not see has
 * committed since: those are the ones running when it was taken (its xip list) and the ones that
 * began after it (from its xmax up to the new snapshot's). If none of them is visible to the new
 * snapshot, both snapshots see the very same rows, and the total is what a fresh count would give;
 * otherwise the same statement counts afresh. The test and the count run in one statement, so one
 * snapshot, one round trip; nothing is written, so no row becomes a point every write must pass.
 * A commit in another workspace, or in a table no search reads, also counts afresh: telling them
 * apart would take a look-up per commit, and a recount is what every page cost before.
 */
final class KnownTotals {
    /** Searches kept, least recently used out first: an import walks one search at a time. */
    private static final int CAPACITY = 256;
    /** Beyond this many transactions begun since, counting is cheaper than looking at each of them. */
    private static final int MOST_NEW_TRANSACTIONS = 1_000;
    private static final String SNAPSHOT = "pg_current_snapshot()";
    /**
     * Whether a transaction the kept snapshot (the parameter) could not see is now visible, and
     * committed (an aborted one changes nothing; one too old to tell is taken as committed).
     */
    private static final String COMMITTED_SINCE = "EXISTS (SELECT 1 FROM (SELECT pg_snapshot_xip(k.was) AS x "
            + "UNION ALL SELECT g::text::xid8 FROM generate_series(pg_snapshot_xmax(k.was)::text::bigint, "
            + "pg_snapshot_xmax(" + SNAPSHOT + ")::text::bigint - 1) g) c WHERE pg_visible_in_snapshot(c.x, " + SNAPSHOT
            + ") AND pg_xact_status(c.x) IS DISTINCT FROM 'aborted')";
    private static final String BEGUN_SINCE = "pg_snapshot_xmax(" + SNAPSHOT + ")::text::bigint "
            + "- pg_snapshot_xmax(k.was)::text::bigint";

    private record Key(String sql, List<Object> params) {
    }

    private record Known(String snapshot, long total) {
    }

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
    long count(Handle handle, TableSearch.Statement counting) {
        if (handle.isInTransaction()) {
            return plainCount(handle, counting);
        }
        Key key = new Key(counting.sql(), counting.params());
        Known kept = known.get(key);
        Query query;
        if (kept == null) {
            query = handle.createQuery("SELECT " + SNAPSHOT + "::text AS snapshot, (" + counting.sql() + ") AS total");
            PageSql.bindParams(query, counting.params());
        } else {
            query = handle.createQuery("SELECT " + SNAPSHOT + "::text AS snapshot, CASE WHEN " + BEGUN_SINCE + " > "
                    + MOST_NEW_TRANSACTIONS + " OR " + COMMITTED_SINCE + " THEN (" + counting.sql() + ") END AS total "
                    + "FROM (SELECT CAST(? AS pg_snapshot) AS was) k");
            PageSql.bindParams(query, counting.params());
            query.bind(counting.params().size(), kept.snapshot());
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
        Query count = handle.createQuery(counting.sql());
        PageSql.bindParams(count, counting.params());
        return count.mapTo(Long.class).one();
    }
}
