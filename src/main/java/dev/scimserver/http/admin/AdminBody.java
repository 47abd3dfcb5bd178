package dev.scimserver.http.admin;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimserver.http.scim.RequestBodies;
import dev.scimserver.scim.DateTimes;
import dev.scimserver.scim.JsonFields;
import dev.scimserver.scim.StorableText;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A request body of the administration API: a JSON object of at most 64 KiB with only the fields the
 * endpoint knows (a misspelt field is an error, not silently ignored), read field by field with the
 * type each must have. An empty body is an empty object.
 */
final class AdminBody {
    static final int MAX_BYTES = 64 * 1024;

    private final ObjectNode fields;

    private AdminBody(ObjectNode fields) {
        this.fields = fields;
    }

    /** The body, refused unless it is a JSON object whose fields are all among {@code known}. */
    static AdminBody read(Context ctx, Set<String> known) {
        JsonNode json = readJson(ctx);
        if (json == null) {
            return new AdminBody(AdminJson.object());
        }
        if (!(json instanceof ObjectNode object)) {
            throw Problem.badRequest("the body must be a JSON object");
        }
        AdminBody body = new AdminBody(object);
        body.refuseUnknownFields(known);
        return body;
    }

    /** The body, refused unless it is a JSON array of objects whose fields are all among {@code known}. */
    static List<AdminBody> readList(Context ctx, Set<String> known) {
        JsonNode json = readJson(ctx);
        if (json == null || !json.isArray()) {
            throw Problem.badRequest("the body must be a JSON array");
        }
        List<AdminBody> items = new ArrayList<>(json.size());
        for (JsonNode item : json) {
            if (!(item instanceof ObjectNode object)) {
                throw Problem.badRequest("each item of the array must be a JSON object");
            }
            AdminBody body = new AdminBody(object);
            body.refuseUnknownFields(known);
            items.add(body);
        }
        return items;
    }

    /** The body as JSON, {@code null} when empty or JSON null. */
    private static JsonNode readJson(Context ctx) {
        // The header as sent: Context.contentType() parses the charset, and an unknown one would throw.
        refuseOtherMediaTypes(ctx.header("Content-Type"));
        byte[] bytes;
        if (RequestBodies.declaredOver(ctx, MAX_BYTES)) {
            throw tooLarge();
        }
        try {
            bytes = ctx.bodyInputStream().readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            RequestBodies.Unreadable why = RequestBodies.unreadable(e);
            throw Problem.of(why.status(), why.detail());
        }
        if (bytes.length > MAX_BYTES) {
            throw tooLarge();
        }
        return bytes.length == 0 ? null : parse(bytes);
    }

    private static Problem tooLarge() {
        return Problem.of(413, "the request body is larger than " + MAX_BYTES / 1024 + " KiB");
    }

    private static void refuseOtherMediaTypes(String contentType) {
        if (contentType == null) {
            return;
        }
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json") && !mediaType.endsWith("+json")) {
            throw Problem.of(415, "the request body must be application/json");
        }
    }

    private static JsonNode parse(byte[] bytes) {
        if (!StorableText.isUtf8Json(bytes)) {
            // The parser would read UTF-16 and UTF-32 too, and decode overlong forms into other characters.
            throw Problem.badRequest("the body is not UTF-8 (RFC 8259 section 8.1)");
        }
        JsonNode json;
        try {
            json = AdminJson.MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw Problem.badRequest("the body is not valid JSON" + (at == null ? ""
                    : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the request body", e);
        } catch (NumberFormatException e) {
            // A number whose exponent no decimal can hold (1e9999999999), read as a BigDecimal.
            throw Problem.badRequest("the body holds a number beyond what can be read");
        }
        return json == null || json.isMissingNode() || json.isNull() ? null : json;
    }

    private void refuseUnknownFields(Set<String> known) {
        for (Iterator<String> names = fields.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw Problem.badField(name, "unknown field '" + abbreviated(name) + "'; this endpoint takes "
                        + String.join(", ", known.stream().sorted().toList()));
            }
        }
    }

    /** A string the request must carry. */
    String text(String field) {
        String value = optionalText(field);
        if (value == null) {
            throw Problem.badField(field, field + " is required");
        }
        return value;
    }

    /** A string, or {@code null} when the field is absent or null. */
    String optionalText(String field) {
        JsonNode value = fields.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw Problem.badField(field, field + " must be a string");
        }
        // What PostgreSQL cannot keep: U+0000 would fail there as a 500, a lone surrogate be kept as '?'.
        int unstorable = StorableText.firstUnstorable(value.textValue());
        if (unstorable >= 0) {
            throw Problem.badField(field, field + " contains " + StorableText.reason(value.textValue(), unstorable));
        }
        return value.textValue();
    }

    /**
     * An RFC 3339 date-time with its offset, or {@code null} when the field is absent or null; to the
     * microsecond, what PostgreSQL keeps, so that the answer shows what later lists show.
     */
    Instant optionalTime(String field) {
        String text = optionalText(field);
        if (text == null) {
            return null;
        }
        // Years 1 to 9999 only, where the time was written and in UTC: RFC 3339 writes four digits, the
        // answer gives the time back in UTC, and a year beyond PostgreSQL's range would fail in the
        // database instead of here.
        return DateTimes.parse(text).map(time -> time.toInstant().truncatedTo(ChronoUnit.MICROS))
                .filter(AdminBody::fourDigitYearInUtc)
                .orElseThrow(() -> Problem.badField(field, field + " must be an RFC 3339 date-time with an offset "
                        + "and a year from 1 to 9999, such as 2030-01-31T00:00:00Z"));
    }

    private static boolean fourDigitYearInUtc(Instant time) {
        int year = time.atOffset(ZoneOffset.UTC).getYear();
        return year >= 1 && year <= 9999;
    }

    /** A whole number from {@code min} to {@code max}, or {@code fallback} when the field is absent or null. */
    int optionalWhole(String field, int min, int max, int fallback) {
        JsonNode value = fields.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        return JsonFields.wholeNumber(value)
                .filter(v -> v.compareTo(BigDecimal.valueOf(min)) >= 0 && v.compareTo(BigDecimal.valueOf(max)) <= 0)
                .orElseThrow(() -> Problem.badField(field, field + " must be a whole number from " + min + " to " + max))
                .intValue();
    }

    /** A boolean, or {@code fallback} when the field is absent or null. */
    boolean optionalBoolean(String field, boolean fallback) {
        Boolean value = optionalBoolean(field);
        return value == null ? fallback : value;
    }

    /** A boolean, or {@code null} when the field is absent or null. */
    Boolean optionalBoolean(String field) {
        JsonNode value = fields.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw Problem.badField(field, field + " must be true or false");
        }
        return value.booleanValue();
    }

    /** An array of strings, or an empty list when the field is absent or null. */
    List<String> optionalTexts(String field) {
        JsonNode value = fields.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        List<String> texts = new ArrayList<>();
        if (value.isArray()) {
            value.forEach(item -> texts.add(item.isTextual() ? item.textValue() : null));
        }
        if (!value.isArray() || texts.contains(null)) {
            throw Problem.badField(field, field + " must be an array of strings");
        }
        return texts;
    }

    boolean isEmpty() {
        return fields.isEmpty();
    }

    /**
     * The new value of a field that a PATCH may replace but not remove: {@code null} when the field is
     * absent; a JSON null (a merge patch's removal) is refused rather than read as absent, which would
     * answer 200 for a change that did not happen.
     */
    String replacementText(String field) {
        JsonNode value = fields.get(field);
        if (value != null && value.isNull()) {
            throw Problem.badField(field, field + " cannot be removed: send a new one, or leave it out");
        }
        return optionalText(field);
    }

    private static String abbreviated(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "…";
    }
}
