package dev.scimserver.activity;

import dev.scimserver.scim.DateTimes;
import dev.scimserver.scim.StorableText;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a search in the log keeps; every part is optional ({@code null}: any). Built from the text a
 * client sent, one part at a time, each checked as it comes:
 * {@code RequestFilter.ANY.from("2026-01-01T00:00:00Z").status("4xx").method("patch")}. Blank text
 * leaves a part as it was; text that cannot be the part is {@link InvalidLogQueryException}.
 *
 * @param from       received at or after
 * @param to         received before
 * @param credential the credential's journal name, exactly ({@code api-token:okta})
 * @param method     upper case
 * @param resourceId the id of the User or Group the request's path names
 */
public record RequestFilter(Instant from, Instant to, StatusRange status, String credential, String method,
                            String resourceId, String requestId) {
    public static final RequestFilter ANY = new RequestFilter(null, null, null, null, null, null, null);
    /** The methods a filter names in any case, and the console offers. */
    public static final List<String> USUAL_METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");
    /** RFC 9110 §5.6.2: a method is a token. */
    private static final Pattern METHOD_TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    /** The longest value a filter takes, and so the longest id or method an entry keeps in an indexed column. */
    static final int MAX_TEXT = 200;

    public RequestFilter from(String text) {
        return blank(text) ? this : checkedOrder(new RequestFilter(time("from", text), to, status, credential, method,
                resourceId, requestId));
    }

    public RequestFilter to(String text) {
        return blank(text) ? this : checkedOrder(new RequestFilter(from, time("to", text), status, credential, method,
                resourceId, requestId));
    }

    /** A class ({@code 4xx}) or one status ({@code 404}). */
    public RequestFilter status(String text) {
        return blank(text) ? this : new RequestFilter(from, to, StatusRange.parse(text), credential, method, resourceId,
                requestId);
    }

    public RequestFilter credential(String text) {
        return blank(text) ? this : new RequestFilter(from, to, status, bounded("credential", text), method,
                resourceId, requestId);
    }

    /**
     * {@code GET}, {@code HEAD}, {@code POST}, {@code PUT}, {@code PATCH} or {@code DELETE} in any case,
     * or any other method as it was sent (methods are case-sensitive, RFC 9110 §9.1): the log keeps the
     * requests a scanner sends with {@code OPTIONS} or {@code PROPFIND} too, and an operator looks for them.
     */
    public RequestFilter method(String text) {
        if (blank(text)) {
            return this;
        }
        String method = bounded("method", text.strip());
        if (!METHOD_TOKEN.matcher(method).matches()) {
            throw new InvalidLogQueryException("method", "method must be an HTTP method such as GET or PATCH, not '"
                    + text + "'");
        }
        String upper = method.toUpperCase(Locale.ROOT);
        return new RequestFilter(from, to, status, credential, USUAL_METHODS.contains(upper) ? upper : method, resourceId,
                requestId);
    }

    /** The id of a User or Group, in any case: the log keeps the ids of request paths in lower case. */
    public RequestFilter resource(String text) {
        return blank(text) ? this : new RequestFilter(from, to, status, credential, method,
                bounded("resource", text.strip()).toLowerCase(Locale.ROOT), requestId);
    }

    public RequestFilter requestId(String text) {
        return blank(text) ? this : new RequestFilter(from, to, status, credential, method, resourceId,
                bounded("requestId", text.strip()));
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }

    private static Instant time(String parameter, String text) {
        // Years 1 to 9999 only: RFC 3339 writes four digits, and a year beyond PostgreSQL's range
        // would fail in the database instead of here.
        return DateTimes.parse(text).map(OffsetDateTime::toInstant).orElseThrow(() -> new InvalidLogQueryException(
                parameter, parameter + " must be an RFC 3339 date-time with an offset and a year from 1 to 9999, "
                        + "such as 2026-01-31T08:00:00Z, not '" + text + "'"));
    }

    private static RequestFilter checkedOrder(RequestFilter filter) {
        if (filter.from != null && filter.to != null && !filter.from.isBefore(filter.to)) {
            throw new InvalidLogQueryException("to", "to must be later than from");
        }
        return filter;
    }

    private static String bounded(String parameter, String text) {
        // Characters, as the published document's maxLength counts them: an emoji is one, not two.
        if (text.codePointCount(0, text.length()) > MAX_TEXT) {
            throw new InvalidLogQueryException(parameter, parameter + " is longer than " + MAX_TEXT + " characters");
        }
        // Nothing stored holds U+0000, and PostgreSQL refuses it as a bound value: no entry can match.
        int unstorable = StorableText.firstUnstorable(text);
        if (unstorable >= 0) {
            throw new InvalidLogQueryException(parameter, parameter + " contains "
                    + StorableText.reason(text, unstorable));
        }
        return text;
    }
}
