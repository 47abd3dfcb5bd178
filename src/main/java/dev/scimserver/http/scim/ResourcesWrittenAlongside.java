package dev.scimserver.http.scim;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A list's Resources array, written on a thread of its own while the request's thread still reads
 * the page: each item handed to {@link #accept} is written as soon as that thread gets to it. For an
 * export, PostgreSQL producing a page and the server writing it took turns; side by side, a page costs
 * about the longer of the two rather than their sum (see bench/RESULTS.md). The array is spooled
 * ({@link SpooledBody}) and goes into the response only when {@link #finish} has returned, so a
 * search that fails leaves nothing half-written.
 */
final class ResourcesWrittenAlongside<T> implements Consumer<T>, AutoCloseable {
    private static final ExecutorService WRITERS = Executors.newCachedThreadPool(new WriterThreads());
    /** The mark that ends the items: {@link LinkedBlockingQueue} takes no null. */
    private static final Object END = new Object();

    private final LinkedBlockingQueue<Object> items = new LinkedBlockingQueue<>();
    private final SpooledBody array = new SpooledBody();
    private final Future<?> writing;
    private boolean ended;

    ResourcesWrittenAlongside(ListResponses.ResourceWriter<T> writer) {
        writing = WRITERS.submit(() -> {
            array.writeJson(out -> write(out, writer));
            return null;
        });
    }

    @SuppressWarnings("unchecked")
    private void write(JsonGenerator out, ListResponses.ResourceWriter<T> writer) throws IOException {
        out.writeStartArray();
        try {
            for (Object item = items.take(); item != END; item = items.take()) {
                writer.write(out, (T) item);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("the list's writer was interrupted", e);
        }
        out.writeEndArray();
    }

    /** The next item of the page, in page order. */
    @Override
    public void accept(T item) {
        items.add(item);
    }

    /** Waits for every item handed over to be written; a failure of the writer is thrown here. */
    void finish() {
        end();
        try {
            writing.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            writing.cancel(true);
            throw new IllegalStateException("interrupted while a list was being written", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new UncheckedIOException("cannot write a list", (IOException) cause);
        }
    }

    /** Writes the finished array as the next value of {@code out}. */
    void writeTo(JsonGenerator out) throws IOException {
        array.writeAsValue(out);
    }

    private void end() {
        if (!ended) {
            ended = true;
            items.add(END);
        }
    }

    /** Ends the writer if the page never finished (the search failed), and drops the array. */
    @Override
    public void close() {
        end();
        try {
            writing.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // Already thrown by finish(), or the search failed first and is what the client hears of.
        } finally {
            array.close();
        }
    }

    /** Daemon threads, named for what they do: an idle one ends after a minute. */
    private static final class WriterThreads implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "scim-list-writer-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
