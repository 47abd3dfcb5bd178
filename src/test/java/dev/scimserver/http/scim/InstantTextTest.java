package dev.scimserver.http.scim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The instant's text is {@link Instant#toString()}'s, character for character, for every instant. */
class InstantTextTest {
    @ParameterizedTest
    @ValueSource(strings = {
            "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999999999Z", "2026-12-05T20:40:36.123456Z",
            "2024-02-29T12:00:00.5Z", "2023-02-28T23:59:59.000001Z", "2000-02-29T00:00:00.000000001Z",
            "1900-02-28T23:59:59Z", "1900-03-01T00:00:00Z", "1600-02-29T06:07:08.010Z",
            "0000-01-01T00:00:00Z", "0000-02-29T00:00:00Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z",
            "2038-01-19T03:14:08Z", "2100-03-01T00:00:00.120Z"})
    void theDaysThatCalendarsGetWrongReadAsInstantWritesThem(String text) {
        Instant instant = Instant.parse(text);

        assertThat(InstantText.of(instant)).isEqualTo(instant.toString());
    }

    @Test
    void everyInstantOfTheFourDigitYearsReadsAsInstantWritesIt() {
        SplittableRandom random = new SplittableRandom(20261205);
        long first = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        long pastLast = Instant.parse("+10000-01-01T00:00:00Z").getEpochSecond();
        for (int i = 0; i < 200_000; i++) {
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(random.nextLong(first, pastLast), nano);

            assertThat(InstantText.of(instant)).isEqualTo(instant.toString());
        }
    }

    @Test
    void yearsOfMoreDigitsOrBeforeYearZeroAreLeftToInstant() {
        for (String text : new String[] {"+10000-01-01T00:00:00Z", "-0001-12-31T23:59:59.500Z", "-1000000000-01-01T00:00:00Z",
                "+1000000000-12-31T23:59:59.999999999Z"}) {
            Instant instant = Instant.parse(text);

            assertThat(InstantText.of(instant)).isEqualTo(instant.toString()).isEqualTo(text);
        }
    }

    @Test
    void aValueCarriesTheSameTextAsAJsonString() throws IOException {
        Instant instant = Instant.parse("2026-12-05T20:40:36.123456Z");
        Instant far = Instant.parse("+12026-01-01T00:00:00Z");
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        try (JsonGenerator out = ScimJson.MAPPER.getFactory().createGenerator(json)) {
            out.writeStartObject();
            out.writeFieldName("created");
            InstantText.write(out, instant);
            out.writeFieldName("far");
            InstantText.write(out, far);
            out.writeEndObject();
        }

        assertThat(json.toString(StandardCharsets.UTF_8))
                .isEqualTo("{\"created\":\"2026-12-05T20:40:36.123456Z\",\"far\":\"+12026-01-01T00:00:00Z\"}");
    }
}
