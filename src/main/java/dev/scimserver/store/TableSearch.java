package dev.scimserver.store;

import dev.scimserver.directory.Keyset;
import dev.scimserver.directory.Page;
import dev.scimserver.directory.SearchQuery;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.SqlStatement;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A search over one resource table as SQL: the filter, the order and the page are all in the
 * statement, so no candidate row is ever filtered or sorted in Java. The exact total comes from a
 * count with the same WHERE, or from {@link KnownTotals} when nothing was committed since it ran.
 */
final class TableSearch {
    /**
     * The statement of one page or count, for the caller to run or to EXPLAIN; {@code plannedPerValue}
     * as its filter's ({@link SqlFragment}); {@code walked}: an index page, which also answers its
     * snapshot and whether the position it started from was stale ({@link KnownPositions}).
     */
    record Statement(String sql, List<Object> params, boolean plannedPerValue, boolean walked) {
        Statement(String sql, List<Object> params) {
            this(sql, params, false, false);
        }

        Statement(String sql, List<Object> params, boolean plannedPerValue) {
            this(sql, params, plannedPerValue, false);
        }

        /** {@code query}, which runs this statement, planned for its values when this statement must be. */
        <Q extends SqlStatement<Q>> Q bound(Q query, int from) {
            if (plannedPerValue) {
                PageSql.planForValues(query);
            }
            PageSql.bindParams(query, params, from);
            return query;
        }
    }

    private final ResourceTable table;
    private final String select;
    private final String fromWhere;

    /**
     * {@code fromWhere}: FROM the table alone and a WHERE whose only parameter is the workspace id.
     * What else the select shows comes from its own subqueries, never a join: counts and the ids of
     * an index page read the same FROM, and PostgreSQL does not drop an inner join by itself (at a
     * million users a joined count was a hash join of two whole tables).
     */
    TableSearch(ResourceTable table, String select, String fromWhere) {
        this.table = table;
        this.select = select;
        this.fromWhere = fromWhere;
    }

    <T> Page<T> run(Handle handle, KnownTotals totals, UUID workspaceId, SearchQuery query, RowMapper<T> mapper) {
        SqlFragment filter = filter(workspaceId, query);
        Column key = SortSql.key(table, query.sort(), false).orElseThrow();
        boolean firstPage = query.cursorPaging() ? query.position() == null : query.startIndex() == 1;
        if (firstPage && query.count() > 0) {
            // A first page that is not full holds every match, so it is its own exact total: a lookup
            // by userName or externalId costs one statement, not two.
            List<PageSql.Row<T>> rows = rows(handle, totals.positions, workspaceId, query, filter, key, mapper);
            long total = rows.size() <= lastCompleteSize(query) ? rows.size()
                    : totals.count(handle, workspaceId, count(workspaceId, query));
            return PageSql.assemble(total, rows, query);
        }
        long total = query.knownTotal() != null ? query.knownTotal()
                : totals.count(handle, workspaceId, count(workspaceId, query));
        if (PageSql.nothingToFetch(total, query)) {
            return new Page<>(total, List.of());
        }
        return PageSql.assemble(total, rows(handle, totals.positions, workspaceId, query, filter, key, mapper), query);
    }

    /**
     * The rows of the page. An index page after one this process served of the same list starts from
     * that page's last row when nothing changed in the workspace since ({@link KnownPositions}); inside
     * a transaction, whose rows may yet roll back, nothing is kept.
     */
    private <T> List<PageSql.Row<T>> rows(Handle handle, KnownPositions positions, UUID workspaceId,
                                          SearchQuery query, SqlFragment filter, Column key, RowMapper<T> mapper) {
        Statement page = page(workspaceId, query, filter, key);
        if (query.cursorPaging() || handle.isInTransaction()) {
            return fetch(handle, page, key, mapper).rows();
        }
        KnownPositions.Walk walk = new KnownPositions.Walk(workspaceId, page.sql(),
                page.params().subList(0, page.params().size() - 1));
        Fetched<T> fetched = positions.before(walk, query.startIndex())
                .map(at -> fetch(handle, indexPage(workspaceId, query, filter, key, at), key, mapper))
                .filter(after -> !after.stale() && !after.rows().isEmpty())
                .orElseGet(() -> fetch(handle, page, key, mapper));
        List<PageSql.Row<T>> rows = fetched.rows();
        if (!rows.isEmpty()) {
            positions.remember(walk, new KnownPositions.Position(query.startIndex() + rows.size() - 1L,
                    rows.get(rows.size() - 1).keyset(), fetched.snapshot()));
        }
        return rows;
    }

    /** The most rows a page fetch can return while still proving it saw every match. */
    private static int lastCompleteSize(SearchQuery query) {
        // Cursor pages fetch one row beyond the page; index pages fetch exactly the page.
        return query.cursorPaging() ? query.count() : query.count() - 1;
    }

    /**
     * Fetched rows; for an index page also the snapshot it was read in and whether the kept position it
     * started from was stale (then it holds nothing to use).
     */
    private record Fetched<T>(List<PageSql.Row<T>> rows, String snapshot, boolean stale) {
    }

    private static <T> Fetched<T> fetch(Handle handle, Statement page, Column key, RowMapper<T> mapper) {
        String[] snapshot = {null};
        boolean[] stale = {false};
        List<PageSql.Row<T>> rows = page.bound(handle.createQuery(page.sql()), 0).map((rs, ctx) -> {
            if (page.walked()) {
                snapshot[0] = rs.getString("snapshot");
                stale[0] = rs.getBoolean("stale");
            }
            return new PageSql.Row<>(mapper.map(rs, ctx), new Keyset(Keysets.read(rs, "sort_key", key.kind()),
                    rs.getObject("sort_id", UUID.class), false));
        }).list();
        return new Fetched<>(rows, snapshot[0], stale[0]);
    }

    /** The page statement exactly as {@link #run} sends it; tests EXPLAIN it. */
    Statement page(UUID workspaceId, SearchQuery query) {
        return page(workspaceId, query, filter(workspaceId, query),
                SortSql.key(table, query.sort(), false).orElseThrow());
    }

    /** The count statement exactly as {@link #run} sends it. */
    Statement count(UUID workspaceId, SearchQuery query) {
        SqlFragment filter = filter(workspaceId, query);
        List<Object> params = new ArrayList<>();
        params.add(workspaceId);
        params.addAll(filter.params());
        return new Statement("SELECT count(*) " + fromWhere + " AND " + filter.sql(), params,
                filter.plannedPerValue());
    }

    private SqlFragment filter(UUID workspaceId, SearchQuery query) {
        return query.filter() == null ? SqlFragment.of("true")
                : FilterSql.translate(table, workspaceId, query.filter());
    }

    private Statement page(UUID workspaceId, SearchQuery query, SqlFragment filter, Column key) {
        if (!query.cursorPaging()) {
            return indexPage(workspaceId, query, filter, key, null);
        }
        List<Object> params = new ArrayList<>();
        params.add(workspaceId);
        params.addAll(filter.params());
        String id = table.idColumn().expression();
        StringBuilder sql = new StringBuilder(select).append(", ").append(key.expression()).append(" AS sort_key, ")
                .append(id).append(" AS sort_id ").append(fromWhere).append(" AND ").append(filter.sql());
        PageSql.appendCursorRange(sql, " AND ", key, id, query, params);
        return new Statement(sql.toString(), params, filter.plannedPerValue());
    }

    /**
     * An index page, by its OFFSET ({@code after} null), or as the rows after a kept position with a
     * column {@code stale} that says whether the workspace changed since the position's snapshot. The
     * page's ids come first, from the filtered table alone, so that the rows an OFFSET skips cost an
     * index entry each, not the joins and subqueries of the select.
     */
    private Statement indexPage(UUID workspaceId, SearchQuery query, SqlFragment filter, Column key,
                                KnownPositions.Position after) {
        List<Object> params = new ArrayList<>();
        String id = table.idColumn().expression();
        boolean descending = query.sort() != null && query.sort().descending();
        String orderBy = " ORDER BY " + Keysets.orderBy(key.expression(), id, descending);
        StringBuilder sql = new StringBuilder(select).append(", ").append(key.expression()).append(" AS sort_key, ")
                .append(id).append(" AS sort_id, ");
        if (after == null) {
            sql.append("false");
        } else {
            params.add(workspaceId);
            params.add(after.snapshot());
            sql.append("(SELECT ").append(KnownTotals.CHANGED_SINCE)
                    .append(" FROM (SELECT CAST(? AS pg_snapshot) AS was) k)");
        }
        sql.append(" AS stale, pg_current_snapshot()::text AS snapshot ").append(fromWhere).append(" AND ").append(id)
                .append(" IN (SELECT ").append(id).append(' ').append(fromWhere).append(" AND ")
                .append(filter.sql());
        params.add(workspaceId);
        params.add(workspaceId);
        params.addAll(filter.params());
        if (after == null) {
            sql.append(orderBy).append(PageSql.limitOffset(query, params));
        } else {
            sql.append(" AND ").append(Keysets.after(key, id, descending, after.row(), params)).append(orderBy)
                    .append(" LIMIT ").append(query.count());
        }
        return new Statement(sql.append(')').append(orderBy).toString(), params, filter.plannedPerValue(), true);
    }
}
