package dev.scimserver.store;

import java.util.List;

/** A piece of SQL with positional {@code ?} parameters, values always bound, never spliced. */
record SqlFragment(String sql, List<Object> params) {
    SqlFragment {
        params = List.copyOf(params);
    }

    static SqlFragment of(String sql) {
        return new SqlFragment(sql, List.of());
    }
}
