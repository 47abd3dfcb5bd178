package dev.scimserver.directory;

import java.util.List;

/** One page of a search: the exact number of matches and the items of this page. */
public record Page<T>(long totalResults, List<T> items) {
    public Page {
        items = List.copyOf(items);
    }
}
