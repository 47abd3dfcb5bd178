package dev.scimserver.scim;

/**
 * What text the directory can keep exactly as it was sent. PostgreSQL's text holds no U+0000, and a
 * UTF-16 surrogate without its pair is no character at all: the driver writes it as '?', so two
 * different values would be kept as one and a filter would find what it did not name. Both are
 * refused wherever client text enters, once its escapes are decoded.
 */
public final class StorableText {
    private StorableText() {
    }

    /** The index of the first char the directory cannot keep, or -1. */
    public static int firstUnstorable(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return i;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            } else if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /** Why the char at {@code index} of {@code text} is refused, for an error detail. */
    public static String reason(CharSequence text, int index) {
        return text.charAt(index) == '\u0000' ? "the character U+0000, which no SCIM value may hold"
                : "an unpaired UTF-16 surrogate, which is no character";
    }
}
