package dev.scimserver.store;

import dev.scimserver.directory.Keyset;
import dev.scimserver.directory.Page;
import dev.scimserver.directory.SearchQuery;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The rows of a cursor page as the statement returns them, each item handed on in the page's order:
 * at once when the page reads forward, so the caller can write it while the next rows are still being
 * read; all at the end when it reads backward, since those rows come from the page's far end. The
 * statement fetches one row beyond the page, which only says that another page follows.
 */
final class CursorPageRows<T> implements Consumer<PageSql.Row<T>> {
    private final SearchQuery query;
    private final Consumer<T> each;
    private final boolean backward;
    private final List<PageSql.Row<T>> heldBackward = new ArrayList<>();
    private int fetched;
    private int handedOn;
    private Keyset first;
    private Keyset last;

    CursorPageRows(SearchQuery query, Consumer<T> each) {
        this.query = query;
        this.each = each;
        this.backward = query.position() != null && query.position().backward();
    }

    @Override
    public void accept(PageSql.Row<T> row) {
        fetched++;
        if (fetched > query.count()) {
            return;
        }
        if (backward) {
            heldBackward.add(row);
        } else {
            handOn(row);
        }
    }

    /** How many rows the statement returned, the one beyond the page included. */
    int fetched() {
        return fetched;
    }

    /**
     * Whether the row the statement returns next needs its keyset: only the page's first and last rows
     * start the pages around it, and whichever the direction, those are the first and the
     * {@code count}th the statement returns. Reading every row's sort key showed in the export's
     * profile (bench/RESULTS.md, 2026-12-05).
     */
    boolean keysetNeededNext() {
        int next = fetched + 1;
        return next == 1 || next == query.count();
    }

    /**
     * The page once every row is in: its total and where the pages around it start, without its items,
     * which went to the consumer. A page read backward came from a later row, so a next page exists;
     * one read forward from a row has that row, or its place, before it. A page read backward that
     * found nothing (the rows before were deleted) still has a next page: the one that starts at the
     * row it was read back from, that is strictly after the id just before that row's in the same key
     * (RFC 9865 §2 omits nextCursor only when no page follows).
     */
    Page<T> page(long total) {
        Collections.reverse(heldBackward);
        heldBackward.forEach(this::handOn);
        heldBackward.clear();
        if (handedOn == 0) {
            Keyset from = query.position();
            boolean descending = query.sort() != null && query.sort().descending();
            return new Page<>(total, List.of(), backward ? new Keyset(from.key(), idJustBefore(from.id(), descending),
                    false) : null, null);
        }
        boolean more = fetched > query.count();
        boolean hasNext = backward || more;
        boolean hasPrevious = backward ? more : query.position() != null;
        return new Page<>(total, List.of(), hasNext ? new Keyset(last.key(), last.id(), false) : null,
                hasPrevious ? new Keyset(first.key(), first.id(), true) : null);
    }

    /**
     * The uuid just before {@code id} in a walk's order of ids (PostgreSQL's: the 16 bytes as an
     * unsigned number, ascending, or descending in a descending walk), so that no row's id lies
     * between the two. The first uuid of that order has none before it: it stays, and the page after
     * it starts past that one row, should a row ever have that id.
     */
    static UUID idJustBefore(UUID id, boolean descending) {
        long high = id.getMostSignificantBits();
        long low = id.getLeastSignificantBits();
        long edge = descending ? -1L : 0L;
        if (low == edge && high == edge) {
            return id;
        }
        long step = descending ? 1L : -1L;
        return new UUID(low == edge ? high + step : high, low + step);
    }

    private void handOn(PageSql.Row<T> row) {
        if (handedOn++ == 0) {
            first = row.keyset();
        }
        last = row.keyset();
        each.accept(row.item());
    }
}
