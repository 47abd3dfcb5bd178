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
     * as its filter's ({@link SqlFragment}).
     */
    record Statement(String sql, List<Object> params, boolean plannedPerValue) {
        Statement(String sql, List<Object> params) {
            this(sql, params, false);
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
    private final String countFromWhere;

    /**
     * {@code fromWhere}: FROM and a WHERE whose only parameter is the workspace id.
     * {@code countFromWhere}: the same rows without the joins that only the select needs; PostgreSQL
     * does not drop an inner join by itself, and at a million users the join made every count a
     * hash join of two whole tables.
     */
    TableSearch(ResourceTable table, String select, String fromWhere, String countFromWhere) {
        this.table = table;
        this.select = select;
        this.fromWhere = fromWhere;
        this.countFromWhere = countFromWhere;
    }

    <T> Page<T> run(Handle handle, KnownTotals totals, UUID workspaceId, SearchQuery query, RowMapper<T> mapper) {
        SqlFragment filter = filter(workspaceId, query);
        Column key = SortSql.key(table, query.sort(), false).orElseThrow();
        boolean firstPage = query.cursorPaging() ? query.position() == null : query.startIndex() == 1;
        if (firstPage && query.count() > 0) {
            // A first page that is not full holds every match, so it is its own exact total: a lookup
            // by userName or externalId costs one statement, not two.
            List<PageSql.Row<T>> rows = fetch(handle, page(workspaceId, query, filter, key), key, mapper);
            long total = rows.size() <= lastCompleteSize(query) ? rows.size()
                    : totals.count(handle, workspaceId, count(workspaceId, query));
            return PageSql.assemble(total, rows, query);
        }
        long total = query.knownTotal() != null ? query.knownTotal()
                : totals.count(handle, workspaceId, count(workspaceId, query));
        if (PageSql.nothingToFetch(total, query)) {
            return new Page<>(total, List.of());
        }
        return PageSql.assemble(total, fetch(handle, page(workspaceId, query, filter, key), key, mapper), query);
    }

    /** The most rows a page fetch can return while still proving it saw every match. */
    private static int lastCompleteSize(SearchQuery query) {
        // Cursor pages fetch one row beyond the page; index pages fetch exactly the page.
        return query.cursorPaging() ? query.count() : query.count() - 1;
    }

    private static <T> List<PageSql.Row<T>> fetch(Handle handle, Statement page, Column key, RowMapper<T> mapper) {
        return page.bound(handle.createQuery(page.sql()), 0).map((rs, ctx) -> new PageSql.Row<>(mapper.map(rs, ctx),
                new Keyset(Keysets.read(rs, "sort_key", key.kind()), rs.getObject("sort_id", UUID.class), false))).list();
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
        return new Statement("SELECT count(*) " + countFromWhere + " AND " + filter.sql(), params,
                filter.plannedPerValue());
    }

    private SqlFragment filter(UUID workspaceId, SearchQuery query) {
        return query.filter() == null ? SqlFragment.of("true")
                : FilterSql.translate(table, workspaceId, query.filter());
    }

    private Statement page(UUID workspaceId, SearchQuery query, SqlFragment filter, Column key) {
        List<Object> params = new ArrayList<>();
        params.add(workspaceId);
        String id = table.idColumn().expression();
        boolean descending = query.sort() != null && query.sort().descending();
        String orderBy = " ORDER BY " + Keysets.orderBy(key.expression(), id, descending);
        StringBuilder sql = new StringBuilder(select).append(", ").append(key.expression()).append(" AS sort_key, ")
                .append(id).append(" AS sort_id ").append(fromWhere);
        if (!query.cursorPaging()) {
            // The page's ids first, from the filtered table alone, so that the rows an OFFSET skips
            // cost an index entry each, not the joins and subqueries of the select.
            params.add(workspaceId);
            params.addAll(filter.params());
            sql.append(" AND ").append(id).append(" IN (SELECT ").append(id).append(' ').append(countFromWhere)
                    .append(" AND ").append(filter.sql()).append(orderBy).append(PageSql.limitOffset(query, params))
                    .append(')').append(orderBy);
            return new Statement(sql.toString(), params, filter.plannedPerValue());
        }
        params.addAll(filter.params());
        sql.append(" AND ").append(filter.sql());
        PageSql.appendCursorRange(sql, " AND ", key, id, query, params);
        return new Statement(sql.toString(), params, filter.plannedPerValue());
    }
}
