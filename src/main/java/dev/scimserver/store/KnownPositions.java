package dev.scimserver.store;

import dev.scimserver.directory.Keyset;

import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Where the index pages a process answered last ended: for each list (a workspace, a filter, an order
 * and a page size), the last row of each of the latest pages it served, with the snapshot that page was
 * read in. A page is read from the kept row nearest before its {@code startIndex}, as the rows after it
 * in the order, less the few between the two. An identity provider importing a directory asks for
 * {@code startIndex} 1, 101, 201… in turn, so each page starts at the row where the last one ended and
 * a walk of a million members does not grow slower page by page; a page asked for out of turn skips
 * the rows from the nearest page served before it, not every row from the list's start, as an OFFSET
 * does. A kept row is used only when the workspace's change journal holds no row its snapshot could not
 * see, tested in the page's own statement ({@link KnownTotals#CHANGED_SINCE}): then both snapshots see
 * the same directory of that workspace, and the rows after it are exactly those the OFFSET would read.
 */
final class KnownPositions {
    /** Lists kept, least recently used out first: an import walks one list at a time. */
    private static final int CAPACITY = 256;
    /**
     * Rows kept per list, the one remembered first out first. Where the pages served were at random
     * places, the nearest before a page lies about a 65th of the list before it; a walk in turn needs
     * one.
     */
    static final int ROWS_PER_LIST = 64;

    /** One list: the index page's statement without its OFFSET, and that statement's other values. */
    record Walk(UUID workspaceId, String sql, List<Object> params) {
    }

    /** The row at {@code index} (1-based) of the list, read in {@code snapshot}. */
    record Position(long index, Keyset row, String snapshot) {
    }

    /** The rows kept of one list by index, each with when it was remembered, to tell the oldest. */
    private static final class Kept {
        private final TreeMap<Long, Remembered> byIndex = new TreeMap<>();
        private long remembered;
    }

    private record Remembered(Position position, long order) {
    }

    private final Map<Walk, Kept> known = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Walk, Kept> eldest) {
            return size() > CAPACITY;
        }
    });

    /** The kept row of {@code walk} nearest before {@code startIndex}, if any is kept before it. */
    Optional<Position> nearestBefore(Walk walk, int startIndex) {
        Kept kept = known.get(walk);
        if (kept == null) {
            return Optional.empty();
        }
        synchronized (kept) {
            Map.Entry<Long, Remembered> nearest = kept.byIndex.lowerEntry((long) startIndex);
            return nearest == null ? Optional.empty() : Optional.of(nearest.getValue().position());
        }
    }

    void remember(Walk walk, Position position) {
        Kept kept = known.computeIfAbsent(walk, w -> new Kept());
        synchronized (kept) {
            kept.byIndex.put(position.index(), new Remembered(position, kept.remembered++));
            if (kept.byIndex.size() > ROWS_PER_LIST) {
                kept.byIndex.values().stream().min(Comparator.comparingLong(Remembered::order))
                        .ifPresent(oldest -> kept.byIndex.remove(oldest.position().index()));
            }
        }
    }

    /**
     * Drops every kept row of the list, when {@code stale}, one of them, was found read before a change
     * of the workspace: the others were most likely read before it too, and each would cost a statement
     * to find so. Nothing is dropped when another request has already replaced or dropped it.
     */
    void forget(Walk walk, Position stale) {
        Kept kept = known.get(walk);
        if (kept == null) {
            return;
        }
        synchronized (kept) {
            Remembered found = kept.byIndex.get(stale.index());
            if (found != null && found.position().equals(stale)) {
                kept.byIndex.clear();
            }
        }
    }
}
