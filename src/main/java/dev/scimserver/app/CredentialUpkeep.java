package dev.scimserver.app;

import dev.scimserver.access.CredentialCache;
import dev.scimserver.access.LastUseRecorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The credentials' housekeeping, off every request thread: the cache forgets answers too old to
 * give, and the last-use times go to the database in batches. A failure is logged and the next run
 * tries again; none reaches a SCIM answer.
 */
final class CredentialUpkeep implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CredentialUpkeep.class);
    private static final long PERIOD_SECONDS = 5;

    private final ScheduledExecutorService scheduler;
    private final LastUseRecorder lastUse;

    private CredentialUpkeep(ScheduledExecutorService scheduler, LastUseRecorder lastUse) {
        this.scheduler = scheduler;
        this.lastUse = lastUse;
    }

    static CredentialUpkeep start(CredentialCache cache, LastUseRecorder lastUse) {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "credential-upkeep");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(() -> quietly("forgetting stale credentials", cache::dropStale),
                PERIOD_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
        scheduler.scheduleWithFixedDelay(() -> quietly("recording when credentials were last used", lastUse::flush),
                PERIOD_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
        return new CredentialUpkeep(scheduler, lastUse);
    }

    private static void quietly(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.warn("{} failed; retried on the next run: {}", what, e.toString());
        }
    }

    /** Stops the schedule and writes the last uses still pending, while the database is still open. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        quietly("recording when credentials were last used", lastUse::flush);
    }
}
