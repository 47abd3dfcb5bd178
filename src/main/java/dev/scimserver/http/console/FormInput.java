package dev.scimserver.http.console;

import dev.scimserver.directory.OperatorSearch;
import dev.scimserver.scim.AsciiDigits;
import dev.scimserver.scim.Names;
import dev.scimserver.scim.PercentEscapes;
import dev.scimserver.scim.StorableText;
import io.javalin.http.Context;

import java.time.Duration;
import java.time.Instant;

/** What the console's forms send, read as the services take it; a value that cannot be one is the operator's 400. */
final class FormInput {
    /** An expiry, in whole days from now: far enough for a yearly rotation and some slack. */
    static final int MAX_EXPIRY_DAYS = 3650;
    /** The longest search the lists' {@code q} field takes, as its {@code maxlength} says. */
    static final int MAX_SEARCH = OperatorSearch.MAX_SEARCH;

    /** A form value that cannot be what its field asks for. */
    static final class Refused extends RuntimeException {
        private final String field;

        /** {@code field}: the input at fault, by the name it is sent under; null when it is none of a form's. */
        Refused(String field, String message) {
            super(message);
            this.field = field;
        }

        String field() {
            return field;
        }
    }

    private FormInput() {
    }

    /**
     * Whether a url-encoded body spells UTF-8 once its percent-escapes are decoded ({@code %FF} or
     * {@code %ED%A0%80}, a lone surrogate, do not): the API refuses such text, and the console must not
     * keep it as replacement characters instead. The body is decoded whole: the {@code &} and {@code =}
     * between its parts are single bytes, which end any sequence that spans them as invalid anyway.
     */
    static boolean isUtf8Form(byte[] body) {
        return StorableText.isUtf8(PercentEscapes.decode(body));
    }

    /**
     * A field the operator may change but not empty (a workspace's name or slug): {@code null} when the
     * form does not send it, refused when it sends it blank, which would otherwise change nothing and
     * answer as if it had. Otherwise as typed, as the administration API takes it: trimmed here, a slug
     * the API refuses was taken.
     */
    static String replacement(Context ctx, String field, String what) {
        String value = ctx.formParam(field);
        if (value != null && value.isBlank()) {
            throw new Refused(field, what + " cannot be empty: type a new one, or keep the current one.");
        }
        return value;
    }

    /** The field's value, or {@code null} when it is absent or blank. */
    static String optional(Context ctx, String field) {
        String value = ctx.formParam(field);
        return value == null || value.isBlank() ? null : value.trim();
    }

    /**
     * A query parameter, or {@code null} when it is absent or blank (a no-break space alone included).
     * Text the directory cannot hold (U+0000) is refused: trimmed away, it would leave no search at all
     * and list everyone.
     */
    static String query(Context ctx, String name) {
        String value = exact(ctx, name);
        return value == null || Names.trimmed(value).isEmpty() ? null : value.strip();
    }

    /**
     * As {@link #query}, the value as typed, spaces at its ends included: a credential's name may hold
     * them, and the log's filter then finds its requests as the administration API's does.
     */
    static String exact(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        int unstorable = StorableText.firstUnstorable(value);
        if (unstorable >= 0) {
            throw new Refused(name, "The " + name + " field contains " + StorableText.reason(value, unstorable) + ".");
        }
        return value;
    }

    /**
     * A list's search ({@code q}), or {@code null} when there is none. One longer than its field takes
     * was typed into the address, and is refused as such: the filter built from it would otherwise be
     * refused in words about a filter the operator never wrote.
     */
    static String search(Context ctx) {
        String q = query(ctx, "q");
        // Characters, as the administration API counts them: an emoji is one, not two UTF-16 units.
        if (q != null && q.codePointCount(0, q.length()) > MAX_SEARCH) {
            throw new Refused("q", "A search is at most " + MAX_SEARCH + " characters.");
        }
        return q;
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
        throw new Refused("expiresInDays", "An expiry is a whole number of days from 1 to " + MAX_EXPIRY_DAYS
                + ", or empty for none.");
    }
}
