package dev.scimserver.http.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimserver.directory.Member;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** How the templates show times and figures: the same way on every page. */
final class Show {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'",
            Locale.ROOT).withZone(ZoneOffset.UTC);

    private Show() {
    }

    /**
     * The name a member goes by: its displayName, else its formatted name, else its given and family
     * names, as many as it has; {@code null} when it has none. ToolJet's users carry the two names and
     * often no displayName, and a list of userNames alone does not tell people apart.
     */
    static String name(Member member) {
        if (member.displayName() != null && !member.displayName().isBlank()) {
            return member.displayName();
        }
        JsonNode name = member.attributes().path("name");
        String formatted = name.path("formatted").textValue();
        if (formatted != null && !formatted.isBlank()) {
            return formatted;
        }
        String parts = Stream.of(name.path("givenName").textValue(), name.path("familyName").textValue())
                .filter(part -> part != null && !part.isBlank()).collect(Collectors.joining(" "));
        return parts.isEmpty() ? null : parts;
    }

    /** A time to the minute in UTC; {@code none} when there is no time. */
    static String time(Instant instant, String none) {
        return instant == null ? none : TIME.format(instant);
    }

    /** A time to the second in UTC, as the log's entries are told apart. */
    static String second(Instant instant) {
        return SECOND.format(instant);
    }

    /** A duration kept in microseconds, in milliseconds with one decimal. */
    static String millis(long micros) {
        return String.format(Locale.ROOT, "%,.1f ms", micros / 1000.0);
    }

    /** A machine-readable time for {@code <time datetime>}. */
    static String isoTime(Instant instant) {
        return instant == null ? "" : instant.toString();
    }

    /**
     * The whole days from {@code created} to {@code expires}, rounded up, as a rotation's form offers
     * them so that the next credential keeps the lifetime of the one it replaces; empty for no expiry.
     */
    static String lifetimeDays(Instant created, Instant expires) {
        if (created == null || expires == null) {
            return "";
        }
        long seconds = Math.max(1, Duration.between(created, expires).toSeconds());
        return Long.toString(Math.min(FormInput.MAX_EXPIRY_DAYS, (seconds + 86_399) / 86_400));
    }

    static String count(long figure) {
        return String.format(Locale.ROOT, "%,d", figure);
    }

    /** The words after a count of {@code noun}s that match: "user matches" for one, "users match" otherwise. */
    static String matching(long figure, String noun) {
        return figure == 1 ? noun + " matches" : noun + "s match";
    }
}
