package dev.scimserver.events;

import java.time.Duration;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * When a failed delivery is tried again: a list of delays, the last one repeating, each stretched or
 * shrunk by up to {@link #JITTER} at random so that the retries of many events failing together (a
 * receiver down) do not arrive together when it comes back. A delivery failing for {@link #GIVE_UP}
 * is dead; a subscription failing that long is paused.
 */
public final class RetrySchedule {
    public static final Duration GIVE_UP = Duration.ofHours(24);
    static final double JITTER = 0.2;
    /** Quick at first (a receiver restarting), then hourly-ish: about twenty attempts in 24 hours. */
    public static final List<Duration> DELAYS = List.of(Duration.ofSeconds(5), Duration.ofSeconds(30),
            Duration.ofMinutes(2), Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofHours(1),
            Duration.ofHours(2));

    private final List<Duration> delays;
    private final DoubleSupplier random;

    /** {@code random} in [0, 1). */
    public RetrySchedule(List<Duration> delays, DoubleSupplier random) {
        if (delays.isEmpty()) {
            throw new IllegalArgumentException("a retry schedule needs at least one delay");
        }
        this.delays = List.copyOf(delays);
        this.random = random;
    }

    public static RetrySchedule standard() {
        return new RetrySchedule(DELAYS, Math::random);
    }

    /** The delay after the {@code failures}-th failed attempt (1 for the first). */
    public Duration delayAfter(int failures) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures < 1: " + failures);
        }
        Duration base = delays.get(Math.min(failures, delays.size()) - 1);
        double factor = 1 - JITTER + 2 * JITTER * random.getAsDouble();
        return Duration.ofMillis(Math.round(base.toMillis() * factor));
    }
}
