package dev.scimserver.directory;

import java.util.List;

/**
 * What a search answers: the exact number of matches, this page's items, and, for a cursor page,
 * the opaque cursors of the next and previous pages ({@code null}: there is none).
 */
public record SearchResult<T>(long totalResults, List<T> items, String nextCursor, String previousCursor) {
    public SearchResult {
        items = List.copyOf(items);
    }
}
