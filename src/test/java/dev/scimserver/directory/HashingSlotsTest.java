package dev.scimserver.directory;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** No more passwords are hashed at once than the slots allow; the others wait their turn and are hashed. */
class HashingSlotsTest {

    @Test
    void aThirdCallerWaitsWhileTwoSlotsHash() throws Exception {
        CountDownLatch finish = new CountDownLatch(1);
        AtomicInteger hashing = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        HashingSlots slots = new HashingSlots(password -> {
            most.accumulateAndGet(hashing.incrementAndGet(), Math::max);
            try {
                finish.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            hashing.decrementAndGet();
            return "hash of " + password;
        }, 2);

        List<CompletableFuture<String>> callers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String password = "p" + i;
            callers.add(CompletableFuture.supplyAsync(() -> slots.hash(password)));
        }
        while (hashing.get() < 2 || slots.waiting() < 1) {
            Thread.onSpinWait();
        }
        assertThat(hashing.get()).as("two hash, the third waits").isEqualTo(2);
        finish.countDown();
        for (int i = 0; i < 3; i++) {
            assertThat(callers.get(i).get(30, TimeUnit.SECONDS)).isEqualTo("hash of p" + i);
        }
        assertThat(most.get()).isEqualTo(2);
    }

    @Test
    void aHasherWithoutASlotIsRefused() {
        assertThatThrownBy(() -> new HashingSlots(password -> password, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
