package dev.scimserver.directory;

import java.util.List;
import java.util.function.Function;

/**
 * What a search answers: the exact number of matches, this page's items, and, for a cursor page,
 * the opaque cursors of the next and previous pages ({@code null}: there is none).
 */
public record SearchResult<T>(long totalResults, List<T> items, String nextCursor, String previousCursor) {
    public SearchResult {
        items = List.copyOf(items);
    }

    public <R> SearchResult<R> map(Function<T, R> mapper) {
        return new SearchResult<>(totalResults, items.stream().map(mapper).toList(), nextCursor, previousCursor);
    }
}
