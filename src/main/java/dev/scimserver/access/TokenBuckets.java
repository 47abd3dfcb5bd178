package dev.scimserver.access;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.function.LongSupplier;

/**
 * Token buckets by key (a client address, a credential): each holds at most {@code capacity}
 * tokens and refills continuously at {@code perSecond}. Answers in whole seconds because that is
 * what {@code Retry-After} carries and what Okta and Entra honour.
 *
 * <p>Taking a token is one atomic step, so concurrent requests can never take more tokens than a
 * bucket holds. A bucket that a give-back fills again leaves the table: a full bucket is the state
 * of a key never seen.
 *
 * <p>The table is bounded. When a new key finds it full, the least recently active bucket is
 * forgotten, and only that one. Clearing the table would unthrottle every guesser at once; refusing
 * new keys would let whoever fills the table (rotating addresses are cheap) lock out every client
 * not yet in it. The bucket that has waited longest since its last attempt has refilled the most,
 * and the only keys that a flood of new keys can push out are those that have been quiet while it
 * lasted; a key in use keeps its place.
 */
final class TokenBuckets {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final double capacity;
    private final double perNano;
    private final int maxKeys;
    private final LongSupplier nanoTime;
    /** In access order, eldest first: the eviction order. Guarded by itself. */
    private final LinkedHashMap<String, Bucket> buckets = new LinkedHashMap<>(16, 0.75f, true);

    TokenBuckets(double capacity, double perSecond, int maxKeys, LongSupplier nanoTime) {
        if (capacity < 1 || perSecond <= 0 || maxKeys < 1) {
            throw new IllegalArgumentException("capacity < 1 or perSecond <= 0 or maxKeys < 1: " + capacity + ", "
                    + perSecond + ", " + maxKeys);
        }
        this.capacity = capacity;
        this.perNano = perSecond / NANOS_PER_SECOND;
        this.maxKeys = maxKeys;
        this.nanoTime = nanoTime;
    }

    /** Takes one token: 0 when there was one, otherwise the whole seconds (at least 1) until there will be. */
    long take(String key) {
        synchronized (buckets) {
            long now = nanoTime.getAsLong();
            Bucket bucket = buckets.get(key);
            if (bucket == null) {
                if (buckets.size() >= maxKeys) {
                    Iterator<Bucket> eldest = buckets.values().iterator();
                    eldest.next();
                    eldest.remove();
                }
                bucket = new Bucket(capacity, now);
                buckets.put(key, bucket);
            }
            return bucket.take(now);
        }
    }

    /** Returns a token taken by {@link #take} that was not spent after all. */
    void giveBack(String key) {
        synchronized (buckets) {
            long now = nanoTime.getAsLong();
            Bucket bucket = buckets.get(key);
            if (bucket != null && bucket.giveBack(now)) {
                buckets.remove(key);
            }
        }
    }

    /** 0 when a token is there now, otherwise the whole seconds until there will be; takes nothing. */
    long secondsUntilToken(String key) {
        synchronized (buckets) {
            long now = nanoTime.getAsLong();
            Bucket bucket = buckets.get(key);
            return bucket == null ? 0 : bucket.secondsUntilToken(now);
        }
    }

    /** One key's tokens; only touched under the table's lock, with the time read under it. */
    private final class Bucket {
        private double tokens;
        private long updated;

        Bucket(double tokens, long updated) {
            this.tokens = tokens;
            this.updated = updated;
        }

        long take(long now) {
            long wait = secondsUntilToken(now);
            if (wait == 0) {
                tokens -= 1;
            }
            return wait;
        }

        /** Whether the bucket is full afterwards. */
        boolean giveBack(long now) {
            refill(now);
            tokens = Math.min(capacity, tokens + 1);
            return tokens >= capacity;
        }

        long secondsUntilToken(long now) {
            refill(now);
            if (tokens >= 1) {
                return 0;
            }
            double nanosToToken = (1 - tokens) / perNano;
            return Math.max(1, (long) Math.ceil(nanosToToken / NANOS_PER_SECOND));
        }

        private void refill(long now) {
            long elapsed = Math.max(0, now - updated);
            tokens = Math.min(capacity, tokens + elapsed * perNano);
            updated = now;
        }
    }
}
