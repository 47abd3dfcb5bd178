package dev.scimserver.store;

import dev.scimserver.directory.Keyset;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Where the index walks a process answered last stand: for each list (a workspace, a filter, an order
 * and a page size), the last row of the last page it served, with the snapshot that page was read in.
 * An identity provider importing a directory asks for {@code startIndex} 1, 101, 201… in turn; the
 * page after a kept row is a keyset range from it, which reads one page of the index where an OFFSET
 * reads every row before it too, so a walk of a million members no longer grows slower page by page.
 * The range is used only when the workspace's change journal holds no row the kept snapshot could not
 * see, tested in the page's own statement ({@link KnownTotals#CHANGED_SINCE}): then both snapshots see
 * the same directory of that workspace, and the range holds exactly the rows the OFFSET would.
 */
final class KnownPositions {
    /** Lists kept, least recently used out first: an import walks one list at a time. */
    private static final int CAPACITY = 256;

    /** One list: the index page's statement without its OFFSET, and that statement's other values. */
    record Walk(UUID workspaceId, String sql, List<Object> params) {
    }

    /** The row at {@code index} (1-based) of the list, read in {@code snapshot}. */
    record Position(long index, Keyset row, String snapshot) {
    }

    private final Map<Walk, Position> known = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Walk, Position> eldest) {
            return size() > CAPACITY;
        }
    });

    /** The kept row just before {@code startIndex}, if the last page served of {@code walk} ended there. */
    Optional<Position> before(Walk walk, int startIndex) {
        Position kept = known.get(walk);
        return kept != null && kept.index() == startIndex - 1L ? Optional.of(kept) : Optional.empty();
    }

    void remember(Walk walk, Position position) {
        known.put(walk, position);
    }
}
