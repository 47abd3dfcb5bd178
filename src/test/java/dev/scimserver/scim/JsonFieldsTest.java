package dev.scimserver.scim;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;

class JsonFieldsTest {
    private static final ObjectMapper PLAIN = new ObjectMapper();
    private static final ObjectMapper DECIMALS = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    @Test
    void aWholeNumberIsWholeHoweverItIsWritten() throws Exception {
        for (ObjectMapper json : new ObjectMapper[] {PLAIN, DECIMALS}) {
            for (String text : new String[] {"12", "12.0", "1.2e1", "1200E-2", "-3", "0", "0.0", "-0.0", "0e5"}) {
                assertThat(JsonFields.wholeNumber(json.readTree(text))).as(text).isPresent();
            }
            assertThat(JsonFields.wholeNumber(json.readTree("1.2e1")).orElseThrow().intValue()).isEqualTo(12);
            for (String text : new String[] {"12.5", "1e-1", "\"12\"", "true", "null", "[1]", "{\"n\":1}"}) {
                assertThat(JsonFields.wholeNumber(json.readTree(text))).as(text).isEmpty();
            }
        }
        assertThat(JsonFields.wholeNumber(null)).isEmpty();
        // Read as a double, 1e999 is Infinity: no whole number, not a NumberFormatException.
        assertThat(JsonFields.wholeNumber(PLAIN.readTree("1e999"))).isEmpty();
        assertThat(JsonFields.wholeNumber(PLAIN.readTree("-1e400"))).isEmpty();
    }

    @Test
    void aHugeExponentIsComparedWithoutBeingExpanded() throws Exception {
        BigDecimal huge = JsonFields.wholeNumber(DECIMALS.readTree("1e999999999")).orElseThrow();
        assertThat(huge.compareTo(BigDecimal.valueOf(Long.MAX_VALUE))).isPositive();
        assertThat(huge.min(BigDecimal.valueOf(100)).intValue()).isEqualTo(100);
    }
}
