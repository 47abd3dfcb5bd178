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
        checkComparable(def, op, expected);
        if (absent) {
            return op == ComparisonOperator.NE;
        }
        return switch (def.type()) {
            case BOOLEAN -> compareBoolean(actual, op, expected);
            case INTEGER, DECIMAL -> compareOrdered(toDecimal(actual).compareTo(toDecimal(expected)), op);
            case DATE_TIME -> compareOrdered(toInstant(actual).compareTo(toInstant(expected)), op);
            default -> compareText(def.caseExact(), actual.asText(), op, expected.asText());
        };
    }

    /**
     * Refuses what the query engine refuses (FilterSql), whether the value is there or not: a PATCH
     * value filter and a GET filter are one language, and {@code primary eq "yes"} was false in one
     * and a 400 in the other.
     */
    private static void checkComparable(AttributeDefinition def, ComparisonOperator op, JsonNode expected) {
        if (expected.isContainerNode()) {
            throw ScimException.invalidFilter("a filter value must be a string, number, boolean or null");
        }
        switch (def.type()) {
            case BOOLEAN -> {
                if (op != ComparisonOperator.EQ && op != ComparisonOperator.NE) {
                    throw ScimException.invalidFilter("'" + op.wireValue() + "' cannot compare booleans; use eq or ne");
                }
                if (!expected.isBoolean() && !expected.asText().equalsIgnoreCase("true")
                        && !expected.asText().equalsIgnoreCase("false")) {
                    throw ScimException.invalidFilter("a boolean attribute compares with true or false");
                }
            }
            case INTEGER, DECIMAL, DATE_TIME -> {
                if (op == ComparisonOperator.CO || op == ComparisonOperator.SW || op == ComparisonOperator.EW) {
                    throw ScimException.invalidFilter("'" + op.wireValue() + "' does not apply to a "
                            + def.type().wireValue());
                }
                if (def.type() == AttributeType.DATE_TIME) {
                    toInstant(expected);
                } else {
                    toDecimal(expected);
                }
            }
            default -> {
                // Text, references and binary compare with any operator.
            }
        }
    }

    private static boolean compareBoolean(JsonNode actual, ComparisonOperator op, JsonNode expected) {
        boolean equal = actual.asBoolean() == (expected.isBoolean() ? expected.booleanValue()
                : expected.asText().equalsIgnoreCase("true"));
        return op == ComparisonOperator.EQ ? equal : !equal;
    }

    /** {@code op} is an equality or an ordering: {@link #checkComparable} refused the others. */
    private static boolean compareOrdered(int cmp, ComparisonOperator op) {
        return switch (op) {
            case EQ -> cmp == 0;
            case NE -> cmp != 0;
            case GT -> cmp > 0;
            case GE -> cmp >= 0;
            case LT -> cmp < 0;
            default -> cmp <= 0;
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
