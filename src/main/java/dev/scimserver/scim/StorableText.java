package dev.scimserver.scim;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * What text the directory can keep exactly as it was sent. PostgreSQL's text holds no U+0000, and a
 * UTF-16 surrogate without its pair is no character at all: the driver writes it as '?', so two
 * different values would be kept as one and a filter would find what it did not name. Both are
 * refused wherever client text enters, once its escapes are decoded.
 */
public final class StorableText {
    private StorableText() {
    }

    /**
     * Whether {@code bytes} are UTF-8 as RFC 3629 has it: no overlong form (C0 AF is no '/'), no
     * surrogate, nothing beyond U+10FFFF. A decoder that is not strict turns such bytes into other
     * characters, or into U+FFFD, and the text kept would not be the text sent.
     */
    public static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /**
     * Whether {@code body} is JSON text in UTF-8 as RFC 8259 §8.1 has it exchanged: {@link #isUtf8}, and
     * no zero byte, which UTF-8 JSON never holds (a control character in a string is escaped) and by
     * which a parser would take the body for UTF-16 or UTF-32.
     */
    public static boolean isUtf8Json(byte[] body) {
        for (byte b : body) {
            if (b == 0) {
                return false;
            }
        }
        return isUtf8(body);
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
