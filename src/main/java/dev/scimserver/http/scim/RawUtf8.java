package dev.scimserver.http.scim;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.JsonStringEncoder;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A slice of UTF-8 JSON text for {@link com.fasterxml.jackson.core.JsonGenerator#writeRaw(SerializableString)}:
 * a byte generator copies the bytes into its buffer as they are, where {@code writeRaw(String)} would
 * decode them to chars and encode them back one by one. The quoted forms, which the raw write never
 * asks for, escape the text as a JSON string's content, as the interface defines them.
 */
final class RawUtf8 implements SerializableString {
    private final byte[] bytes;
    private final int from;
    private final int length;

    RawUtf8(byte[] bytes, int from, int length) {
        this.bytes = bytes;
        this.from = from;
        this.length = length;
    }

    @Override
    public String getValue() {
        return new String(bytes, from, length, StandardCharsets.UTF_8);
    }

    @Override
    public int charLength() {
        return getValue().length();
    }

    @Override
    public byte[] asUnquotedUTF8() {
        return Arrays.copyOfRange(bytes, from, from + length);
    }

    @Override
    public int appendUnquotedUTF8(byte[] buffer, int offset) {
        if (offset + length > buffer.length) {
            return -1;
        }
        System.arraycopy(bytes, from, buffer, offset, length);
        return length;
    }

    @Override
    public int writeUnquotedUTF8(OutputStream out) throws IOException {
        out.write(bytes, from, length);
        return length;
    }

    @Override
    public int putUnquotedUTF8(ByteBuffer buffer) {
        if (length > buffer.remaining()) {
            return -1;
        }
        buffer.put(bytes, from, length);
        return length;
    }

    @Override
    public int appendUnquoted(char[] buffer, int offset) {
        return append(getValue().toCharArray(), buffer, offset);
    }

    @Override
    public char[] asQuotedChars() {
        return JsonStringEncoder.getInstance().quoteAsString(getValue());
    }

    @Override
    public byte[] asQuotedUTF8() {
        return JsonStringEncoder.getInstance().quoteAsUTF8(getValue());
    }

    @Override
    public int appendQuotedUTF8(byte[] buffer, int offset) {
        byte[] quoted = asQuotedUTF8();
        if (offset + quoted.length > buffer.length) {
            return -1;
        }
        System.arraycopy(quoted, 0, buffer, offset, quoted.length);
        return quoted.length;
    }

    @Override
    public int appendQuoted(char[] buffer, int offset) {
        return append(asQuotedChars(), buffer, offset);
    }

    @Override
    public int writeQuotedUTF8(OutputStream out) throws IOException {
        byte[] quoted = asQuotedUTF8();
        out.write(quoted);
        return quoted.length;
    }

    @Override
    public int putQuotedUTF8(ByteBuffer buffer) {
        byte[] quoted = asQuotedUTF8();
        if (quoted.length > buffer.remaining()) {
            return -1;
        }
        buffer.put(quoted);
        return quoted.length;
    }

    private static int append(char[] chars, char[] buffer, int offset) {
        if (offset + chars.length > buffer.length) {
            return -1;
        }
        System.arraycopy(chars, 0, buffer, offset, chars.length);
        return chars.length;
    }

    @Override
    public String toString() {
        return getValue();
    }
}
