package dev.scimserver.http.scim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A slice of UTF-8 text behaves as Jackson's own serialized string of the same text, in every form. */
class RawUtf8Test {
    private static final String TEXT = "\"title\": \"Tour \\\"Guide\\\"\", \"name\": \"Bärbel 😀\"";
    private static final byte[] PADDED = ("xx" + TEXT + "yy").getBytes(StandardCharsets.UTF_8);
    private static final int LENGTH = TEXT.getBytes(StandardCharsets.UTF_8).length;

    private final RawUtf8 raw = new RawUtf8(PADDED, 2, LENGTH);
    private final SerializableString jackson = new SerializedString(TEXT);

    @Test
    void aByteGeneratorCopiesTheBytesAsTheyAre() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator out = ScimJson.MAPPER.getFactory().createGenerator(bytes)) {
            out.writeRaw('{');
            out.writeRaw(raw);
            out.writeRaw('}');
        }

        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("{" + TEXT + "}");
    }

    @Test
    void aCharGeneratorWritesTheSameText() throws IOException {
        StringWriter chars = new StringWriter();
        try (JsonGenerator out = ScimJson.MAPPER.getFactory().createGenerator(chars)) {
            out.writeRaw(raw);
        }

        assertThat(chars.toString()).isEqualTo(TEXT);
    }

    @Test
    void everyFormMatchesJacksonsSerializedString() throws IOException {
        assertThat(raw.getValue()).isEqualTo(jackson.getValue());
        assertThat(raw.charLength()).isEqualTo(jackson.charLength());
        assertThat(raw.asUnquotedUTF8()).isEqualTo(jackson.asUnquotedUTF8());
        assertThat(raw.asQuotedUTF8()).isEqualTo(jackson.asQuotedUTF8());
        assertThat(raw.asQuotedChars()).isEqualTo(jackson.asQuotedChars());

        assertThat(appendedUtf8(raw, false)).isEqualTo(appendedUtf8(jackson, false));
        assertThat(appendedUtf8(raw, true)).isEqualTo(appendedUtf8(jackson, true));
        assertThat(appendedChars(raw, false)).isEqualTo(appendedChars(jackson, false));
        assertThat(appendedChars(raw, true)).isEqualTo(appendedChars(jackson, true));
        assertThat(written(raw, false)).isEqualTo(written(jackson, false));
        assertThat(written(raw, true)).isEqualTo(written(jackson, true));
        assertThat(put(raw, false, 4096)).isEqualTo(put(jackson, false, 4096));
        assertThat(put(raw, true, 4096)).isEqualTo(put(jackson, true, 4096));
    }

    @Test
    void aBufferTooSmallIsLeftAsItWas() throws IOException {
        byte[] small = new byte[LENGTH + 2];
        assertThat(raw.appendUnquotedUTF8(small, 3)).isEqualTo(-1);
        assertThat(raw.appendQuotedUTF8(small, 0)).isEqualTo(-1);
        assertThat(small).containsOnly(0);
        assertThat(raw.appendUnquoted(new char[10], 0)).isEqualTo(-1);
        assertThat(raw.appendQuoted(new char[10], 0)).isEqualTo(-1);
        assertThat(put(raw, false, 10)).isEqualTo("-1");
    }

    private static String appendedUtf8(SerializableString s, boolean quoted) {
        byte[] buffer = new byte[4096];
        int n = quoted ? s.appendQuotedUTF8(buffer, 5) : s.appendUnquotedUTF8(buffer, 5);
        return new String(buffer, 5, n, StandardCharsets.UTF_8);
    }

    private static String appendedChars(SerializableString s, boolean quoted) {
        char[] buffer = new char[4096];
        int n = quoted ? s.appendQuoted(buffer, 5) : s.appendUnquoted(buffer, 5);
        return new String(buffer, 5, n);
    }

    private static String written(SerializableString s, boolean quoted) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int n = quoted ? s.writeQuotedUTF8(out) : s.writeUnquotedUTF8(out);
        assertThat(n).isEqualTo(out.size());
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String put(SerializableString s, boolean quoted, int capacity) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(capacity);
        int n = quoted ? s.putQuotedUTF8(buffer) : s.putUnquotedUTF8(buffer);
        return n < 0 ? Integer.toString(n) : new String(Arrays.copyOf(buffer.array(), n), StandardCharsets.UTF_8);
    }
}
