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

    /** A hasher whose every call takes a slot until {@code finish}, counting the calls under way. */
    private static final class HeldHasher implements PasswordHasher {
        final CountDownLatch finish = new CountDownLatch(1);
        final AtomicInteger busy = new AtomicInteger();
        final AtomicInteger most = new AtomicInteger();

        @Override
        public String hash(String password) {
            hold();
            return "hash of " + password;
        }

        @Override
        public boolean matches(String password, String hash) {
            hold();
            return hash.equals("hash of " + password);
        }

        private void hold() {
            most.accumulateAndGet(busy.incrementAndGet(), Math::max);
            try {
                finish.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            busy.decrementAndGet();
        }
    }

    /** A password checked against its hash costs what a hash costs: it takes a slot as a hash does. */
    @Test
    void aThirdCallerWaitsWhileTwoSlotsHashOrCheck() throws Exception {
        HeldHasher held = new HeldHasher();
        HashingSlots slots = new HashingSlots(held, 2);

        List<CompletableFuture<String>> callers = new ArrayList<>();
        callers.add(CompletableFuture.supplyAsync(() -> slots.hash("p0")));
        callers.add(CompletableFuture.supplyAsync(() -> Boolean.toString(slots.matches("p1", "hash of p1"))));
        callers.add(CompletableFuture.supplyAsync(() -> slots.hash("p2")));
        while (held.busy.get() < 2 || slots.waiting() < 1) {
            Thread.onSpinWait();
        }
        assertThat(held.busy.get()).as("two hold a slot, the third waits").isEqualTo(2);
        held.finish.countDown();
        assertThat(callers.get(0).get(30, TimeUnit.SECONDS)).isEqualTo("hash of p0");
        assertThat(callers.get(1).get(30, TimeUnit.SECONDS)).isEqualTo("true");
        assertThat(callers.get(2).get(30, TimeUnit.SECONDS)).isEqualTo("hash of p2");
        assertThat(held.most.get()).isEqualTo(2);
    }

    @Test
    void aHasherWithoutASlotIsRefused() {
        assertThatThrownBy(() -> new HashingSlots(new HeldHasher(), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
