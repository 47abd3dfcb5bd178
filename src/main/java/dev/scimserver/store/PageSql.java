package dev.scimserver.store;

import dev.scimserver.directory.Keyset;
import dev.scimserver.directory.Page;
import dev.scimserver.directory.SearchQuery;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;
import org.postgresql.PGStatement;

import java.sql.PreparedStatement;
import java.sql.SQLException;

import java.util.ArrayList;
import java.util.List;

/**
 * What every paged search shares, whatever it selects from: whether a page needs fetching at all,
 * the keyset range of a cursor page, and turning fetched rows into a {@link Page}.
 */
final class PageSql {
    private PageSql() {
    }

    /** One fetched row and where it sits in the order: null for a cursor page's row between its first and last. */
    record Row<T>(T item, Keyset keyset) {
    }

    /** A page that can hold nothing: a count of zero, or an index page past the end. */
    static boolean nothingToFetch(long total, SearchQuery query) {
        return query.count() == 0 || (!query.cursorPaging() && total < query.startIndex());
    }

    /**
     * Appends a cursor page's range after its position (joined by {@code joiner}, " WHERE " or " AND "),
     * its order and its limit. One row more than the page tells whether another page follows,
     * without a second query.
     */
    static void appendCursorRange(StringBuilder sql, String joiner, Column key, String id, SearchQuery query,
                                  List<Object> params) {
        appendAfter(sql, joiner, key, id, query, params);
        sql.append(" ORDER BY ").append(Keysets.orderBy(key.expression(), id, readDescending(query)))
                .append(" LIMIT ").append(query.count() + 1);
    }

    /** Appends a cursor page's range after its position, joined by {@code joiner}; nothing for a first page. */
    static void appendAfter(StringBuilder sql, String joiner, Column key, String id, SearchQuery query,
                            List<Object> params) {
        Keyset at = query.position();
        if (at != null) {
            sql.append(joiner).append(Keysets.after(key, id, readDescending(query), at, params));
        }
    }

    /** Whether a cursor page's rows are read descending: the list's order, reversed for a page before its position. */
    static boolean readDescending(SearchQuery query) {
        boolean descending = query.sort() != null && query.sort().descending();
        return descending != (query.position() != null && query.position().backward());
    }

    /**
     * An index page's LIMIT and OFFSET, the OFFSET as a parameter appended to {@code params}: written
     * into the text, every page was a statement PostgreSQL had never seen and planned afresh; bound,
     * the driver's server-side prepared statement and its generic plan serve every page. The LIMIT
     * stays in the text (a client keeps one page size): a bound LIMIT makes the planner guess a tenth
     * of the table, which priced the generic plan above the custom ones, so it was never chosen. The
     * OFFSET is a subquery for the same reason: a bound OFFSET is planned as a tenth of the table in the
     * generic plan and as its value in a custom one, so for the first pages of a list, a tenth of it
     * or less, the custom plans were the cheaper and PostgreSQL planned every page again.
     */
    static String limitOffset(SearchQuery query, List<Object> params) {
        return limitOffset(query.count(), query.startIndex() - 1L, params);
    }

    /** The same, for {@code count} rows after the first {@code offset} of a range. */
    static String limitOffset(int count, long offset, List<Object> params) {
        params.add(offset);
        return " LIMIT " + count + " OFFSET (SELECT CAST(? AS bigint))";
    }

    static <T> Page<T> assemble(long total, List<Row<T>> rows, SearchQuery query) {
        return query.cursorPaging() ? cursorPage(total, rows, query)
                : new Page<>(total, rows.stream().map(Row::item).toList());
    }

    /** The rows of a cursor page in the query's order, with where the pages around it start. */
    private static <T> Page<T> cursorPage(long total, List<Row<T>> fetched, SearchQuery query) {
        List<T> items = new ArrayList<>();
        CursorPageRows<T> rows = new CursorPageRows<>(query, items::add);
        fetched.forEach(rows);
        Page<T> ends = rows.page(total);
        return new Page<>(total, items, ends.next(), ends.previous());
    }

    /**
     * Keeps {@code statement} off the server's prepared statements: sent unnamed, it is planned for the
     * values bound on every run, at the cost of planning it each time.
     */
    static void planForValues(SqlStatement<?> statement) {
        statement.addCustomizer(UNPREPARED);
    }

    private static final StatementCustomizer UNPREPARED = new StatementCustomizer() {
        @Override
        public void beforeExecution(PreparedStatement statement, StatementContext ctx) throws SQLException {
            statement.unwrap(PGStatement.class).setPrepareThreshold(0);
        }
    };

    static void bindParams(SqlStatement<?> statement, List<Object> params) {
        bindParams(statement, params, 0);
    }

    /** The same, the first at position {@code from}: after the parameters the statement has before them. */
    static void bindParams(SqlStatement<?> statement, List<Object> params, int from) {
        for (int i = 0; i < params.size(); i++) {
            statement.bindByType(from + i, params.get(i), params.get(i).getClass());
        }
    }
}
