package dev.scimserver.store;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Rows in the text format of PostgreSQL's {@code COPY ... FROM STDIN}: columns separated by a tab, rows
 * ended by a newline, {@code \N} for NULL, and a backslash before every backslash, tab, newline and
 * carriage return inside a value. The text is UTF-8, the encoding the driver sets for its connection.
 */
final class CopyText {
    private final ByteArrayOutputStream out;
    private boolean rowStarted;

    CopyText(int expectedBytes) {
        this.out = new ByteArrayOutputStream(expectedBytes);
    }

    CopyText text(String value) {
        separate();
        if (value == null) {
            out.write('\\');
            out.write('N');
            return this;
        }
        int plainFrom = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            char escaped = switch (c) {
                case '\\' -> '\\';
                case '\t' -> 't';
                case '\n' -> 'n';
                case '\r' -> 'r';
                default -> 0;
            };
            if (escaped != 0) {
                utf8(value, plainFrom, i);
                out.write('\\');
                out.write(escaped);
                plainFrom = i + 1;
            }
        }
        utf8(value, plainFrom, value.length());
        return this;
    }

    CopyText number(long value) {
        return text(Long.toString(value));
    }

    CopyText bool(boolean value) {
        return text(value ? "t" : "f");
    }

    CopyText endRow() {
        out.write('\n');
        rowStarted = false;
        return this;
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    private void separate() {
        if (rowStarted) {
            out.write('\t');
        }
        rowStarted = true;
    }

    private void utf8(String value, int from, int to) {
        if (from < to) {
            out.writeBytes(value.substring(from, to).getBytes(StandardCharsets.UTF_8));
        }
    }
}
