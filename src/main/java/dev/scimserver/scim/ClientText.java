package dev.scimserver.scim;

/**
 * Text a client sent, as an error detail may repeat it: never unbounded, so that a request cannot
 * make an answer, or a log line that carries the detail, as large as itself.
 */
public final class ClientText {
    /** Enough to recognise a path, a bulkId or a role, or to read a parser's complaint about a body. */
    static final int SHOWN = 120;

    private ClientText() {
    }

    /** At most {@value #SHOWN} characters of {@code text}, with an ellipsis when cut; never half a surrogate pair. */
    public static String abbreviate(String text) {
        if (text.length() <= SHOWN) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(SHOWN - 1)) ? SHOWN - 1 : SHOWN;
        return text.substring(0, end) + "…";
    }
}
