package dev.scimserver.activity;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where the web adapter hands every answered request, and the one thread that stores them. The
 * request thread only offers to a bounded queue and never waits: redaction, cutting and the database
 * happen on the writer thread, in batches of up to {@value #BATCH} entries in one round trip.
 *
 * <p>Two bounds, so that a slow or absent database costs memory only up to a limit: the bodies
 * waiting may hold {@code bodyBudget} bytes at most, beyond which entries are queued without their
 * bodies; the queue holds {@code capacity} entries, beyond which entries are dropped. Both drops are
 * counted ({@link #drops()}), and so are the entries lost when a batch cannot be stored: a database
 * outage loses log entries, never a SCIM answer.
 */
public final class ProvisioningLogRecorder implements AutoCloseable {
    public static final int DEFAULT_CAPACITY = 20_000;
    /** Enough for a few thousand ordinary requests' bodies; a burst of Bulk requests spends it first. */
    public static final long DEFAULT_BODY_BUDGET = 64L * 1024 * 1024;
    static final int BATCH = 500;
    private static final long LINGER_MILLIS = 200;
    private static final Logger LOG = LoggerFactory.getLogger(ProvisioningLogRecorder.class);
    private static final long POLL_MILLIS = 200;
    private static final long WARNING_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);
    /**
     * Tries of a whole batch before its entries count as lost. The writer shares the pool with the
     * requests: when every connection stays busy for the pool's timeout (a burst of large Bulks on a
     * small pool), the database is there and a moment later takes the batch. One try lost the batch
     * of a healthy database to a busy pool.
     */
    static final int BATCH_TRIES = 3;
    private static final long RETRY_PAUSE_MILLIS = 1_000;

    /** A request waiting to be stored; {@code bodiesDropped} when its bodies did not fit in the budget. */
    private record Queued(ObservedRequest request, boolean bodiesDropped) {
    }

    private final ProvisioningLogStore store;
    private final BlockingQueue<Queued> queue;
    private final long bodyBudget;
    private final long retryPauseMillis;
    /** Read by the writer; grows once, when the database's password is known. */
    private volatile ConfiguredSecrets secrets;
    private final AtomicLong queuedBodyBytes = new AtomicLong();
    private final LongAdder bodiesDropped = new LongAdder();
    private final LongAdder entriesDropped = new LongAdder();
    private final LongAdder entriesLost = new LongAdder();
    private long lastWarning = System.nanoTime() - WARNING_INTERVAL_NANOS;
    private Thread writer;
    /** Set by {@link #close()}: the writer finishes its batch and stops; no interrupt reaches a JDBC call. */
    private volatile boolean closing;

    /**
     * A recorder whose writer is not running: {@link #start()} it, or call {@link #writeBatch()} yourself.
     * {@code retryPauseMillis}: the wait between two tries of a batch.
     */
    ProvisioningLogRecorder(ProvisioningLogStore store, int capacity, long bodyBudget, long retryPauseMillis) {
        this(store, capacity, bodyBudget, retryPauseMillis, ConfiguredSecrets.NONE);
    }

    ProvisioningLogRecorder(ProvisioningLogStore store, int capacity, long bodyBudget, long retryPauseMillis,
                            ConfiguredSecrets secrets) {
        if (capacity < 1 || bodyBudget < 0 || retryPauseMillis < 0) {
            throw new IllegalArgumentException("capacity < 1, bodyBudget < 0 or retryPauseMillis < 0: " + capacity
                    + ", " + bodyBudget + ", " + retryPauseMillis);
        }
        this.store = store;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.bodyBudget = bodyBudget;
        this.retryPauseMillis = retryPauseMillis;
        this.secrets = secrets;
    }

    /** A recorder with the default bounds, its writer thread running, withholding {@code secrets} as well. */
    public static ProvisioningLogRecorder start(ProvisioningLogStore store, ConfiguredSecrets secrets) {
        ProvisioningLogRecorder recorder = new ProvisioningLogRecorder(store, DEFAULT_CAPACITY, DEFAULT_BODY_BUDGET,
                RETRY_PAUSE_MILLIS, secrets);
        recorder.start();
        return recorder;
    }

    /**
     * Withholds {@code secret} too from now on: a secret known only once the server runs (the embedded
     * database's password, made on its first start), added before the first request is answered.
     */
    public void alsoWithhold(String secret) {
        secrets = secrets.with(secret);
    }

    /** Whether {@code text} holds one of the secrets withheld, which the log would keep as a mark. */
    public boolean withholds(String text) {
        return secrets.heldIn(text);
    }

    synchronized void start() {
        writer = new Thread(this::writeUntilClosed, "provisioning-log-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** Queues the request for the log; never blocks, never throws for want of room. */
    public void record(ObservedRequest request) {
        long bytes = request.bodyBytes();
        Queued queued = new Queued(request, false);
        if (bytes > 0 && queuedBodyBytes.addAndGet(bytes) > bodyBudget) {
            queuedBodyBytes.addAndGet(-bytes);
            queued = new Queued(request.withoutBodies(), true);
            bytes = 0;
        }
        if (!queue.offer(queued)) {
            queuedBodyBytes.addAndGet(-bytes);
            entriesDropped.increment();
        } else if (queued.bodiesDropped()) {
            bodiesDropped.increment();
        }
    }

    public LogDrops drops() {
        return new LogDrops(bodiesDropped.sum(), entriesDropped.sum(), entriesLost.sum());
    }

    /** Entries waiting for the writer. */
    public int queueDepth() {
        return queue.size();
    }

    /** Stores up to one batch of the queued entries; answers how many it took from the queue. */
    int writeBatch() {
        List<Queued> batch = new ArrayList<>(Math.min(BATCH, queue.size()));
        queue.drainTo(batch, BATCH);
        write(batch);
        return batch.size();
    }

    private void write(List<Queued> batch) {
        if (batch.isEmpty()) {
            return;
        }
        batch.forEach(queued -> queuedBodyBytes.addAndGet(-queued.request().bodyBytes()));
        try {
            store(batch.stream().map(this::entry).toList(), BATCH_TRIES);
        } catch (RuntimeException | Error e) {
            // The writer outlives any batch: were it to end, every later entry would wait in the queue
            // until it filled, and then be dropped, for every workspace. Only making the entries gets
            // here (storing them counts its own losses), so none of the batch is counted yet.
            entriesLost.add(batch.size());
            warnNowAndThen(batch.size(), e);
        }
    }

    private boolean pauseBeforeRetry() {
        try {
            Thread.sleep(retryPauseMillis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Stores the entries in one batch; where the database refuses a value of one of them, in halves,
     * and so on down to that entry, which alone is lost: one request a client shaped to be unstorable
     * must not take every workspace's entries of its batch with it. Any other failure (an outage, or
     * every connection of the pool busy) is tried again a pause later while {@code tries} last, then
     * loses the entries, and the halves not yet tried with them: each try would wait for the pool.
     * Halves are tried once. A try is not made when the one before did store the batch: a connection
     * lost during the COMMIT leaves its outcome unknown, and a batch stored twice doubles the chart's
     * counts and two entries then share an id. Answers whether the database was there to the end.
     */
    private boolean store(List<LogEntry> entries, int tries) {
        try {
            store.insert(entries);
            return true;
        } catch (UnstorableLogEntryException e) {
            if (entries.size() == 1) {
                entriesLost.increment();
                warnNowAndThen(1, e);
                return true;
            }
            int half = entries.size() / 2;
            if (!store(entries.subList(0, half), 1)) {
                entriesLost.add(entries.size() - half);
                return false;
            }
            return store(entries.subList(half, entries.size()), 1);
        } catch (RuntimeException e) {
            return afterFailedTry(entries, tries - 1, e);
        } catch (Error e) {
            // Not tried again: what an Error leaves behind is unknown. These entries are lost, counted
            // here, and the halves not yet tried with them by the caller, each once.
            entriesLost.add(entries.size());
            warnNowAndThen(entries.size(), e);
            return false;
        }
    }

    /**
     * After a try of the batch failed: while {@code tries} last, a pause, then whether the batch is
     * stored after all (the batch is one transaction, so its first entry tells), and a new try only
     * when it is not. A look that fails costs a try too: a try made without knowing could store the
     * batch twice.
     */
    private boolean afterFailedTry(List<LogEntry> entries, int tries, RuntimeException failure) {
        for (int left = tries; left > 0 && !closing && pauseBeforeRetry(); left--) {
            Boolean stored = holds(entries.get(0));
            if (stored != null) {
                return stored || store(entries, left);
            }
        }
        entriesLost.add(entries.size());
        warnNowAndThen(entries.size(), failure);
        return false;
    }

    /** Whether {@code entry} is stored; {@code null} when the database cannot say. */
    private Boolean holds(LogEntry entry) {
        try {
            return store.holds(entry.request());
        } catch (RuntimeException | Error e) {
            return null;
        }
    }

    private void writeUntilClosed() {
        try {
            while (!closing) {
                Queued first = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (first != null) {
                    if (queue.size() < BATCH - 1) {
                        // A moment's wait gathers a busy server's requests into one insert and one
                        // commit, where taking each as it came would cost a statement and a commit apiece.
                        Thread.sleep(LINGER_MILLIS);
                    }
                    List<Queued> batch = new ArrayList<>();
                    batch.add(first);
                    queue.drainTo(batch, BATCH - 1);
                    write(batch);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void warnNowAndThen(int lost, Throwable e) {
        long now = System.nanoTime();
        if (now - lastWarning >= WARNING_INTERVAL_NANOS) {
            lastWarning = now;
            // The exception's class only: a driver's message can carry the statement's bound values.
            LOG.warn("{} provisioning log entries could not be stored and are lost ({} in all so far): {}", lost,
                    entriesLost.sum(), e.getClass().getName());
        }
    }

    private LogEntry entry(Queued queued) {
        ObservedRequest r = queued.request();
        // A secret holding '?', sent unencoded, is cut in two by the query's start: both halves go.
        boolean spansTarget = secrets.spansPathAndQuery(r.path(), r.query());
        String path = spansTarget ? Redaction.ENCODED_MARK
                : StoredBody.storable(secrets.withheldEncoded(Redaction.path(r.path()), '/'));
        Instant received = r.receivedAt().truncatedTo(ChronoUnit.MICROS);
        LoggedRequest request = new LoggedRequest(TimeOrderedIds.next(received), received,
                r.workspaceId(), r.credential(), r.clientAddress(), indexable(sentText(r.method())), path,
                spansTarget ? Redaction.ENCODED_MARK
                        : StoredBody.storable(secrets.withheldEncoded(Redaction.query(r.query()), '&')),
                StoredBody.storable(RequestTarget.of(path, r.location()).resourceId()), r.status(), r.scimType(),
                StoredBody.storable(secrets.withheld(Redaction.detail(r.detail()))), r.durationMicros(),
                secrets.withheld(r.requestId()), r.requestBytes(), r.responseBytes());
        String requestText = Redaction.body(r.requestBody(), r.requestContentType());
        String requestBody = StoredBody.of(Redaction.isForm(r.requestContentType())
                ? secrets.withheldEncoded(requestText, '&') : secrets.withheld(requestText), false, r.requestBytes());
        byte[] head = r.responseBodyHead();
        boolean whole = head == null || head.length >= r.responseBytes();
        String responseBody = StoredBody.of(whole ? secrets.withheld(Redaction.body(head, null))
                : secrets.withheldHead(Redaction.head(head)), !whole, r.responseBytes());
        return new LogEntry(request, requestBody, responseBody, queued.bodiesDropped(), new Preconditions(
                sentText(r.preconditions().ifMatch()), sentText(r.preconditions().ifNoneMatch())));
    }

    /**
     * A header's value or the method as the log keeps them: an entity tag or a method is no secret, but a
     * client may send any token there (a method it sends is refused with 405, and kept).
     */
    private String sentText(String value) {
        return value == null ? null : Redaction.holdsIssuedSecret(value) ? Redaction.MARK
                : StoredBody.storable(secrets.withheld(value));
    }

    /**
     * A method as long as a filter takes at most: a client may send any token as its method, and the
     * method index refuses an entry of more than about 2.7 kB.
     */
    private static String indexable(String method) {
        return method.length() <= RequestFilter.MAX_TEXT ? method : method.substring(0, RequestFilter.MAX_TEXT);
    }

    /** Stops the writer, then stores what is still queued, while the database is still open. */
    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            running = writer;
        }
        closing = true;
        if (running != null) {
            try {
                running.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        while (writeBatch() > 0) {
            // until the queue is empty
        }
    }

    /** For log lines: never the entries. */
    @Override
    public String toString() {
        return "ProvisioningLogRecorder[queued=" + queue.size() + ", drops=" + drops() + "]";
    }

}
