package dev.scimserver.http.scim;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The members of a stored JSON object found in its UTF-8 text, without a tree: a resource being
 * written can take the object's members as they are when each is one the resource shows. The text is
 * what the database or Jackson wrote, so it is valid JSON; the scan only finds where members begin and
 * end. It reads bytes, not chars: every byte of a multi-byte UTF-8 sequence is above ASCII, so none
 * is mistaken for a quote, a brace or a comma, and the bytes are copied out without decoding.
 */
final class StoredText {
    /** A byte array's eight bytes from an index as a long, the first the lowest. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long QUOTES = 0x2222222222222222L;
    private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;

    private StoredText() {
    }

    /** The member names a scan accepts, each with its bit in a {@link Members}' mask. */
    static final class Names {
        private static final int[] NO_BITS = {};

        private final List<String> names;
        /** The names' UTF-8 bytes, in the order of their bits. */
        private final byte[][] utf8;
        /** The bits of the names of each length in bytes: a name is compared only with those of its length. */
        private final int[][] bitsByLength;

        private Names(List<String> names) {
            if (names.size() > Long.SIZE) {
                throw new IllegalArgumentException("a scan tells apart at most 64 names, not " + names.size());
            }
            this.names = names;
            utf8 = names.stream().map(name -> name.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
            int longest = Arrays.stream(utf8).mapToInt(name -> name.length).max().orElse(0);
            bitsByLength = new int[longest + 1][];
            for (int length = 0; length <= longest; length++) {
                int size = length;
                bitsByLength[length] = IntStream.range(0, utf8.length)
                        .filter(bit -> utf8[bit].length == size).toArray();
            }
        }

        static Names of(Set<String> names) {
            return new Names(List.copyOf(names));
        }

        /** The bit of the name spelled by {@code text} between {@code from} and {@code to}, or -1. */
        private int bit(byte[] text, int from, int to) {
            int length = to - from;
            for (int bit : length < bitsByLength.length ? bitsByLength[length] : NO_BITS) {
                if (Arrays.equals(text, from, to, utf8[bit], 0, length)) {
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

    /**
     * The closing quote of the string opened at {@code open}, or -1; an escaped quote does not close it.
     * Eight bytes are looked at a time for a quote or a backslash: this scan was the renderer's
     * hottest loop, every stored string passing through it.
     */
    private static int closingQuote(byte[] json, int open) {
        int at = open + 1;
        while (at <= json.length - Long.BYTES) {
            long word = (long) LONGS.get(json, at);
            long found = zeroBytes(word ^ QUOTES) | zeroBytes(word ^ BACKSLASHES);
            if (found == 0) {
                at += Long.BYTES;
                continue;
            }
            int first = at + (Long.numberOfTrailingZeros(found) >>> 3);
            if (json[first] == '"') {
                return first;
            }
            at = first + 2;
        }
        for (; at < json.length; at++) {
            byte c = json[at];
            if (c == '\\') {
                at++;
            } else if (c == '"') {
                return at;
            }
        }
        return -1;
    }

    /**
     * The high bit of each byte of {@code word} that is zero, exact up to the lowest such byte (a borrow
     * may mark bytes above it, never below): all a search for the first one needs.
     */
    private static long zeroBytes(long word) {
        return (word - 0x0101010101010101L) & ~word & 0x8080808080808080L;
    }

    private static int skipSpace(byte[] json, int from) {
        int at = from;
        while (at < json.length && (json[at] == ' ' || json[at] == '\n' || json[at] == '\r' || json[at] == '\t')) {
            at++;
        }
        return at;
    }
}
