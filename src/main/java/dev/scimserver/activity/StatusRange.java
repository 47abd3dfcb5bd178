package dev.scimserver.activity;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The statuses a search asks for: a class ({@code 4xx}, {@code 2xx}) or one status ({@code 404}). */
public record StatusRange(int lowest, int highest) {
    private static final Pattern FORM = Pattern.compile("([1-5])(xx|\\d\\d)");

    /** {@link InvalidLogQueryException} for anything but {@code 1xx}..{@code 5xx} or a status from 100 to 599. */
    public static StatusRange parse(String text) {
        Matcher matcher = FORM.matcher(text == null ? "" : text.trim().toLowerCase(java.util.Locale.ROOT));
        if (!matcher.matches()) {
            throw new InvalidLogQueryException("status", "status must be a class such as 4xx or 5xx, or a status "
                    + "such as 404, not '" + text + "'");
        }
        int hundreds = Integer.parseInt(matcher.group(1)) * 100;
        if (matcher.group(2).equals("xx")) {
            return new StatusRange(hundreds, hundreds + 99);
        }
        int status = hundreds + Integer.parseInt(matcher.group(2));
        return new StatusRange(status, status);
    }
}
