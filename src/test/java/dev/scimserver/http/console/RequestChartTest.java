package dev.scimserver.http.console;

import dev.scimserver.activity.MinuteCount;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The overview's charts: a day's minutes in quarter hours, bars stacked by outcome, an axis that reads easily. */
class RequestChartTest {
    private static final Instant START = Instant.parse("2026-12-01T00:01:00Z");

    private static List<MinuteCount> day(int busyMinute, long requests, long clientErrors, long serverErrors) {
        List<MinuteCount> minutes = new ArrayList<>();
        for (int i = 0; i < 1440; i++) {
            Instant minute = START.plus(i, ChronoUnit.MINUTES);
            minutes.add(i == busyMinute ? new MinuteCount(minute, requests, clientErrors, serverErrors)
                    : new MinuteCount(minute, 0, 0, 0));
        }
        return minutes;
    }

    @Test
    void theDayIsNinetySixQuarterHoursAndItsTotals() {
        RequestChart.View view = RequestChart.of(day(1439, 30, 6, 3));
        assertThat(view.rate().bars()).hasSize(96);
        assertThat(view.totals()).isEqualTo(new RequestChart.Totals(30, 6, 3));
        assertThat(view.totals().errorRate()).isEqualTo("30 %");
        assertThat(RequestChart.buckets(day(20, 5, 1, 0)).get(1))
                .isEqualTo(new RequestChart.Bucket(START.plus(15, ChronoUnit.MINUTES), 5, 1, 0));
    }

    @Test
    void theBusiestBarIsStackedByOutcomeUpToItsTotal() {
        RequestChart.View view = RequestChart.of(day(1439, 30, 6, 3));
        RequestChart.Bar last = view.rate().bars().get(95);
        assertThat(last.segments()).extracting(RequestChart.Segment::kind)
                .containsExactly("ok", "client-error", "server-error");
        // 30 requests in a quarter hour are 2 a minute: the axis' top, the whole plot's height.
        double plot = RequestChart.HEIGHT - RequestChart.TOP - RequestChart.BOTTOM;
        assertThat(last.segments().stream().mapToDouble(RequestChart.Segment::height).sum()).isCloseTo(plot,
                within(0.2));
        assertThat(last.label()).contains("2 requests per minute").contains("30 requests, 6 4xx, 3 5xx");
        assertThat(view.errors().bars().get(95).label()).contains("30 % errors");
        assertThat(view.rate().bars().get(0).segments()).isEmpty();
    }

    @Test
    void theAxisTopIsOneTwoOrFiveTimesAPowerOfTen() {
        assertThat(RequestChart.roundUp(0)).isEqualTo(1);
        assertThat(RequestChart.roundUp(0.07)).isCloseTo(0.1, within(1e-9));
        assertThat(RequestChart.roundUp(2)).isEqualTo(2);
        assertThat(RequestChart.roundUp(2.1)).isEqualTo(5);
        assertThat(RequestChart.roundUp(51)).isEqualTo(100);
        assertThat(RequestChart.roundUp(1234)).isEqualTo(2000);
    }
}
