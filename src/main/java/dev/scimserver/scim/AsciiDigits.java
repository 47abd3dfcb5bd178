package dev.scimserver.scim;

/**
 * Whole numbers as a client writes them on the wire: an optional sign, then ASCII digits only.
 * Long.parseLong also takes every other Unicode decimal digit (full-width, Arabic-Indic, Devanagari),
 * so {@code count=５} or {@code "５"} would be read as 5, where a client that sent it almost surely made
 * a mistake, and one value would have many spellings in the log and the journal.
 */
public final class AsciiDigits {
    private AsciiDigits() {
    }

    /** The number {@code text} writes; NumberFormatException for anything else, or a value out of range. */
    public static long parseLong(String text) {
        requireAscii(text);
        return Long.parseLong(text);
    }

    /**
     * The number {@code text} writes, held within the range of an int: a whole number beyond it is
     * the nearest end, not an error (a count or an index too large to hold is as good as the largest).
     * NumberFormatException for anything that is no whole number.
     */
    public static int parseClampedInt(String text) {
        requireAscii(text);
        boolean negative = text.startsWith("-");
        if (text.length() == (negative || text.startsWith("+") ? 1 : 0)) {
            throw new NumberFormatException("no digits");
        }
        try {
            return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, Long.parseLong(text)));
        } catch (NumberFormatException beyondLong) {
            return negative ? Integer.MIN_VALUE : Integer.MAX_VALUE;
        }
    }

    /** As {@link #parseLong}, within the range of an int. */
    public static int parseInt(String text) {
        requireAscii(text);
        return Integer.parseInt(text);
    }

    private static void requireAscii(String text) {
        if (text == null) {
            throw new NumberFormatException("no number");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean sign = i == 0 && (c == '-' || c == '+');
            if (!sign && (c < '0' || c > '9')) {
                throw new NumberFormatException("not a number written in ASCII digits");
            }
        }
    }
}
