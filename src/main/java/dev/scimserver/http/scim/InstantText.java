package dev.scimserver.http.scim;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * An instant as the text {@link Instant#toString()} gives it (ISO 8601 in UTC, the fraction in
 * groups of three digits as needed), written without a formatter. Every resource's meta carries two,
 * and {@code Instant.toString} builds a print context, a date-time and a builder for each: in the
 * export's profile it was the renderer's hottest frame. Years outside 0000-9999, which it writes
 * with a sign or more digits, are left to it.
 */
final class InstantText {
    /** 0000-01-01T00:00:00Z and 10000-01-01T00:00:00Z, in seconds from the epoch. */
    private static final long FIRST_SECOND = -62_167_219_200L;
    private static final long PAST_LAST_SECOND = 253_402_300_800L;
    private static final int SECONDS_PER_DAY = 86_400;
    /** The days from 0000-03-01 to the epoch: the date arithmetic counts years from March. */
    private static final long DAYS_FROM_MARCH_ZERO = 719_468;
    private static final int DAYS_PER_400_YEARS = 146_097;
    /** "yyyy-mm-ddThh:mm:ss.nnnnnnnnnZ" */
    private static final int LONGEST = 30;

    private InstantText() {
    }

    static String of(Instant instant) {
        byte[] text = new byte[LONGEST];
        int length = write(instant, text);
        return length < 0 ? instant.toString() : new String(text, 0, length, StandardCharsets.US_ASCII);
    }

    /**
     * Writes the instant's text as a string value. {@code out} writes bytes (a generator over an output
     * stream): the text is ASCII with nothing to escape, so it goes out as it is.
     */
    static void write(JsonGenerator out, Instant instant) throws IOException {
        byte[] text = new byte[LONGEST];
        int length = write(instant, text);
        if (length < 0) {
            out.writeString(instant.toString());
        } else {
            out.writeRawUTF8String(text, 0, length);
        }
    }

    /** The text's length in {@code text}, or -1 for a year outside 0000-9999. */
    private static int write(Instant instant, byte[] text) {
        long seconds = instant.getEpochSecond();
        if (seconds < FIRST_SECOND || seconds >= PAST_LAST_SECOND) {
            return -1;
        }
        long days = Math.floorDiv(seconds, SECONDS_PER_DAY);
        int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
        // The civil date of a day count, with years that start on 1 March so that the leap day ends one.
        long fromMarchZero = days + DAYS_FROM_MARCH_ZERO;
        long era = Math.floorDiv(fromMarchZero, DAYS_PER_400_YEARS);
        int dayOfEra = (int) (fromMarchZero - era * DAYS_PER_400_YEARS);
        int yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / (DAYS_PER_400_YEARS - 1)) / 365;
        int dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        int monthFromMarch = (5 * dayOfYear + 2) / 153;
        int day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1;
        int month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
        int year = (int) (era * 400 + yearOfEra + (month <= 2 ? 1 : 0));

        digits(text, 0, year, 4);
        text[4] = '-';
        digits(text, 5, month, 2);
        text[7] = '-';
        digits(text, 8, day, 2);
        text[10] = 'T';
        digits(text, 11, secondOfDay / 3600, 2);
        text[13] = ':';
        digits(text, 14, secondOfDay / 60 % 60, 2);
        text[16] = ':';
        digits(text, 17, secondOfDay % 60, 2);
        int at = 19;
        int nano = instant.getNano();
        if (nano != 0) {
            text[at++] = '.';
            if (nano % 1_000_000 == 0) {
                at = digits(text, at, nano / 1_000_000, 3);
            } else if (nano % 1_000 == 0) {
                at = digits(text, at, nano / 1_000, 6);
            } else {
                at = digits(text, at, nano, 9);
            }
        }
        text[at++] = 'Z';
        return at;
    }

    /** Writes {@code value} in {@code count} decimal digits, zero-padded, at {@code at}; returns where they end. */
    private static int digits(byte[] text, int at, int value, int count) {
        int rest = value;
        for (int i = at + count - 1; i >= at; i--) {
            text[i] = (byte) ('0' + rest % 10);
            rest /= 10;
        }
        return at + count;
    }
}
