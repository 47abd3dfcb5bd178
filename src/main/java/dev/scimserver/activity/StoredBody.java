package dev.scimserver.activity;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * A redacted body (or other client text) as the log keeps it: at most {@value #MAX_BYTES} bytes of
 * UTF-8, and a mark where it was cut.
 */
final class StoredBody {
    static final int MAX_BYTES = 64 * 1024;
    static final String CUT_MARK = "\n[cut at 64 KiB: the body had %d bytes]";
    private static final Pattern CUT = Pattern.compile("\n\\[cut at 64 KiB: the body had \\d+ bytes]\\z");

    private StoredBody() {
    }

    /** {@code text} within the limit; {@code cut} also when it is only the start of a body of {@code totalBytes}. */
    static String of(String text, boolean cut, long totalBytes) {
        if (text == null) {
            return null;
        }
        String kept = storable(text);
        // A UTF-16 unit takes at most three bytes of UTF-8: a text this short fits without encoding it.
        if (!cut && (long) kept.length() * 3 <= MAX_BYTES) {
            return kept;
        }
        byte[] utf8 = kept.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= MAX_BYTES && !cut) {
            return kept;
        }
        int end = Math.min(MAX_BYTES, utf8.length);
        // Never half a character: back up over UTF-8 continuation bytes.
        while (end > 0 && end < utf8.length && (utf8[end] & 0xC0) == 0x80) {
            end--;
        }
        return new String(utf8, 0, end, StandardCharsets.UTF_8) + String.format(CUT_MARK, totalBytes);
    }

    /**
     * Whether {@code kept} ends in the cut's mark. A body a client sent ending in the same words reads
     * as cut too; what follows from it is a warning, never a change of the body.
     */
    static boolean isCut(String kept) {
        return kept != null && CUT.matcher(kept).find();
    }

    /**
     * {@code text} with every U+0000 replaced by U+FFFD: PostgreSQL's text holds no U+0000, and one
     * such character from a client would otherwise fail the whole batch its entry is written in.
     */
    static String storable(String text) {
        return text == null || text.indexOf('\u0000') < 0 ? text : text.replace('\u0000', '\uFFFD');
    }
}
