package dev.scimserver.scim;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.Locale;

/**
 * What a filter's comparison value may be against an attribute of each type, and with which
 * operators (RFC 7644 §3.4.2.2): one rule for a query (store's FilterSql) and for a PATCH value path
 * (ValueComparison), each refusal a 400 invalidFilter.
 */
public final class FilterOperands {
    private FilterOperands() {
    }

    /** The value as text; an object or an array is no filter value. */
    public static String text(JsonNode value) {
        if (value.isContainerNode()) {
            throw ScimException.invalidFilter("a filter value must be a string, number, boolean or null");
        }
        return value.asText();
    }

    /** A boolean compares by {@code eq} or {@code ne} with true or false (a string in any case too). */
    public static boolean booleanValue(ComparisonOperator op, JsonNode value) {
        if (op != ComparisonOperator.EQ && op != ComparisonOperator.NE) {
            throw ScimException.invalidFilter("'" + op.wireValue() + "' cannot compare booleans; use eq or ne");
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        String text = text(value).toLowerCase(Locale.ROOT);
        if (!text.equals("true") && !text.equals("false")) {
            throw ScimException.invalidFilter("a boolean attribute compares with true or false");
        }
        return text.equals("true");
    }

    public static BigDecimal number(JsonNode value) {
        try {
            return value.isNumber() ? value.decimalValue() : new BigDecimal(text(value).trim());
        } catch (NumberFormatException e) {
            throw ScimException.invalidFilter("a number attribute compares with a number");
        }
    }

    public static OffsetDateTime dateTime(JsonNode value) {
        return DateTimes.parse(text(value)).orElseThrow(() -> ScimException.invalidFilter(
                "a dateTime attribute compares with " + DateTimes.EXPECTED));
    }

    /**
     * Refuses an ordering of binary values: RFC 7644 §3.4.2.2 says gt, ge, lt and le on a Boolean or
     * Binary attribute SHALL fail with invalidFilter (a boolean's are refused as its value is read).
     */
    public static void checkOrderable(AttributeType type, ComparisonOperator op) {
        if (type == AttributeType.BINARY && (op == ComparisonOperator.GT || op == ComparisonOperator.GE
                || op == ComparisonOperator.LT || op == ComparisonOperator.LE)) {
            throw notApplicable(op, "binary");
        }
    }

    /** The refusal of {@code op} on a value of {@code typeName}, which does not take it. */
    public static ScimException notApplicable(ComparisonOperator op, String typeName) {
        return ScimException.invalidFilter("'" + op.wireValue() + "' does not apply to a " + typeName);
    }
}
