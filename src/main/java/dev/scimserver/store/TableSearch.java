package dev.scimserver.store;

import dev.scimserver.directory.Keyset;
import dev.scimserver.directory.Page;
import dev.scimserver.directory.SearchQuery;
import dev.scimserver.store.PlainStatements.RowReader;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.SqlStatement;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A search over one resource table as SQL: the filter, the order and the page are all in the
 * statement, so no candidate row is ever filtered or sorted in Java. The exact total comes from a
 * count with the same WHERE, or from {@link KnownTotals} when nothing was committed since it ran.
 */
final class TableSearch {
    /** The rows a streamed cursor page reads per round trip: see {@link #stream}. */
    static final int STREAMED_BATCH = 100;
    /** The rows of its order a text search's cursor page walks for each row it shows: {@link #searchedCursorPage}. */
    static final int WALKED_PER_ROW = 20;

    /**
     * The statement of one page or count, for the caller to run or to EXPLAIN; {@code plannedPerValue}
     * as its filter's ({@link SqlFragment}); {@code walked}: an index page, which also answers its
     * snapshot ({@link KnownPositions}).
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

    <T> Page<T> run(Handle handle, KnownTotals totals, UUID workspaceId, SearchQuery query, RowReader<T> reader) {
        if (query.cursorPaging()) {
            List<T> items = new ArrayList<>();
            Page<T> page = cursorPage(handle, totals, workspaceId, query, reader, items::add, 0);
            return new Page<>(page.totalResults(), items, page.next(), page.previous());
        }
        SqlFragment filter = filter(workspaceId, query);
        Column key = SortSql.key(table, query.sort(), false).orElseThrow();
        if (query.startIndex() == 1 && query.count() > 0) {
            // A first page that is not full holds every match, so it is its own exact total: a lookup
            // by userName or externalId costs one statement, not two.
            List<PageSql.Row<T>> rows = rows(handle, totals.positions, workspaceId, query, filter, key, reader);
            long total = rows.size() < query.count() ? rows.size() : total(handle, totals, workspaceId, query);
            return PageSql.assemble(total, rows, query);
        }
        long total = total(handle, totals, workspaceId, query);
        if (PageSql.nothingToFetch(total, query)) {
            return new Page<>(total, List.of());
        }
        return PageSql.assemble(total, rows(handle, totals.positions, workspaceId, query, filter, key, reader), query);
    }

    /**
     * The same search, each item handed to {@code each} in the page's order, and the page answered
     * without them. A cursor page read forward hands each on as its row arrives: inside a
     * transaction the driver reads the rows through a portal, {@value #STREAMED_BATCH} at a time, so
     * the caller can write one batch while PostgreSQL produces the next. (In autocommit the driver
     * reads them all before the first is handed on.) Any other page is read whole, then handed on.
     */
    <T> Page<T> stream(Handle handle, KnownTotals totals, UUID workspaceId, SearchQuery query, RowReader<T> reader,
                       Consumer<T> each) {
        if (!query.cursorPaging()) {
            Page<T> page = run(handle, totals, workspaceId, query, reader);
            page.items().forEach(each);
            return new Page<>(page.totalResults(), List.of());
        }
        return cursorPage(handle, totals, workspaceId, query, reader, each, STREAMED_BATCH);
    }

    /** A cursor page, its rows read {@code fetchSize} at a time (0: all at once) and handed on as they come. */
    private <T> Page<T> cursorPage(Handle handle, KnownTotals totals, UUID workspaceId, SearchQuery query,
                                   RowReader<T> reader, Consumer<T> each, int fetchSize) {
        boolean firstPage = query.position() == null && query.count() > 0;
        long total = firstPage ? -1 : total(handle, totals, workspaceId, query);
        if (!firstPage && PageSql.nothingToFetch(total, query)) {
            return new Page<>(total, List.of());
        }
        Column key = SortSql.key(table, query.sort(), false).orElseThrow();
        Statement page = page(workspaceId, query, filter(workspaceId, query), key);
        CursorPageRows<T> rows = new CursorPageRows<>(query, each);
        page.bound(handle.createQuery(page.sql()), 0).setFetchSize(fetchSize)
                .map((rs, ctx) -> rows.keysetNeededNext() ? row(rs, key, reader)
                        : new PageSql.Row<>(reader.read(rs), null)).forEach(rows);
        if (firstPage) {
            // Cursor pages fetch one row beyond the page: a first page without it holds every match.
            total = rows.fetched() <= query.count() ? rows.fetched() : total(handle, totals, workspaceId, query);
        }
        return rows.page(total);
    }

    /** The search's exact total: the one its cursor carries, else kept or counted. */
    private long total(Handle handle, KnownTotals totals, UUID workspaceId, SearchQuery query) {
        return query.knownTotal() != null ? query.knownTotal()
                : totals.count(handle, workspaceId, count(workspaceId, query));
    }

    /**
     * The rows of the page. An index page of a list this process served pages of starts from the kept
     * row nearest before it when nothing changed in the workspace since that row was read
     * ({@link KnownPositions}); inside a transaction, whose rows may yet roll back, nothing is kept.
     * A page that holds the rest of its list keeps no row: no page after it has rows to start from it.
     * Most pages are such, a lookup's by userName or externalId above all, and keeping their rows
     * pushed the kept rows of an import walking beside them out of the few lists kept.
     */
    private <T> List<PageSql.Row<T>> rows(Handle handle, KnownPositions positions, UUID workspaceId,
                                          SearchQuery query, SqlFragment filter, Column key, RowReader<T> reader) {
        Statement page = page(workspaceId, query, filter, key);
        if (handle.isInTransaction()) {
            return fetch(handle, page, key, reader).rows();
        }
        KnownPositions.Walk walk = new KnownPositions.Walk(workspaceId, page.sql(),
                page.params().subList(0, page.params().size() - 1));
        Fetched<T> fetched = null;
        Optional<KnownPositions.Position> from = query.startIndex() == 1 ? Optional.empty()
                : positions.nearestBefore(walk, query.startIndex());
        if (from.isPresent()) {
            // No rows: the workspace changed since the kept row was read (or the list ends before the page).
            fetched = fetch(handle, indexPage(workspaceId, query, filter, key, from.get()), key, reader);
            if (fetched.rows().isEmpty()) {
                positions.forget(walk, from.get());
                fetched = null;
            }
        }
        if (fetched == null) {
            fetched = fetch(handle, page, key, reader);
        }
        List<PageSql.Row<T>> rows = fetched.rows();
        if (!rows.isEmpty() && rows.size() == query.count()) {
            positions.remember(walk, new KnownPositions.Position(query.startIndex() + rows.size() - 1L,
                    rows.get(rows.size() - 1).keyset(), fetched.snapshot()));
        }
        return rows;
    }

    /** Fetched rows; for an index page also the snapshot it was read in. */
    private record Fetched<T>(List<PageSql.Row<T>> rows, String snapshot) {
    }

    /**
     * The page's rows, through the driver alone ({@link PlainStatements#list}): a lookup is a page, the
     * read IdPs send most, and Jdbi's parsing and binding of its statement cost more CPU than the
     * driver's work on it (bench/RESULTS.md, 2026-12-05).
     */
    private static <T> Fetched<T> fetch(Handle handle, Statement page, Column key, RowReader<T> reader) {
        String[] snapshot = {null};
        List<PageSql.Row<T>> rows = PlainStatements.list(handle.getConnection(), page.sql(), page.params(),
                page.plannedPerValue(), rs -> {
                    if (page.walked()) {
                        snapshot[0] = rs.getString("snapshot");
                    }
                    return row(rs, key, reader);
                });
        return new Fetched<>(rows, snapshot[0]);
    }

    private static <T> PageSql.Row<T> row(ResultSet rs, Column key, RowReader<T> reader) throws SQLException {
        return new PageSql.Row<>(reader.read(rs), new Keyset(Keysets.read(rs, "sort_key", key.kind()),
                rs.getObject("sort_id", UUID.class), false));
    }

    /** The page statement exactly as {@link #run} sends it; tests EXPLAIN it. */
    Statement page(UUID workspaceId, SearchQuery query) {
        return page(workspaceId, query, filter(workspaceId, query),
                SortSql.key(table, query.sort(), false).orElseThrow());
    }

    /** The index page statement that reads from the kept position {@code after}, as {@link #run} sends it. */
    Statement page(UUID workspaceId, SearchQuery query, KnownPositions.Position after) {
        return indexPage(workspaceId, query, filter(workspaceId, query),
                SortSql.key(table, query.sort(), false).orElseThrow(), after);
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
        if (filter.searchesText() && table.orderedByAnIndex(key)) {
            return searchedCursorPage(workspaceId, query, filter, key);
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
     * A cursor page of a text search, in an order an index keeps. PostgreSQL pages such a search by
     * walking that index and testing each row, which is quick when matches are common all along it, and
     * reads most of the workspace when they stand together far along it (members whose userName begins
     * with the two letters searched, at the end of the alphabet: 800,000 rows for a page at a million);
     * it cannot tell which from its statistics. So the statement does both, each bounded: it walks
     * {@value #WALKED_PER_ROW} rows of the order for each row of the page, and only when those do not
     * hold the page does it find every match through the indexes of the search (what the count reads
     * anyway) and sort them. The first {@code walked} matches are the first in the order, so they are
     * among the sorted ones: the page is the same either way.
     */
    private Statement searchedCursorPage(UUID workspaceId, SearchQuery query, SqlFragment filter, Column key) {
        String id = table.idColumn().expression();
        boolean descending = PageSql.readDescending(query);
        String order = Keysets.orderBy(key.expression(), id, descending);
        int rows = query.count() + 1;
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT * FROM (").append(select).append(", ").append(key.expression())
                .append(" AS sort_key, ").append(id).append(" AS sort_id ").append(fromWhere).append(" AND ").append(id)
                .append(" IN (WITH walked AS (SELECT ").append(id).append(" AS id FROM (SELECT ")
                .append(table.alias()).append(".* ").append(fromWhere);
        params.add(workspaceId);
        params.add(workspaceId);
        PageSql.appendAfter(sql, " AND ", key, id, query, params);
        sql.append(" ORDER BY ").append(order).append(" LIMIT ").append((long) WALKED_PER_ROW * rows).append(") ")
                .append(table.alias()).append(" WHERE ").append(filter.sql()).append(" ORDER BY ").append(order)
                .append(" LIMIT ").append(rows).append(") SELECT id FROM walked UNION ALL ")
                .append("(SELECT found.id FROM (SELECT ").append(id).append(" AS id, ").append(key.expression())
                .append(" AS sort_key ").append(fromWhere)
                .append(" AND ").append(filter.sql());
        params.addAll(filter.params());
        params.add(workspaceId);
        params.addAll(filter.params());
        PageSql.appendAfter(sql, " AND ", key, id, query, params);
        // Uncorrelated, so PostgreSQL tests it once, and reads nothing here when the walk found the page.
        // Each OFFSET 0 keeps an ORDER BY and LIMIT outside, so that PostgreSQL finds the matches by the
        // search's indexes, and then the page's rows by their keys, never by walking the order's index.
        sql.append(" AND (SELECT count(*) FROM walked) < ").append(rows).append(" OFFSET 0) found ORDER BY ")
                .append(Keysets.orderBy("found.sort_key", "found.id", descending)).append(" LIMIT ").append(rows)
                .append(")) OFFSET 0) page ORDER BY ")
                .append(Keysets.orderBy("page.sort_key", "page.sort_id", descending)).append(" LIMIT ").append(rows);
        return new Statement(sql.toString(), params, filter.plannedPerValue());
    }

    /**
     * An index page, by its OFFSET from the list's start ({@code after} null), or from a kept position:
     * the rows after it, less those between it and the page, and none at all when the workspace changed
     * since the position's snapshot. The page's ids come first, from the filtered table alone, so that
     * the rows an OFFSET skips cost an index entry each, not the joins and subqueries of the select.
     *
     * <p>A first page whose filter matches one row at most, a lookup by userName, a group's displayName
     * or an id, skips nothing: its select reads that row at once, which spares PostgreSQL the ids'
     * subquery and the join back (bench/RESULTS.md, 2026-12-06). A broader filter keeps the subquery
     * even on a first page, so that no more than the page's rows are ever selected whole.
     */
    private Statement indexPage(UUID workspaceId, SearchQuery query, SqlFragment filter, Column key,
                                KnownPositions.Position after) {
        List<Object> params = new ArrayList<>();
        String id = table.idColumn().expression();
        boolean descending = query.sort() != null && query.sort().descending();
        String orderBy = " ORDER BY " + Keysets.orderBy(key.expression(), id, descending);
        StringBuilder sql = new StringBuilder(select).append(", ").append(key.expression()).append(" AS sort_key, ")
                .append(id).append(" AS sort_id, pg_current_snapshot()::text AS snapshot ").append(fromWhere);
        params.add(workspaceId);
        if (after == null && query.startIndex() == 1 && filter.matchesOneAtMost()) {
            sql.append(" AND ").append(filter.sql()).append(orderBy).append(" LIMIT ").append(query.count());
            params.addAll(filter.params());
            return new Statement(sql.toString(), params, filter.plannedPerValue(), true);
        }
        if (after != null) {
            // Uncorrelated, so PostgreSQL tests it once, before reading any row.
            sql.append(" AND ").append(KnownTotals.UNCHANGED);
            params.add(workspaceId);
            params.add(after.snapshot());
        }
        sql.append(" AND ").append(id).append(" IN (SELECT ").append(id).append(' ').append(fromWhere)
                .append(" AND ").append(filter.sql());
        params.add(workspaceId);
        params.addAll(filter.params());
        if (after != null) {
            sql.append(" AND ").append(Keysets.after(key, id, descending, after.row(), params));
        }
        sql.append(orderBy).append(PageSql.limitOffset(query.count(), query.startIndex() - 1L
                - (after == null ? 0 : after.index()), params));
        return new Statement(sql.append(')').append(orderBy).toString(), params, filter.plannedPerValue(), true);
    }
}
