package dev.scimserver.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.scimserver.directory.Keyset;
import dev.scimserver.scim.ScimException;
import dev.scimserver.scim.ScimType;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Keyset paging over an order of (key, id): ascending puts missing keys last and descending first
 * (RFC 7644 §3.4.2.3), which is PostgreSQL's own NULLS default, so an index on the key serves both
 * directions. A page after a row is a WHERE on (key, id) and a LIMIT, never an OFFSET.
 */
final class Keysets {
    private Keysets() {
    }

    /** {@code ORDER BY} of the key and id, descending or not. */
    static String orderBy(String key, String id, boolean descending) {
        return descending ? key + " DESC NULLS FIRST, " + id + " DESC" : key + " ASC NULLS LAST, " + id + " ASC";
    }

    /** The condition "strictly after {@code at}" in that order; its values go to {@code params}. */
    static String after(Column key, String id, boolean descending, Keyset at, List<Object> params) {
        Object value = value(key.kind(), at.key());
        String later = descending ? " < " : " > ";
        if (value != null && !key.nullable()) {
            params.add(value);
            params.add(at.id());
            return "((" + key.expression() + ", " + id + ")" + later + "(?, ?))";
        }
        List<String> any = new ArrayList<>();
        if (value == null) {
            // Missing keys come last ascending: only the rest of the missing ones follow.
            if (descending) {
                any.add("(" + key.expression() + " IS NOT NULL)");
            }
            params.add(at.id());
            any.add("(" + key.expression() + " IS NULL AND " + id + later + "?)");
        } else {
            params.add(value);
            any.add("(" + key.expression() + later + "?)");
            if (!descending) {
                any.add("(" + key.expression() + " IS NULL)");
            }
            params.add(value);
            params.add(at.id());
            any.add("(" + key.expression() + " = ? AND " + id + later + "?)");
        }
        return "(" + String.join(" OR ", any) + ")";
    }

    /** The JSON form of a row's sort key, as a cursor carries it. */
    static JsonNode read(ResultSet rs, String column, Column.Kind kind) throws SQLException {
        Object value = switch (kind) {
            case TEXT -> rs.getString(column);
            case NUMBER -> rs.getBigDecimal(column);
            case TIMESTAMP -> rs.getObject(column, OffsetDateTime.class);
            case BOOLEAN -> rs.getObject(column, Boolean.class);
            case UUID -> rs.getObject(column, UUID.class);
        };
        if (value == null) {
            return NullNode.getInstance();
        }
        if (value instanceof BigDecimal number) {
            return DecimalNode.valueOf(number);
        }
        if (value instanceof Boolean bool) {
            return BooleanNode.valueOf(bool);
        }
        if (value instanceof OffsetDateTime time) {
            return TextNode.valueOf(time.toInstant().toString());
        }
        return TextNode.valueOf(value.toString());
    }

    /** The bindable value of a cursor's key; a key of the wrong kind was not made by this order. */
    private static Object value(Column.Kind kind, JsonNode key) {
        if (key == null || key.isNull()) {
            return null;
        }
        try {
            return switch (kind) {
                case TEXT -> key.asText();
                case NUMBER -> new BigDecimal(key.asText());
                case TIMESTAMP -> OffsetDateTime.parse(key.asText());
                case BOOLEAN -> key.asBoolean();
                case UUID -> UUID.fromString(key.asText());
            };
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw ScimException.badRequest(ScimType.INVALID_CURSOR, "the cursor does not fit this query's order");
        }
    }
}
