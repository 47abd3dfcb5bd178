package dev.scimserver.http.scim;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The next pages of a walk, by cursor or by startIndex, read while the client still takes in the page
 * before them. A walk otherwise takes turns: PostgreSQL produces a page, the server sends it, the client
 * parses it and only then asks for the next, so the database idles while the client works and the
 * other way round.
 *
 * <p>A page read ahead is answered only if the workspace's directory has not changed since the
 * snapshot taken before it was read (the caller checks; see {@link Page#snapshot}): then it is what a
 * fresh read would give, byte for byte but for the moment its cursors were signed. Otherwise it is
 * dropped and the page is read again, so a change committed before the request always shows.
 *
 * <p>At most {@value #HELD} pages wait at once, over all walks, each for at most
 * {@value #HELD_SECONDS} s from the start of its read: a walk that stops leaves one page behind,
 * which goes when the next page is read ahead for any walk, or sooner when a newer walk needs its
 * place. While every place holds a page still being read, a walk is read as it is asked.
 *
 * <p>Servers behind a balancer that sends one client's requests to any of them would each read ahead
 * pages another one is asked for: there {@code SCIM_CURSOR_READ_AHEAD=false} turns this off.
 */
final class PageReadAhead {
    /**
     * Pages read ahead and not yet asked for, at most: each is a body of up to {@link SpooledBody#IN_MEMORY}
     * bytes in memory (a page of a thousand users is well under it), the rest in a temporary file.
     */
    static final int HELD = 8;
    private static final int HELD_SECONDS = 30;
    /** Walks told apart at once: well beyond the pages that may be {@linkplain #HELD held}. */
    private static final int EXPECTED = 64;
    /** Threads reading ahead: each holds a database connection while it reads, as a request would. */
    private static final int READERS = 2;
    private static final AtomicInteger THREAD_NUMBERS = new AtomicInteger();

    /**
     * What makes two requests ask for the same bytes: the workspace, the base URL of the resources'
     * locations, and the whole query with its cursor or startIndex.
     */
    record Key(UUID workspaceId, String baseUrl, ListParameters request) {
    }

    /**
     * A page written whole: its body, the snapshot taken before it was read, and the requests for the
     * pages to read ahead once it is answered (none after the last page).
     */
    record Page(SpooledBody body, String snapshot, List<ListParameters> ahead) {
    }

    /**
     * A page being read or read; {@code begun} is set by whichever comes first, its reader or a request
     * for it. A request that comes first reads the page itself rather than wait in the readers' queue,
     * and the reader then skips it ({@code null}).
     */
    private record Held(Future<Page> page, AtomicBoolean begun, long since) {
    }

    private final ThreadPoolExecutor readers = new ThreadPoolExecutor(READERS, READERS, 30, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), task -> {
                Thread thread = new Thread(task, "scim-read-ahead-" + THREAD_NUMBERS.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
    /** Guarded by itself. */
    private final Map<Key, Held> held = new LinkedHashMap<>();
    /**
     * The pages that follow pages answered or read ahead, newest last, at most {@value #EXPECTED}: a
     * request for one of them comes from a walk. A cursor shows that its client read the page before
     * it; a startIndex does not (a client may ask for any page), and reading ahead after every page
     * asked for at random would double the cost of each. Guarded by itself.
     */
    private final Map<Key, Boolean> expected = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Boolean> eldest) {
            return size() > EXPECTED;
        }
    };
    private final boolean enabled;
    private final Consumer<ReadAheadOutcome> outcomes;

    /**
     * Reads ahead when {@code enabled} ({@code SCIM_CURSOR_READ_AHEAD}); {@code outcomes} hears what
     * becomes of each page read ahead.
     */
    PageReadAhead(boolean enabled, Consumer<ReadAheadOutcome> outcomes) {
        this.enabled = enabled;
        this.outcomes = outcomes;
        readers.allowCoreThreadTimeOut(true);
    }

    /**
     * Reads the page of {@code key} ahead with {@code read}, unless it is read ahead already or every
     * place holds a page still being read.
     */
    void start(Key key, Callable<Page> read) {
        if (!enabled) {
            return;
        }
        List<Held> gone = new ArrayList<>();
        synchronized (held) {
            dropStale(gone);
            if (held.size() >= HELD) {
                dropEldestRead(gone);
            }
            if (!held.containsKey(key) && held.size() < HELD) {
                AtomicBoolean begun = new AtomicBoolean();
                held.put(key, new Held(readers.submit(() -> begun.compareAndSet(false, true) ? read.call() : null),
                        begun, System.nanoTime()));
            }
        }
        gone.forEach(PageReadAhead::close);
    }

    /**
     * Notes that a request for {@code key}, an index page's, will come from a walk, when reading ahead
     * is enabled. A cursor page needs no note: its cursor shows the walk.
     */
    void expect(Key key) {
        if (enabled) {
            synchronized (expected) {
                expected.put(key, Boolean.TRUE);
            }
        }
    }

    /**
     * Whether a request for {@code key} comes from a walk: its page follows one answered, or was read
     * ahead ({@link #expect}). Each note answers once.
     */
    boolean expected(Key key) {
        synchronized (expected) {
            return expected.remove(key) != null;
        }
    }

    /**
     * The page of {@code key} if it was read ahead, once read, now the caller's to answer and close
     * if {@code fresh} holds for it; empty when none was, its read failed, or it is no longer fresh.
     */
    Optional<Page> take(Key key, Predicate<Page> fresh) {
        Held found;
        synchronized (held) {
            found = held.remove(key);
        }
        if (found == null) {
            return Optional.empty();
        }
        if (found.begun().compareAndSet(false, true)) {
            outcomes.accept(ReadAheadOutcome.UNREAD);
            return Optional.empty();
        }
        Page page;
        try {
            page = found.page().get();
        } catch (ExecutionException e) {
            // The request reads the page itself and meets the failure, if it lasts, as its own.
            outcomes.accept(ReadAheadOutcome.FAILED);
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            readers.execute(() -> close(found));
            return Optional.empty();
        }
        boolean answerable;
        try {
            answerable = fresh.test(page);
        } catch (RuntimeException e) {
            page.body().close();
            throw e;
        }
        if (!answerable) {
            outcomes.accept(ReadAheadOutcome.CHANGED);
            page.body().close();
            return Optional.empty();
        }
        outcomes.accept(ReadAheadOutcome.ANSWERED);
        return Optional.of(page);
    }

    /** Moves into {@code gone} the pages read and left waiting too long; the caller holds {@link #held}. */
    private void dropStale(List<Held> gone) {
        long now = System.nanoTime();
        for (Iterator<Held> it = held.values().iterator(); it.hasNext(); ) {
            Held next = it.next();
            if (next.page().isDone() && now - next.since() > TimeUnit.SECONDS.toNanos(HELD_SECONDS)) {
                it.remove();
                gone.add(next);
                outcomes.accept(ReadAheadOutcome.ABANDONED);
            }
        }
    }

    /**
     * Moves into {@code gone} the page read longest ago, if any is read: a walk's next page is more
     * likely to be asked for than one that has waited longest. The caller holds {@link #held}.
     */
    private void dropEldestRead(List<Held> gone) {
        for (Iterator<Held> it = held.values().iterator(); it.hasNext(); ) {
            Held next = it.next();
            if (next.page().isDone()) {
                it.remove();
                gone.add(next);
                outcomes.accept(ReadAheadOutcome.ABANDONED);
                return;
            }
        }
    }

    /** Waits for a page no one will answer and drops its body. */
    private static void close(Held gone) {
        try {
            Page page = gone.page().get();
            if (page != null) {
                page.body().close();
            }
        } catch (ExecutionException e) {
            // Nothing was kept of it.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
