package dev.scimserver.access;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The table under the throttles, on a clock the test moves. */
class TokenBucketsTest {
    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong clock = new AtomicLong();

    private TokenBuckets buckets(int capacity, int maxKeys) {
        return new TokenBuckets(capacity, 1.0 / 3, maxKeys, clock::get);
    }

    @Test
    void anEmptyBucketAnswersTheWholeSecondsUntilItsNextToken() {
        TokenBuckets buckets = buckets(1, 10);
        assertThat(buckets.take("a")).isZero();
        assertThat(buckets.take("a")).isEqualTo(3);
        clock.addAndGet(SECOND + 1);
        assertThat(buckets.secondsUntilToken("a")).isEqualTo(2);
        clock.addAndGet(2 * SECOND);
        assertThat(buckets.take("a")).isZero();
    }

    @Test
    void aFullTableForgetsOnlyTheLeastRecentlyActiveKeyNotEveryone() {
        TokenBuckets buckets = buckets(1, 3);
        for (String key : List.of("a", "b", "c")) {
            assertThat(buckets.take(key)).isZero();
        }
        assertThat(buckets.take("a")).isPositive();

        assertThat(buckets.take("d")).as("a new key is still counted").isZero();

        assertThat(buckets.secondsUntilToken("a")).as("active: still throttled").isPositive();
        assertThat(buckets.secondsUntilToken("c")).as("still throttled").isPositive();
        assertThat(buckets.secondsUntilToken("d")).isPositive();
        assertThat(buckets.secondsUntilToken("b")).as("the quietest one is forgotten").isZero();
    }

    @Test
    void concurrentTakesNeverGetMoreTokensThanTheBucketHolds() throws Exception {
        TokenBuckets buckets = buckets(20, 10);
        assertThat(grantedOf(200, () -> buckets.take("a") == 0)).isEqualTo(20);
    }

    @Test
    void aTokenGivenBackCanBeTakenAgainAndAFullBucketIsANewKey() {
        TokenBuckets buckets = buckets(2, 1);
        for (int i = 0; i < 100; i++) {
            assertThat(buckets.take("a")).isZero();
            buckets.giveBack("a");
        }
        // Full again, "a" left the table, so "b" displaces nobody.
        assertThat(buckets.take("b")).isZero();
        assertThat(buckets.take("a")).isZero();
        assertThat(buckets.take("a")).isZero();
        assertThat(buckets.take("a")).isPositive();
        buckets.giveBack("a");
        assertThat(buckets.take("a")).isZero();
        buckets.giveBack("a");
        buckets.giveBack("a");
        buckets.giveBack("a");
        assertThat(buckets.take("a")).isZero();
        assertThat(buckets.take("a")).isZero();
        assertThat(buckets.take("a")).as("give-backs never fill past the capacity").isPositive();
    }

    /** Runs {@code attempts} tries at once and counts the granted ones. */
    static int grantedOf(int attempts, java.util.concurrent.Callable<Boolean> attempt) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(32);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return attempt.call();
                }));
            }
            start.countDown();
            int granted = 0;
            for (Future<Boolean> result : results) {
                granted += result.get() ? 1 : 0;
            }
            return granted;
        } finally {
            pool.shutdownNow();
        }
    }
}
