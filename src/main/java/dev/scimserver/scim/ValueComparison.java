package dev.scimserver.scim;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.Locale;

/** The comparison rules of RFC 7644 §3.4.2.2 for one attribute value against a filter value. */
final class ValueComparison {
    private ValueComparison() {
    }

    /** Whether {@code actual op expected} holds for an attribute of definition {@code def}. */
    static boolean test(AttributeDefinition def, JsonNode actual, ComparisonOperator op, JsonNode filterValue) {
        JsonNode expected = Names.comparedWith(def, op, filterValue);
        boolean absent = actual == null || actual.isNull() || actual.isMissingNode();
        if (expected.isNull()) {
            // "eq null" asks for an absent value and "ne null" for a present one, as the SQL translation does.
            return switch (op) {
                case EQ -> absent;
                case NE -> !absent;
                default -> throw ScimException.invalidFilter("'" + op.wireValue() + "' cannot compare with null");
            };
        }
        if (absent) {
            return op == ComparisonOperator.NE;
        }
        return switch (def.type()) {
            case BOOLEAN -> compareBoolean(actual, op, expected);
            case INTEGER, DECIMAL -> compareOrdered(toDecimal(actual).compareTo(toDecimal(expected)), op, actual, expected);
            case DATE_TIME -> compareOrdered(toInstant(actual).compareTo(toInstant(expected)), op, actual, expected);
            default -> compareText(def.caseExact(), actual.asText(), op, expected.asText());
        };
    }

    private static boolean compareBoolean(JsonNode actual, ComparisonOperator op, JsonNode expected) {
        if (op.isOrdering()) {
            throw ScimException.invalidFilter("'" + op.wireValue() + "' cannot compare booleans");
        }
        boolean equal = actual.asBoolean() == expected.asBoolean(false)
                && (expected.isBoolean() || expected.asText().equalsIgnoreCase(Boolean.toString(actual.asBoolean())));
        return switch (op) {
            case EQ -> equal;
            case NE -> !equal;
            default -> throw ScimException.invalidFilter("'" + op.wireValue() + "' cannot compare booleans");
        };
    }

    private static boolean compareOrdered(int cmp, ComparisonOperator op, JsonNode actual, JsonNode expected) {
        return switch (op) {
            case EQ -> cmp == 0;
            case NE -> cmp != 0;
            case GT -> cmp > 0;
            case GE -> cmp >= 0;
            case LT -> cmp < 0;
            case LE -> cmp <= 0;
            case CO, SW, EW -> compareText(true, actual.asText(), op, expected.asText());
        };
    }

    static boolean compareText(boolean caseExact, String actual, ComparisonOperator op, String expected) {
        String a = caseExact ? actual : actual.toLowerCase(Locale.ROOT);
        String e = caseExact ? expected : expected.toLowerCase(Locale.ROOT);
        return switch (op) {
            case EQ -> a.equals(e);
            case NE -> !a.equals(e);
            case CO -> a.contains(e);
            case SW -> a.startsWith(e);
            case EW -> a.endsWith(e);
            case GT -> a.compareTo(e) > 0;
            case GE -> a.compareTo(e) >= 0;
            case LT -> a.compareTo(e) < 0;
            case LE -> a.compareTo(e) <= 0;
        };
    }

    private static BigDecimal toDecimal(JsonNode node) {
        try {
            return node.isNumber() ? node.decimalValue() : new BigDecimal(node.asText().trim());
        } catch (NumberFormatException e) {
            throw ScimException.invalidFilter("not a number: " + ClientText.abbreviate(node.asText()));
        }
    }

    private static java.time.Instant toInstant(JsonNode node) {
        return DateTimes.parse(node.asText()).orElseThrow(() -> ScimException.invalidFilter("not a dateTime: "
                + ClientText.abbreviate(node.asText()))).toInstant();
    }
}
