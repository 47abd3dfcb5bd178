package dev.scimserver.scim;

import java.util.Arrays;

/**
 * Malformed percent-escapes in a query string: a {@code %} not followed by two hexadecimal digits.
 * The web framework drops a parameter that holds one, so a search would run without that filter and
 * answer more than was asked for; every part of the server refuses such a query instead.
 */
public final class PercentEscapes {
    private PercentEscapes() {
    }

    /** The index of the first malformed escape in {@code query}, else -1. */
    public static int firstMalformed(String query) {
        if (query == null) {
            return -1;
        }
        for (int i = query.indexOf('%'); i >= 0; i = query.indexOf('%', i + 1)) {
            if (i + 2 >= query.length() || !isHexDigit(query.charAt(i + 1)) || !isHexDigit(query.charAt(i + 2))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The bytes {@code encoded} spells in a query or a form: each well-formed escape as its byte, a
     * {@code +} as a space, every other byte as it is, a malformed escape included (it hides nothing
     * the others spell).
     */
    public static byte[] decode(byte[] encoded) {
        return decode(encoded, true);
    }

    /**
     * The bytes {@code encoded} spells in a URI component outside a query (RFC 3986), such as the
     * password of a URL: as {@link #decode}, but a {@code +} is itself there, not a space.
     */
    public static byte[] decodeComponent(byte[] encoded) {
        return decode(encoded, false);
    }

    private static byte[] decode(byte[] encoded, boolean plusIsSpace) {
        // An array, not a stream: the provisioning log decodes every request's path and query.
        byte[] bytes = new byte[encoded.length];
        int length = 0;
        for (int i = 0; i < encoded.length; i++) {
            if (encoded[i] == '%' && i + 2 < encoded.length && isHexDigit((char) encoded[i + 1])
                    && isHexDigit((char) encoded[i + 2])) {
                bytes[length++] = (byte) (Character.digit(encoded[i + 1], 16) << 4 | Character.digit(encoded[i + 2], 16));
                i += 2;
            } else {
                bytes[length++] = plusIsSpace && encoded[i] == '+' ? (byte) ' ' : encoded[i];
            }
        }
        return length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
    }

    /** What a client is told about the escape at {@code index}. */
    public static String problem(int index) {
        return "the query string holds a malformed percent-escape at character " + (index + 1)
                + ": '%' must be followed by two hexadecimal digits (%25 for '%' itself)";
    }

    /** An ASCII hex digit: Character.digit also takes full-width and other Unicode digits. */
    public static boolean isHexDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
