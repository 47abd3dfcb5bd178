package dev.scimserver.events;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The retry schedule is data: the delays, the last one repeating, and the jitter's bounds. */
class RetryScheduleTest {
    private static final List<Duration> DELAYS = List.of(Duration.ofSeconds(10), Duration.ofSeconds(100));

    @Test
    void theDelaysComeInOrderAndTheLastRepeats() {
        RetrySchedule middle = new RetrySchedule(DELAYS, () -> 0.5);
        assertThat(List.of(middle.delayAfter(1), middle.delayAfter(2), middle.delayAfter(3), middle.delayAfter(50)))
                .containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(100), Duration.ofSeconds(100),
                        Duration.ofSeconds(100));
    }

    @Test
    void jitterStretchesOrShrinksEachDelayByAFifthAtMost() {
        assertThat(new RetrySchedule(DELAYS, () -> 0.0).delayAfter(1)).isEqualTo(Duration.ofSeconds(8));
        assertThat(new RetrySchedule(DELAYS, () -> 0.999_999).delayAfter(1)).isEqualTo(Duration.ofSeconds(12));
    }

    @Test
    void theStandardScheduleStartsQuicklyAndGivesUpAfterADay() {
        assertThat(RetrySchedule.DELAYS.get(0)).isLessThanOrEqualTo(Duration.ofSeconds(5));
        assertThat(RetrySchedule.DELAYS).isSorted();
        assertThat(RetrySchedule.GIVE_UP).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void aScheduleNeedsADelayAndCountsFailuresFromOne() {
        assertThatThrownBy(() -> new RetrySchedule(List.of(), () -> 0.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetrySchedule(DELAYS, () -> 0.5).delayAfter(0))
                .hasMessage("failures < 1: 0");
    }
}
