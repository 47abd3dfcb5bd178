package dev.scimserver.http.console;

import dev.scimserver.scim.AsciiDigits;
import io.javalin.http.Context;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** What the console's forms send, read as the services take it; a value that cannot be one is the operator's 400. */
final class FormInput {
    /** An expiry, in whole days from now: far enough for a yearly rotation and some slack. */
    static final int MAX_EXPIRY_DAYS = 3650;

    /** A form value that cannot be what its field asks for. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    private FormInput() {
    }

    /** The field's value, or {@code null} when it is absent or blank. */
    static String optional(Context ctx, String field) {
        String value = ctx.formParam(field);
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** A query parameter, or {@code null} when it is absent or blank. */
    static String query(Context ctx, String name) {
        String value = ctx.queryParam(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** An id the console's own links carry; anything else was typed by hand. */
    static UUID uuid(String value, String what) {
        try {
            UUID parsed = UUID.fromString(value);
            if (parsed.toString().equalsIgnoreCase(value)) {
                return parsed;
            }
        } catch (IllegalArgumentException e) {
            // Falls through to the refusal.
        }
        throw new Refused("That is no " + what + " id.");
    }

    /** {@code expiresInDays} as an instant after {@code now}; {@code null} (no expiry) when blank. */
    static Instant expiry(Context ctx, Instant now) {
        String days = optional(ctx, "expiresInDays");
        if (days == null) {
            return null;
        }
        try {
            int parsed = AsciiDigits.parseInt(days);
            if (parsed >= 1 && parsed <= MAX_EXPIRY_DAYS) {
                return now.plus(Duration.ofDays(parsed));
            }
        } catch (NumberFormatException e) {
            // Falls through to the refusal, which says what is accepted.
        }
        throw new Refused("An expiry is a whole number of days from 1 to " + MAX_EXPIRY_DAYS + ", or empty for none.");
    }
}
