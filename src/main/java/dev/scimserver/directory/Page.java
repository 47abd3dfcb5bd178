package dev.scimserver.directory;

import java.util.List;

/**
 * One page of a search: the exact number of matches and the items of this page. A cursor page
 * also says where the next and the previous pages start ({@code null}: there is none).
 */
public record Page<T>(long totalResults, List<T> items, Keyset next, Keyset previous) {
    public Page {
        items = List.copyOf(items);
    }

    public Page(long totalResults, List<T> items) {
        this(totalResults, items, null, null);
    }
}
