package dev.scimserver.http.scim;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The members of a stored JSON object found in its UTF-8 text, without a tree: a resource being
 * written can take the object's members as they are when each is one the resource shows. The text is
 * what the database or Jackson wrote, so it is valid JSON; the scan only finds where members begin and
 * end. It reads bytes, not chars: every byte of a multi-byte UTF-8 sequence is above ASCII, so none
 * is mistaken for a quote, a brace or a comma, and the bytes are copied out without decoding.
 */
final class StoredText {
    private StoredText() {
    }

    /** The member names a scan accepts, each with its bit in a {@link Members}' mask. */
    static final class Names {
        private final List<String> names;
        /** The names' UTF-8 bytes, in the order of their bits. */
        private final byte[][] utf8;

        private Names(List<String> names) {
            if (names.size() > Long.SIZE) {
                throw new IllegalArgumentException("a scan tells apart at most 64 names, not " + names.size());
            }
            this.names = names;
            utf8 = names.stream().map(name -> name.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
        }

        static Names of(Set<String> names) {
            return new Names(List.copyOf(names));
        }

        /** The bit of the name spelled by {@code text} between {@code from} and {@code to}, or -1. */
        private int bit(byte[] text, int from, int to) {
            for (int bit = 0; bit < utf8.length; bit++) {
                if (Arrays.equals(text, from, to, utf8[bit], 0, utf8[bit].length)) {
                    return bit;
                }
            }
            return -1;
        }

        private long mask(String name) {
            int bit = names.indexOf(name);
            return bit < 0 ? 0 : 1L << bit;
        }
    }

    /** An object's members: its text between {@code from} and {@code to}, and which names it has. */
    record Members(byte[] text, int from, int to, Names shown, long mask) {
        boolean has(String name) {
            return (mask & shown.mask(name)) != 0;
        }

        /** The names the object has, in no particular order. */
        List<String> names() {
            List<String> present = new ArrayList<>();
            for (String name : shown.names) {
                if (has(name)) {
                    present.add(name);
                }
            }
            return present;
        }

        /** Writes the members into the object {@code out} is writing, after a member it has written. */
        void writeInto(JsonGenerator out) throws IOException {
            if (mask != 0) {
                out.writeRaw(',');
                out.writeRaw(new RawUtf8(text, from, to - from));
            }
        }
    }

    /**
     * The members of the object {@code json}, or null when it is not an object or names a member
     * outside {@code shown} (or spells a name with an escape, which no shown name needs).
     */
    static Members members(byte[] json, Names shown) {
        int end = json.length;
        int at = skipSpace(json, 0);
        if (at == end || json[at] != '{') {
            return null;
        }
        int from = at + 1;
        long mask = 0;
        at = skipSpace(json, from);
        if (at < end && json[at] == '}') {
            return skipSpace(json, at + 1) == end ? new Members(json, from, at, shown, mask) : null;
        }
        while (at < end && json[at] == '"') {
            int close = closingQuote(json, at);
            if (close < 0) {
                return null;
            }
            int bit = shown.bit(json, at + 1, close);
            if (bit < 0) {
                return null;
            }
            mask |= 1L << bit;
            at = skipSpace(json, close + 1);
            if (at == end || json[at] != ':') {
                return null;
            }
            int valueEnd = endOfValue(json, at + 1);
            if (valueEnd < 0) {
                return null;
            }
            at = skipSpace(json, valueEnd);
            if (at == end) {
                return null;
            }
            if (json[at] == '}') {
                return skipSpace(json, at + 1) == end ? new Members(json, from, at, shown, mask) : null;
            }
            if (json[at] != ',') {
                return null;
            }
            at = skipSpace(json, at + 1);
        }
        return null;
    }

    /** Where the value starting at or after {@code start} ends: just past it, or -1 (no end). */
    private static int endOfValue(byte[] json, int start) {
        int depth = 0;
        for (int at = skipSpace(json, start); at < json.length; at++) {
            byte c = json[at];
            if (c == '"') {
                at = closingQuote(json, at);
                if (at < 0) {
                    return -1;
                }
                if (depth == 0) {
                    return at + 1;
                }
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                if (depth == 0) {
                    return at;
                }
                if (--depth == 0) {
                    return at + 1;
                }
            } else if (c == ',' && depth == 0) {
                return at;
            }
        }
        return -1;
    }

    /** The closing quote of the string opened at {@code open}, or -1; an escaped quote does not close it. */
    private static int closingQuote(byte[] json, int open) {
        for (int at = open + 1; at < json.length; at++) {
            byte c = json[at];
            if (c == '\\') {
                at++;
            } else if (c == '"') {
                return at;
            }
        }
        return -1;
    }

    private static int skipSpace(byte[] json, int from) {
        int at = from;
        while (at < json.length && (json[at] == ' ' || json[at] == '\n' || json[at] == '\r' || json[at] == '\t')) {
            at++;
        }
        return at;
    }
}
