package dev.scimserver.store;

import java.util.List;

/**
 * A piece of SQL with positional {@code ?} parameters, values always bound, never spliced.
 * {@code plannedPerValue}: which plan is best depends on the values bound (a range, a substring, a
 * role, a group's members), so a statement holding it is planned for its values on every run: the one
 * generic plan PostgreSQL settles on for a prepared statement assumes an average value, and for a group
 * of a hundred thousand among groups of twenty it joins and sorts every member to show one page.
 * {@code matchesOneAtMost}: the condition holds for one row of a workspace at most, whatever the values
 * bound (an equality on a column a unique index keeps so, ANDed with anything).
 * {@code searchesText}: the condition looks for a substring or a prefix of a text ({@code co}, {@code sw},
 * {@code ew}), whose matches the indexes find in no order: how far an order's index must be walked to
 * meet a page of them says nothing of how many there are (see {@link TableSearch}).
 */
record SqlFragment(String sql, List<Object> params, boolean plannedPerValue, boolean matchesOneAtMost,
                   boolean searchesText) {
    SqlFragment {
        params = List.copyOf(params);
    }

    static SqlFragment of(String sql) {
        return new SqlFragment(sql, List.of(), false, false, false);
    }
}
