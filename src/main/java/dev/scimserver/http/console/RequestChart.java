package dev.scimserver.http.console;

import dev.scimserver.activity.MinuteCount;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The overview's charts of a workspace's last day, drawn on the server as inline SVG (no script,
 * nothing the CSP refuses): requests per minute and the share of them that failed, each bar a
 * quarter of an hour (a minute's bar would be narrower than a pixel on a phone), split into
 * answered, client errors and server errors. Each bar's {@code <title>} gives its figures.
 */
final class RequestChart {
    static final int BUCKET_MINUTES = 15;
    static final int WIDTH = 720;
    static final int HEIGHT = 200;
    /** The margins hold the axis labels at a phone's size (console.css), six characters wide at the left. */
    static final int LEFT = 90;
    static final int RIGHT = 10;
    static final int TOP = 14;
    static final int BOTTOM = 32;
    /** A tick on the time axis every six hours. */
    private static final int BUCKETS_PER_TIME_TICK = 24;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final String[] KINDS = {"ok", "client-error", "server-error"};

    /** One quarter of an hour. */
    record Bucket(Instant start, long requests, long clientErrors, long serverErrors) {
        long answered() {
            return requests - clientErrors - serverErrors;
        }
    }

    /** A part of a bar: {@code kind} is {@code ok}, {@code client-error} or {@code server-error}. */
    record Segment(double y, double height, String kind) {
    }

    record Bar(double x, double width, List<Segment> segments, String label) {
    }

    record Tick(double position, String label) {
    }

    record Chart(String title, String description, List<Tick> valueTicks, List<Tick> timeTicks, List<Bar> bars) {
    }

    record Totals(long requests, long clientErrors, long serverErrors) {
        String errorRate() {
            return requests == 0 ? "—" : percent(100.0 * (clientErrors + serverErrors) / requests) + " %";
        }
    }

    record View(Chart rate, Chart errors, Totals totals) {
    }

    private RequestChart() {
    }

    /** Both charts of the 1,440 minutes {@code RequestRates.lastDay} gives, oldest first. */
    static View of(List<MinuteCount> minutes) {
        List<Bucket> buckets = buckets(minutes);
        Totals totals = new Totals(buckets.stream().mapToLong(Bucket::requests).sum(),
                buckets.stream().mapToLong(Bucket::clientErrors).sum(),
                buckets.stream().mapToLong(Bucket::serverErrors).sum());
        double peak = buckets.stream().mapToDouble(b -> perMinute(b.requests())).max().orElse(0);
        String until = buckets.isEmpty() ? "" : " until " + CLOCK.format(buckets.get(buckets.size() - 1).start()
                .plusSeconds(60L * BUCKET_MINUTES)) + " UTC";
        Chart rate = chart("Requests per minute", "Requests per minute, averaged over each quarter hour of the last "
                        + "24 hours" + until + "; highest " + figure(peak) + " per minute. " + totals.requests()
                        + " requests in all.", buckets, roundUp(peak), "",
                b -> new double[] {perMinute(b.answered()), perMinute(b.clientErrors()), perMinute(b.serverErrors())},
                b -> figure(perMinute(b.requests())) + " requests per minute");
        Chart errors = chart("Error rate", "Share of requests answered with a 4xx or 5xx status in each quarter "
                        + "hour of the last 24 hours" + until + "; " + totals.errorRate() + " over the day.", buckets,
                100, "%", RequestChart::errorShares, b -> b.requests() == 0 ? "no requests"
                        : percent(100.0 * (b.clientErrors() + b.serverErrors()) / b.requests()) + " % errors");
        return new View(rate, errors, totals);
    }

    static List<Bucket> buckets(List<MinuteCount> minutes) {
        List<Bucket> buckets = new ArrayList<>();
        for (int i = 0; i < minutes.size(); i += BUCKET_MINUTES) {
            List<MinuteCount> part = minutes.subList(i, Math.min(minutes.size(), i + BUCKET_MINUTES));
            buckets.add(new Bucket(part.get(0).minute(), part.stream().mapToLong(MinuteCount::requests).sum(),
                    part.stream().mapToLong(MinuteCount::clientErrors).sum(),
                    part.stream().mapToLong(MinuteCount::serverErrors).sum()));
        }
        return buckets;
    }

    private static Chart chart(String title, String description, List<Bucket> buckets, double top, String unit,
                               Function<Bucket, double[]> values, Function<Bucket, String> headline) {
        double plotWidth = WIDTH - LEFT - RIGHT;
        double plotHeight = HEIGHT - TOP - BOTTOM;
        double slot = buckets.isEmpty() ? plotWidth : plotWidth / buckets.size();
        List<Bar> bars = new ArrayList<>();
        List<Tick> timeTicks = new ArrayList<>();
        for (int i = 0; i < buckets.size(); i++) {
            Bucket bucket = buckets.get(i);
            double[] parts = values.apply(bucket);
            List<Segment> segments = new ArrayList<>();
            double base = 0;
            for (int k = 0; k < parts.length; k++) {
                if (parts[k] > 0) {
                    double y = TOP + plotHeight * (1 - (base + parts[k]) / top);
                    segments.add(new Segment(round(y), round(plotHeight * parts[k] / top), KINDS[k]));
                }
                base += parts[k];
            }
            double x = LEFT + i * slot;
            bars.add(new Bar(round(x), round(Math.max(slot - 1, 1)), segments, CLOCK.format(bucket.start()) + "–"
                    + CLOCK.format(bucket.start().plusSeconds(60L * BUCKET_MINUTES)) + " UTC: " + headline.apply(bucket)
                    + " (" + bucket.requests() + " requests, " + bucket.clientErrors() + " 4xx, "
                    + bucket.serverErrors() + " 5xx)"));
            if (i % BUCKETS_PER_TIME_TICK == 0) {
                timeTicks.add(new Tick(round(x), CLOCK.format(bucket.start())));
            }
        }
        timeTicks.add(new Tick(WIDTH - RIGHT, "now"));
        List<Tick> valueTicks = List.of(new Tick(TOP + plotHeight, "0"), new Tick(TOP + plotHeight / 2,
                figure(top / 2) + unit), new Tick(TOP, figure(top) + unit));
        return new Chart(title, description, valueTicks, timeTicks, bars);
    }

    /** The percentages of a quarter hour's requests that were client and server errors, as stacked parts. */
    private static double[] errorShares(Bucket bucket) {
        if (bucket.requests() == 0) {
            return new double[] {0, 0, 0};
        }
        return new double[] {0, 100.0 * bucket.clientErrors() / bucket.requests(),
                100.0 * bucket.serverErrors() / bucket.requests()};
    }

    private static double perMinute(long count) {
        return count / (double) BUCKET_MINUTES;
    }

    /** The axis' top: the peak rounded up to 1, 2 or 5 times a power of ten, so the ticks read easily. */
    static double roundUp(double peak) {
        if (peak <= 0) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(peak)));
        double leading = peak / power;
        double nice = leading <= 1 ? 1 : leading <= 2 ? 2 : leading <= 5 ? 5 : 10;
        return nice * power;
    }

    private static String figure(double value) {
        return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    private static String percent(double value) {
        return BigDecimal.valueOf(value).setScale(1, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    private static double round(double coordinate) {
        return Math.round(coordinate * 10) / 10.0;
    }
}
