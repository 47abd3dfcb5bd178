package dev.scimserver.access;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Last-use times of credentials, noted in memory on the request thread (no I/O there) and written
 * by {@link #flush()} from a background thread, at most once a minute per credential: a busy
 * identity provider's thousands of requests a minute cost one write, not thousands. A failed write
 * keeps its times for the next flush; it is logged, never passed to a request.
 */
public final class LastUseRecorder {
    /** How far behind a stored last-use time may lag. */
    public static final Duration WRITE_INTERVAL = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(LastUseRecorder.class);

    private record Used(CredentialKind kind, String id) {
    }

    private final LastUseStore store;
    private final Clock clock;
    private final Map<Used, Instant> pending = new ConcurrentHashMap<>();
    /** When each credential's time was last written, for the credentials written within the interval. */
    private final Map<Used, Instant> written = new ConcurrentHashMap<>();

    public LastUseRecorder(LastUseStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Notes a use now; cheap enough for every request. */
    void record(CredentialKind kind, UUID id) {
        note(new Used(kind, id.toString()));
    }

    /** Notes a use now of the environment's credential {@code name} ({@link EnvironmentCredentials#credential}). */
    public void recordEnvironment(String name) {
        note(new Used(CredentialKind.ENVIRONMENT, name));
    }

    private void note(Used used) {
        pending.merge(used, clock.instant(), (a, b) -> a.isAfter(b) ? a : b);
    }

    /**
     * Writes the uses noted since the last write of each credential whose last write is at least
     * {@link #WRITE_INTERVAL} old; the others wait. Call it every few seconds from one background
     * thread, and once at shutdown.
     */
    public synchronized void flush() {
        Instant now = clock.instant();
        List<LastUse> due = new ArrayList<>();
        for (Map.Entry<Used, Instant> use : pending.entrySet()) {
            Instant last = written.get(use.getKey());
            boolean mayWrite = last == null || !now.isBefore(last.plus(WRITE_INTERVAL));
            // A use noted meanwhile replaced the entry: it stays for the next flush.
            if (mayWrite && pending.remove(use.getKey(), use.getValue())) {
                due.add(new LastUse(use.getKey().kind(), use.getKey().id(), use.getValue()));
            }
        }
        written.values().removeIf(last -> !now.isBefore(last.plus(WRITE_INTERVAL)));
        if (due.isEmpty()) {
            return;
        }
        try {
            store.recordLastUse(due);
            due.forEach(use -> written.put(new Used(use.kind(), use.id()), now));
        } catch (RuntimeException e) {
            due.forEach(use -> pending.merge(new Used(use.kind(), use.id()), use.at(), (a, b) -> a.isAfter(b) ? a : b));
            // The exception's class only: a driver's message can carry the statement's bound values.
            LOG.warn("could not write the last-use times of {} credentials; kept for the next attempt: {}",
                    due.size(), e.getClass().getName());
        }
    }
}
