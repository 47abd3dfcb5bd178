package dev.scimserver.http.scim;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The resources of a list, written into a body of their own on a thread of their own while the
 * request's thread is still reading the next ones from the database. Otherwise the two take turns:
 * PostgreSQL produces the page, then the server writes it. The body holds the resources separated by
 * commas, the inside of the {@code Resources} array, for {@link ListResponses} to place.
 *
 * <p>A queue of {@value #QUEUED} resources between the threads bounds what waits to be written. The
 * writing thread takes every resource until the end is marked, even after a failure, so the reading
 * thread never waits on a queue that nobody empties.
 */
final class ConcurrentResources<T> implements AutoCloseable {
    private static final int QUEUED = 256;
    private static final Object END = new Object();
    private static final SerializedString COMMA = new SerializedString(",");
    private static final AtomicInteger THREAD_NUMBERS = new AtomicInteger();
    /** One thread per list being written, at most: as many as the database pool lets read at once. */
    private static final ExecutorService WRITERS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "scim-resources-" + THREAD_NUMBERS.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });

    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUED);
    private final Future<Integer> written;
    private boolean ended;

    /** Starts the thread that writes each resource given to {@link #add} into {@code into} with {@code writer}. */
    ConcurrentResources(SpooledBody into, ListResponses.ResourceWriter<T> writer) {
        written = WRITERS.submit(() -> writeAll(into, writer));
    }

    /** Queues {@code resource} to be written after those before it; waits while the queue is full. */
    void add(T resource) {
        put(resource);
    }

    /** Marks the end and waits for every resource to be written; how many were, or what failed. */
    int finish() {
        put(END);
        ended = true;
        try {
            return written.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw new UncheckedIOException("cannot write the resources of a list", io);
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("cannot write the resources of a list", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the resources of a list were written", e);
        }
    }

    /**
     * After a failure of the read: drops what is still queued, ends the writing and waits for it, so
     * that the body is not closed while it is being written.
     */
    @Override
    public void close() {
        if (ended) {
            return;
        }
        ended = true;
        queue.clear();
        queue.add(END);
        try {
            written.get();
        } catch (ExecutionException e) {
            // The request failed already; what the writing thread met as well adds nothing to answer.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits for room in the queue while the writing thread lives: one that died of an error it could
     * not keep to itself (an Error) takes nothing more, and {@link #finish} reports what ended it.
     */
    private void put(Object item) {
        try {
            while (!written.isDone()) {
                if (queue.offer(item, 50, TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the resources of a list were read", e);
        }
    }

    @SuppressWarnings("unchecked")
    private int writeAll(SpooledBody into, ListResponses.ResourceWriter<T> writer) throws Exception {
        int count = 0;
        Exception failed = null;
        try (JsonGenerator out = ScimJson.MAPPER.getFactory().createGenerator(into)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET).setRootValueSeparator(COMMA)) {
            for (Object next = queue.take(); next != END; next = queue.take()) {
                if (failed != null) {
                    continue;
                }
                try {
                    writer.write(out, (T) next);
                    count++;
                } catch (IOException | RuntimeException e) {
                    failed = e;
                }
            }
        }
        if (failed != null) {
            throw failed;
        }
        return count;
    }
}
