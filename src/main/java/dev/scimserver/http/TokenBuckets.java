package dev.scimserver.http;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Token buckets by key (a client address, a credential): each holds at most {@code capacity}
 * tokens and refills continuously at {@code perSecond}. Answers in whole seconds because that is
 * what {@code Retry-After} carries and what Okta and Entra honour.
 *
 * <p>The map is bounded: a flood of distinct keys (rotating IPv6 addresses) first loses the
 * buckets that are full again, which is no loss since a full bucket is the state of a new key;
 * past that it is cleared, failing open rather than growing without end.
 */
final class TokenBuckets {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final double capacity;
    private final double perNano;
    private final int maxKeys;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

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
        return bucket(key).take(nanoTime.getAsLong(), true);
    }

    /** Like {@link #take} without taking: 0 when a token is there now. */
    long secondsUntilToken(String key) {
        Bucket bucket = buckets.get(key);
        return bucket == null ? 0 : bucket.take(nanoTime.getAsLong(), false);
    }

    private Bucket bucket(String key) {
        Bucket bucket = buckets.get(key);
        if (bucket != null) {
            return bucket;
        }
        if (buckets.size() >= maxKeys) {
            long now = nanoTime.getAsLong();
            buckets.values().removeIf(b -> b.isFull(now));
            if (buckets.size() >= maxKeys) {
                buckets.clear();
            }
        }
        return buckets.computeIfAbsent(key, k -> new Bucket(capacity, nanoTime.getAsLong()));
    }

    private final class Bucket {
        private double tokens;
        private long updated;

        Bucket(double tokens, long updated) {
            this.tokens = tokens;
            this.updated = updated;
        }

        synchronized long take(long now, boolean consume) {
            refill(now);
            if (tokens >= 1) {
                if (consume) {
                    tokens -= 1;
                }
                return 0;
            }
            double nanosToToken = (1 - tokens) / perNano;
            return Math.max(1, (long) Math.ceil(nanosToToken / NANOS_PER_SECOND));
        }

        synchronized boolean isFull(long now) {
            refill(now);
            return tokens >= capacity;
        }

        private void refill(long now) {
            long elapsed = Math.max(0, now - updated);
            tokens = Math.min(capacity, tokens + elapsed * perNano);
            updated = now;
        }
    }
}
