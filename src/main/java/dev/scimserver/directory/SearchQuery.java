package dev.scimserver.directory;

import dev.scimserver.scim.Filter;

/**
 * What a list request asks for: an optional filter, and a 1-based index page. {@code count} 0
 * asks only for the total.
 */
public record SearchQuery(Filter filter, int startIndex, int count) {
    public SearchQuery {
        if (startIndex < 1) {
            throw new IllegalStateException("startIndex < 1: " + startIndex);
        }
        if (count < 0) {
            throw new IllegalStateException("count < 0: " + count);
        }
    }
}
