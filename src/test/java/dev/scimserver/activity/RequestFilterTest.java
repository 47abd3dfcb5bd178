package dev.scimserver.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The log's text filters are bounded in characters, as the published document's maxLength counts them. */
class RequestFilterTest {
    private static final String EMOJI = "\ud83d\ude00";

    @Test
    void aTextFilterOfTheLongestLengthInCharactersIsTakenAndOneMoreRefused() {
        String longest = EMOJI.repeat(RequestFilter.MAX_TEXT);
        assertThat(RequestFilter.ANY.credential(longest).credential()).isEqualTo(longest);
        assertThat(RequestFilter.ANY.resource(longest).resourceId()).isEqualTo(longest);
        assertThat(RequestFilter.ANY.requestId(longest).requestId()).isEqualTo(longest);
        assertThatThrownBy(() -> RequestFilter.ANY.credential(longest + EMOJI))
                .isInstanceOfSatisfying(InvalidLogQueryException.class,
                        e -> assertThat(e.getMessage()).contains("longer than " + RequestFilter.MAX_TEXT + " characters"));
    }
}
