package dev.scimserver.directory;

import java.time.Clock;
import java.util.UUID;
import java.util.function.Function;

/** Index or cursor paging around one search: decodes the cursor going in, signs the next ones coming out. */
final class CursorPaging {
    private CursorPaging() {
    }

    static <T> SearchResult<T> search(DirectoryTransaction tx, Clock clock, UUID workspace, String resourceType,
                                      SearchQuery query, Function<SearchQuery, Page<T>> search) {
        if (!query.cursorPaging()) {
            Page<T> page = search.apply(query);
            return new SearchResult<>(page.totalResults(), page.items(), null, null);
        }
        Cursors cursors = new Cursors(tx.cursorSecret(), clock);
        String fingerprint = Cursors.fingerprint(workspace, resourceType, query);
        // RFC 9865 §2: an empty cursor asks for the first page.
        // The total is counted on the first page and carried by the cursors after it: an exact count
        // of a large set on every page made an export cost many times its database floor. Later
        // pages report the total as of the walk's start, as a snapshot of the set being walked.
        Cursors.Position position = query.cursor().isEmpty() ? null : cursors.decode(query.cursor(), fingerprint);
        Page<T> page = search.apply(position == null ? query.at(null, null)
                : query.at(position.keyset(), position.total()));
        long total = page.totalResults();
        return new SearchResult<>(total, page.items(),
                page.next() == null ? null : cursors.encode(fingerprint, page.next(), total),
                page.previous() == null ? null : cursors.encode(fingerprint, page.previous(), total));
    }
}
