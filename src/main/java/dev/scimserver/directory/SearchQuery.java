package dev.scimserver.directory;

import dev.scimserver.scim.AttributePath;
import dev.scimserver.scim.Filter;

/**
 * What a list request asks for: an optional filter, an optional order, and either a 1-based index
 * page or, when {@code cursor} is not null, an RFC 9865 cursor page ({@code ""} asks for the
 * first). {@code count} 0 asks only for the total. {@code position} is where a cursor page starts,
 * decoded by the directory from {@code cursor}; the store never sees the cursor text. {@code
 * knownTotal}, when not null, is the total the walk's first page counted, carried in the cursor so
 * that later pages need not count again.
 */
public record SearchQuery(Filter filter, Sort sort, int startIndex, int count, String cursor, Keyset position,
                          Long knownTotal) {

    /** {@code sortBy}/{@code sortOrder} (RFC 7644 §3.4.2.3); the store resolves the path. */
    public record Sort(AttributePath path, boolean descending) {
    }

    public SearchQuery {
        if (startIndex < 1) {
            throw new IllegalStateException("startIndex < 1: " + startIndex);
        }
        if (count < 0) {
            throw new IllegalStateException("count < 0: " + count);
        }
    }

    /** An index page in the default order. */
    public SearchQuery(Filter filter, int startIndex, int count) {
        this(filter, null, startIndex, count, null, null, null);
    }

    /** An index page, or a cursor page before its cursor is decoded. */
    public SearchQuery(Filter filter, Sort sort, int startIndex, int count, String cursor, Keyset position) {
        this(filter, sort, startIndex, count, cursor, position, null);
    }

    public boolean cursorPaging() {
        return cursor != null;
    }

    SearchQuery at(Keyset keyset, Long total) {
        return new SearchQuery(filter, sort, startIndex, count, cursor, keyset, total);
    }
}
