package dev.scimserver.activity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A workspace's requests per minute over the last day, as the provisioning log's writer counted them:
 * the console's chart.
 */
public final class RequestRates {
    public static final Duration WINDOW = Duration.ofHours(24);

    private final ProvisioningLogStore store;
    private final Clock clock;

    public RequestRates(ProvisioningLogStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * One count per minute of the last 24 hours, oldest first, the current minute last: 1,440 of them,
     * minutes without requests included with zeros, so that a chart needs no gaps filled.
     */
    public List<MinuteCount> lastDay(UUID workspaceId) {
        Instant current = clock.instant().truncatedTo(ChronoUnit.MINUTES);
        Instant first = current.minus(WINDOW).plus(1, ChronoUnit.MINUTES);
        Map<Instant, MinuteCount> counted = new HashMap<>();
        for (MinuteCount count : store.minuteCounts(workspaceId, first)) {
            counted.put(count.minute(), count);
        }
        List<MinuteCount> minutes = new ArrayList<>((int) WINDOW.toMinutes());
        for (Instant minute = first; !minute.isAfter(current); minute = minute.plus(1, ChronoUnit.MINUTES)) {
            minutes.add(counted.getOrDefault(minute, new MinuteCount(minute, 0, 0, 0)));
        }
        return minutes;
    }
}
