package dev.scimserver.app;

import dev.scimserver.access.CredentialCache;
import dev.scimserver.access.LastUseRecorder;
import dev.scimserver.access.SigningKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The credentials' housekeeping, off every request thread: the cache forgets answers too old to
 * give, the last-use times go to the database in batches, and every hour the signing keys are
 * rotated when the active one is {@link SigningKeys#ROTATION_AGE} old and the retired keys no token
 * can need any more are deleted (every process does it; the database makes sure one rotation
 * happens). A failure is logged and the next run tries again; none reaches a SCIM answer.
 */
final class CredentialUpkeep implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CredentialUpkeep.class);
    private static final long PERIOD_SECONDS = 5;
    /** A rotation comes due once a month: an hour's delay in it, or in deleting a retired key, costs nothing. */
    private static final long KEY_PERIOD_SECONDS = 3600;
    /** Not during startup, which has just made sure of an active key. */
    private static final long KEY_FIRST_DELAY_SECONDS = 60;

    private final ScheduledExecutorService scheduler;
    private final LastUseRecorder lastUse;

    private CredentialUpkeep(ScheduledExecutorService scheduler, LastUseRecorder lastUse) {
        this.scheduler = scheduler;
        this.lastUse = lastUse;
    }

    static CredentialUpkeep start(CredentialCache cache, LastUseRecorder lastUse, SigningKeys keys) {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "credential-upkeep");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(() -> quietly("forgetting stale credentials", cache::dropStale),
                PERIOD_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
        scheduler.scheduleWithFixedDelay(() -> quietly("recording when credentials were last used", lastUse::flush),
                PERIOD_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
        scheduler.scheduleWithFixedDelay(() -> quietly("rotating and pruning the signing keys", () -> {
            keys.rotateWhenDue().ifPresent(kid -> LOG.info("signing key rotated; the new key is {}", kid));
            int pruned = keys.prune();
            if (pruned > 0) {
                LOG.info("{} retired signing key(s) deleted: no unexpired token can need them", pruned);
            }
        }), KEY_FIRST_DELAY_SECONDS, KEY_PERIOD_SECONDS, TimeUnit.SECONDS);
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
