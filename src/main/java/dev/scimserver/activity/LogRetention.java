package dev.scimserver.activity;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * How long the provisioning log keeps its entries ({@code SCIM_LOG_RETENTION_DAYS}) and the upkeep
 * that makes it so: the log is kept in one partition per day (UTC), so old entries leave a whole day
 * at a time, with its partition, at no cost to the database, and the chart's counts of that day's
 * minutes with them; and the days ahead get their partitions before their first request. Entries live
 * at least {@code days} days, at most one day more.
 */
public final class LogRetention {
    /** Partitions made ahead: a day without upkeep (the database down at midnight) loses nothing. */
    static final int DAYS_AHEAD = 2;

    private final ProvisioningLogStore store;
    private final int days;
    private final Clock clock;

    public LogRetention(ProvisioningLogStore store, int days, Clock clock) {
        if (days < 1) {
            throw new IllegalArgumentException("days < 1: " + days);
        }
        this.store = store;
        this.days = days;
        this.clock = clock;
    }

    /** Makes the partitions ahead and drops the days out of retention; answers how many days it dropped. */
    public int run() {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        return store.upkeep(today, DAYS_AHEAD, today.minusDays(days));
    }
}
