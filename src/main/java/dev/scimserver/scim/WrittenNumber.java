package dev.scimserver.scim;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.node.NumericNode;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * A bare number of a filter whose canonical text is not the one sent ({@code 1e3} reads as
 * {@code 1E+3}, {@code -0} as {@code 0}): a number to a number attribute, and the text sent to a
 * string one, as Entra's unquoted {@code externalId eq 1e3} means. It is written back as sent (the
 * printer, a cursor's fingerprint), and equal only to the same text: {@code 1e3} and {@code 1E3}
 * match different strings, so they are different filters. Not a Jackson DecimalNode, whose equality
 * would take it for any node of the same value one way and not the other.
 */
final class WrittenNumber extends NumericNode {
    private final BigDecimal value;
    private final String written;
    /** Whether the text is an integer's (no fraction, no exponent), as the parser reads one. */
    private final boolean integral;

    WrittenNumber(BigDecimal value, String written, boolean integral) {
        this.value = value;
        this.written = written;
        this.integral = integral;
    }

    @Override
    public String asText() {
        return written;
    }

    @Override
    public JsonToken asToken() {
        return integral ? JsonToken.VALUE_NUMBER_INT : JsonToken.VALUE_NUMBER_FLOAT;
    }

    @Override
    public JsonParser.NumberType numberType() {
        return integral ? JsonParser.NumberType.BIG_INTEGER : JsonParser.NumberType.BIG_DECIMAL;
    }

    @Override
    public boolean isIntegralNumber() {
        return integral;
    }

    @Override
    public boolean isFloatingPointNumber() {
        return !integral;
    }

    @Override
    public boolean isBigDecimal() {
        return !integral;
    }

    @Override
    public boolean isBigInteger() {
        return integral;
    }

    @Override
    public Number numberValue() {
        return integral ? value.toBigIntegerExact() : value;
    }

    @Override
    public int intValue() {
        return value.intValue();
    }

    @Override
    public long longValue() {
        return value.longValue();
    }

    @Override
    public double doubleValue() {
        return value.doubleValue();
    }

    @Override
    public BigDecimal decimalValue() {
        return value;
    }

    @Override
    public BigInteger bigIntegerValue() {
        return value.toBigInteger();
    }

    @Override
    public boolean canConvertToInt() {
        return value.compareTo(BigDecimal.valueOf(Integer.MIN_VALUE)) >= 0
                && value.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) <= 0;
    }

    @Override
    public boolean canConvertToLong() {
        return value.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) >= 0
                && value.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0;
    }

    @Override
    public boolean isNaN() {
        return false;
    }

    @Override
    public void serialize(JsonGenerator generator, SerializerProvider provider) throws IOException {
        generator.writeNumber(written);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WrittenNumber number && number.written.equals(written);
    }

    @Override
    public int hashCode() {
        return written.hashCode();
    }
}
