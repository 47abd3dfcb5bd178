package dev.scimserver.scim;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Text compared in a PATCH path's filter as the database compares it in a query's. */
class ValueComparisonTest {
    private static final String EMOJI = "\uD83D\uDE00";
    private static final String FULL_WIDTH_A = "\uFF21";

    @Test
    void textIsOrderedByCodePointNotByUtf16Unit() {
        // U+1F600 is above U+FF21, though its first UTF-16 unit (U+D83D) is below.
        assertThat(ValueComparison.compareText(true, EMOJI, ComparisonOperator.GT, FULL_WIDTH_A)).isTrue();
        assertThat(ValueComparison.compareText(false, EMOJI + "@x.com", ComparisonOperator.LT, FULL_WIDTH_A)).isFalse();
        assertThat(ValueComparison.compareText(true, "ab", ComparisonOperator.GT, "a")).isTrue();
        assertThat(ValueComparison.compareText(true, "a", ComparisonOperator.LE, "a")).isTrue();
        assertThat(ValueComparison.compareText(true, "a", ComparisonOperator.GE, "ab")).isFalse();
    }
}
