package dev.scimserver.scim;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AsciiDigitsTest {

    @Test
    void readsAsciiDigitsWithAnOptionalSign() {
        assertThat(AsciiDigits.parseLong("42")).isEqualTo(42);
        assertThat(AsciiDigits.parseLong("-7")).isEqualTo(-7);
        assertThat(AsciiDigits.parseInt("+5")).isEqualTo(5);
        assertThat(AsciiDigits.parseLong("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void refusesDigitsOfOtherScriptsThatLongParseLongWouldTake() {
        for (String text : new String[] {"\uFF15", "1\uFF10", "\u0665", "\u096B", "\uD835\uDFD3"}) {
            assertThatThrownBy(() -> AsciiDigits.parseLong(text)).as(text).isInstanceOf(NumberFormatException.class);
            assertThatThrownBy(() -> AsciiDigits.parseInt(text)).as(text).isInstanceOf(NumberFormatException.class);
        }
    }

    @Test
    void refusesWhatIsNoNumber() {
        for (String text : new String[] {"", "-", "+", " 1", "1 ", "1.0", "1e3", "0x10", "--1", "1-"}) {
            assertThatThrownBy(() -> AsciiDigits.parseLong(text)).as(text).isInstanceOf(NumberFormatException.class);
        }
        assertThatThrownBy(() -> AsciiDigits.parseLong(null)).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> AsciiDigits.parseInt("2147483648")).isInstanceOf(NumberFormatException.class);
        for (String text : new String[] {"", "-", "+", "1.0", "1e30", "\uFF15"}) {
            assertThatThrownBy(() -> AsciiDigits.parseClampedInt(text)).as(text)
                    .isInstanceOf(NumberFormatException.class);
        }
    }

    /** A count or an index too large to hold is a whole number all the same: the nearest end of an int. */
    @Test
    void aWholeNumberBeyondAnIntIsHeldAtItsEnd() {
        assertThat(AsciiDigits.parseClampedInt("99999999999999999999")).isEqualTo(Integer.MAX_VALUE);
        assertThat(AsciiDigits.parseClampedInt("+2147483648")).isEqualTo(Integer.MAX_VALUE);
        assertThat(AsciiDigits.parseClampedInt("-99999999999999999999")).isEqualTo(Integer.MIN_VALUE);
        assertThat(AsciiDigits.parseClampedInt("-12")).isEqualTo(-12);
    }
}
