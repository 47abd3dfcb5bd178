package dev.scimserver.http;

import dev.scimserver.directory.SearchQuery;
import dev.scimserver.scim.Filter;
import dev.scimserver.scim.FilterParser;
import dev.scimserver.scim.ScimException;

/** The paging and filter parameters of a list request (RFC 7644 §3.4.2). */
final class ListParameters {
    /** The page size when the client names none. */
    static final int DEFAULT_COUNT = 100;
    /** The largest page; larger requests are capped, as {@code filter.maxResults} advertises. */
    static final int MAX_RESULTS = 1000;

    private ListParameters() {
    }

    static SearchQuery query(String filter, String startIndex, String count) {
        Filter parsed = filter == null || filter.isBlank() ? null : FilterParser.parse(filter);
        // RFC 7644 §3.4.2.4: a startIndex below 1 means 1, a negative count means 0.
        int start = Math.max(1, integer("startIndex", startIndex, 1));
        int size = Math.min(MAX_RESULTS, Math.max(0, integer("count", count, DEFAULT_COUNT)));
        return new SearchQuery(parsed, start, size);
    }

    private static int integer(String name, String text, int fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            long value = Long.parseLong(text.trim());
            return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
        } catch (NumberFormatException e) {
            throw ScimException.invalidValue(name + " must be an integer");
        }
    }
}
