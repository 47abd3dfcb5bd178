package dev.scimserver.app;

import dev.scimserver.activity.LogRetention;
import dev.scimserver.activity.LogUpkeepException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The provisioning log's and the metrics' housekeeping, off every request thread (once at start, before
 * the server takes requests): at start and every
 * hour the log's partitions for the days ahead are made and the days out of retention dropped (every
 * process does it, one at a time (V33): a second one finds the first's work done), and every half minute
 * the metrics relearn the workspaces' slugs. A failure is logged and the next run tries again.
 */
final class ActivityUpkeep implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ActivityUpkeep.class);
    private static final long RETENTION_PERIOD_MINUTES = 60;
    private static final long LABELS_PERIOD_SECONDS = 30;

    private final ScheduledExecutorService scheduler;

    private ActivityUpkeep(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    static ActivityUpkeep start(LogRetention retention, Runnable refreshLabels) {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "activity-upkeep");
            thread.setDaemon(true);
            return thread;
        });
        Runnable keepPartitions = () -> quietly("keeping the provisioning log's partitions", () -> {
            int dropped = retention.run();
            if (dropped > 0) {
                LOG.info("{} day(s) of the provisioning log dropped: older than SCIM_LOG_RETENTION_DAYS", dropped);
            }
        });
        Runnable learnSlugs = () -> quietly("reading the workspaces for the metrics", refreshLabels);
        // Once before the first request: today's partition may be missing after days down, and the
        // first requests' metrics should carry their workspace's slug.
        keepPartitions.run();
        learnSlugs.run();
        scheduler.scheduleWithFixedDelay(keepPartitions, RETENTION_PERIOD_MINUTES, RETENTION_PERIOD_MINUTES,
                TimeUnit.MINUTES);
        scheduler.scheduleWithFixedDelay(learnSlugs, LABELS_PERIOD_SECONDS, LABELS_PERIOD_SECONDS, TimeUnit.SECONDS);
        return new ActivityUpkeep(scheduler);
    }

    private static void quietly(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            // An Error too: the scheduler would cancel every later run of a task that threw one, and
            // two days later no partition would be there for the log's entries.
            LOG.warn("{} failed; retried on the next run: {}", what,
                    e instanceof LogUpkeepException ? e.getMessage() : e.getClass().getName());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
