package dev.scimserver.access;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Values read from the database and answered from memory while they are younger than a bound.
 * An entry's age counts from the moment its read began, so an entry never reflects the database
 * as it was more than {@code maxAge} before the moment it is answered from. Absent values are not
 * kept: a key an attacker makes up costs a lookup, but never memory.
 */
final class FreshEntries<K, V> {
    private record Entry<V>(V value, Instant readAt) {
    }

    private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();
    /** Moved by {@link #clear()}: a read that began before it keeps its answer for its own caller only. */
    private final AtomicLong generation = new AtomicLong();
    private final Duration maxAge;
    private final Clock clock;

    FreshEntries(Duration maxAge, Clock clock) {
        this.maxAge = maxAge;
        this.clock = clock;
    }

    Optional<V> get(K key, Function<K, Optional<V>> read) {
        Instant now = clock.instant();
        Entry<V> entry = entries.get(key);
        if (entry != null && isFresh(entry, now)) {
            return Optional.of(entry.value());
        }
        long readIn = generation.get();
        Optional<V> value = read.apply(key);
        if (value.isEmpty()) {
            entries.remove(key);
        } else if (generation.get() == readIn) {
            entries.put(key, new Entry<>(value.get(), now));
            if (generation.get() != readIn) {
                // A clear ran between the check and the put: the entry may predate it.
                entries.remove(key);
            }
        }
        return value;
    }

    /** Forgets every entry: what this process just changed is read again at once, not after the bound. */
    void clear() {
        generation.incrementAndGet();
        entries.clear();
    }

    /** Forgets the entries too old to be answered, so that credentials no longer used take no memory. */
    void dropStale() {
        Instant now = clock.instant();
        entries.values().removeIf(entry -> !isFresh(entry, now));
    }

    /** Younger than the bound, and not from the future: a clock set back must not stretch an entry's life. */
    private boolean isFresh(Entry<V> entry, Instant now) {
        return !now.isBefore(entry.readAt()) && now.isBefore(entry.readAt().plus(maxAge));
    }
}
