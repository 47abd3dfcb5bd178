package dev.scimserver.scim;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;

/**
 * Writes a {@link Filter} as canonical text: lower-case operators, JSON-quoted strings, and
 * parentheses only where precedence needs them, so that {@link FilterParser#parse} reads the text
 * back to an equal tree.
 */
final class FilterPrinter implements Filter.Visitor<String> {
    private static final FilterPrinter INSTANCE = new FilterPrinter();

    private FilterPrinter() {
    }

    static String print(Filter filter) {
        return filter.accept(INSTANCE);
    }

    @Override
    public String comparison(Filter.Comparison filter) {
        return filter.path() + " " + filter.operator().wireValue() + " " + value(filter.value());
    }

    @Override
    public String present(Filter.Present filter) {
        return filter.path() + " pr";
    }

    // The parser folds "a and b and c" to the left, so a right operand of the same kind needs parentheses.
    @Override
    public String and(Filter.And filter) {
        Filter left = filter.left();
        Filter right = filter.right();
        return operand(left, left instanceof Filter.Or) + " and "
                + operand(right, right instanceof Filter.Or || right instanceof Filter.And);
    }

    @Override
    public String or(Filter.Or filter) {
        Filter right = filter.right();
        return print(filter.left()) + " or " + operand(right, right instanceof Filter.Or);
    }

    @Override
    public String not(Filter.Not filter) {
        return "not (" + print(filter.inner()) + ")";
    }

    @Override
    public String valuePath(Filter.ValuePath filter) {
        return filter.attribute() + "[" + print(filter.filter()) + "]";
    }

    private static String operand(Filter filter, boolean parenthesize) {
        String text = print(filter);
        return parenthesize ? "(" + text + ")" : text;
    }

    static String value(JsonNode value) {
        if (value == null || value.isNull()) {
            return "null";
        }
        if (value.isTextual()) {
            return quote(value.textValue());
        }
        if (value.isBoolean()) {
            return value.booleanValue() ? "true" : "false";
        }
        if (value instanceof WrittenNumber written) {
            return written.asText();
        }
        if (value.isIntegralNumber()) {
            return value.bigIntegerValue().toString();
        }
        if (value.isBigDecimal()) {
            return decimal(value.decimalValue());
        }
        if (value.isNumber() && Double.isFinite(value.doubleValue())) {
            return BigDecimal.valueOf(value.doubleValue()).toString();
        }
        throw new IllegalStateException("not a filter value: " + value.getNodeType());
    }

    // A scale-0 decimal prints without '.' or exponent, which reads back as an integer; "E0" keeps it a decimal.
    private static String decimal(BigDecimal value) {
        String text = value.toString();
        return value.scale() == 0 ? text + "E0" : text;
    }

    /** JSON string; unpaired surrogates are escaped too, so the text is valid UTF-16 to send. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else {
                appendEscaped(out, c);
            }
        }
        return out.append('"').toString();
    }

    private static void appendEscaped(StringBuilder out, char c) {
        switch (c) {
            case '"' -> out.append("\\\"");
            case '\\' -> out.append("\\\\");
            case '\b' -> out.append("\\b");
            case '\f' -> out.append("\\f");
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            default -> {
                if (c < 0x20 || Character.isSurrogate(c)) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
        }
    }
}
