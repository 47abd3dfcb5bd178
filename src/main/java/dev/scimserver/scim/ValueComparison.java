package dev.scimserver.scim;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.Instant;

/** The comparison rules of RFC 7644 §3.4.2.2 for one attribute value against a filter value. */
public final class ValueComparison {
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
        // The filter's value is read whether the attribute has a value or not: a PATCH value path and a
        // query refuse the same filters (FilterOperands), even where no value is there to compare.
        return switch (def.type()) {
            case BOOLEAN -> {
                boolean wanted = FilterOperands.booleanValue(op, expected);
                yield absent ? op == ComparisonOperator.NE
                        : (actual.asBoolean() == wanted) == (op == ComparisonOperator.EQ);
            }
            case INTEGER, DECIMAL -> {
                BigDecimal wanted = FilterOperands.number(equalityOrOrdering(op, "number", expected));
                yield absent ? op == ComparisonOperator.NE
                        : compareOrdered(FilterOperands.number(actual).compareTo(wanted), op);
            }
            case DATE_TIME -> {
                Instant wanted = FilterOperands.dateTime(equalityOrOrdering(op, "dateTime", expected)).toInstant();
                yield absent ? op == ComparisonOperator.NE
                        : compareOrdered(FilterOperands.dateTime(actual).toInstant().compareTo(wanted), op);
            }
            default -> {
                FilterOperands.checkOrderable(def.type(), op);
                String wanted = FilterOperands.text(expected);
                yield absent ? op == ComparisonOperator.NE : compareText(def.caseExact(), actual.asText(), op, wanted);
            }
        };
    }

    /** {@code value}, unless {@code op} tests a substring, which a number or a dateTime has none of. */
    private static JsonNode equalityOrOrdering(ComparisonOperator op, String typeName, JsonNode value) {
        if (op.isSubstring()) {
            throw FilterOperands.notApplicable(op, typeName);
        }
        return value;
    }

    /** {@code op} is an equality or an ordering: {@link #equalityOrOrdering} refused the others. */
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

    public static boolean compareText(boolean caseExact, String actual, ComparisonOperator op, String expected) {
        String a = caseExact ? actual : CaseFold.of(actual);
        String e = caseExact ? expected : CaseFold.of(expected);
        return switch (op) {
            case EQ -> a.equals(e);
            case NE -> !a.equals(e);
            case CO -> a.contains(e);
            case SW -> a.startsWith(e);
            case EW -> a.endsWith(e);
            case GT -> byCodePoint(a, e) > 0;
            case GE -> byCodePoint(a, e) >= 0;
            case LT -> byCodePoint(a, e) < 0;
            case LE -> byCodePoint(a, e) <= 0;
        };
    }

    /**
     * Text ordered by code point, as the embedded database's C.UTF-8 orders it for a filter: String.compareTo
     * orders UTF-16 units, which puts a character beyond U+FFFF (an emoji) before U+E000 to U+FFFF, so a
     * PATCH path's filter and a query's would disagree.
     */
    static int byCodePoint(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
