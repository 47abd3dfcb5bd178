package dev.scimserver.scim;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class PercentEscapesTest {

    private static String decoded(String encoded) {
        return new String(PercentEscapes.decode(encoded.getBytes(StandardCharsets.UTF_8)), StandardCharsets.ISO_8859_1);
    }

    @Test
    void wellFormedEscapesAreDecodedAndMalformedOnesKeptAsWritten() {
        assertThat(decoded("a%41b+c")).isEqualTo("aAb c");
        assertThat(decoded("%ff%FE")).isEqualTo("\u00ff\u00fe");
        assertThat(decoded("100%")).isEqualTo("100%");
        assertThat(decoded("%zz%4")).isEqualTo("%zz%4");
        // Only ASCII hex digits: a full-width one is no digit of an escape.
        assertThat(decoded("%\uFF11\uFF11")).isEqualTo(new String("%\uFF11\uFF11".getBytes(StandardCharsets.UTF_8),
                StandardCharsets.ISO_8859_1));
    }

    @Test
    void aComponentKeepsItsPlus() {
        assertThat(new String(PercentEscapes.decodeComponent("a+b%2Bc%40".getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8)).isEqualTo("a+b+c@");
    }

    @Test
    void theFirstMalformedEscapeIsFound() {
        assertThat(PercentEscapes.firstMalformed("a=%41&b=c")).isEqualTo(-1);
        assertThat(PercentEscapes.firstMalformed(null)).isEqualTo(-1);
        assertThat(PercentEscapes.firstMalformed("a=%41&b=%zz")).isEqualTo(8);
        assertThat(PercentEscapes.firstMalformed("to=x%")).isEqualTo(4);
    }
}
