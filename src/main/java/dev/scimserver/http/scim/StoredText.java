package dev.scimserver.http.scim;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The members of a stored JSON object found in its text, without a tree: a resource being written
 * can take the object's members as they are when each is one the resource shows. The text is what
 * the database or Jackson wrote, so it is valid JSON; the scan only finds where members begin and end.
 */
final class StoredText {
    private StoredText() {
    }

    /** An object's members: its text between {@code from} and {@code to}, and their names. */
    record Members(String text, int from, int to, List<String> names) {
        boolean has(String name) {
            return names.contains(name);
        }

        /** Writes the members into the object {@code out} is writing, after a member it has written. */
        void writeInto(JsonGenerator out) throws IOException {
            if (!names.isEmpty()) {
                out.writeRaw(',');
                out.writeRaw(text, from, to - from);
            }
        }
    }

    /**
     * The members of the object {@code json}, or null when it is not an object or names a member
     * outside {@code shown} (or spells a name with an escape, which no shown name needs).
     */
    static Members members(String json, Set<String> shown) {
        int end = json.length();
        int at = skipSpace(json, 0);
        if (at == end || json.charAt(at) != '{') {
            return null;
        }
        int from = at + 1;
        List<String> names = new ArrayList<>();
        at = skipSpace(json, from);
        if (at < end && json.charAt(at) == '}') {
            return skipSpace(json, at + 1) == end ? new Members(json, from, at, names) : null;
        }
        while (at < end && json.charAt(at) == '"') {
            int close = json.indexOf('"', at + 1);
            if (close < 0) {
                return null;
            }
            String name = json.substring(at + 1, close);
            if (name.indexOf('\\') >= 0 || !shown.contains(name)) {
                return null;
            }
            names.add(name);
            at = skipSpace(json, close + 1);
            if (at == end || json.charAt(at) != ':') {
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
            if (json.charAt(at) == '}') {
                return skipSpace(json, at + 1) == end ? new Members(json, from, at, names) : null;
            }
            if (json.charAt(at) != ',') {
                return null;
            }
            at = skipSpace(json, at + 1);
        }
        return null;
    }

    /** Where the value starting at or after {@code start} ends: just past it, or -1 (no end). */
    private static int endOfValue(String json, int start) {
        int depth = 0;
        for (int at = skipSpace(json, start); at < json.length(); at++) {
            char c = json.charAt(at);
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

    private static int closingQuote(String json, int open) {
        for (int at = open + 1; at < json.length(); at++) {
            char c = json.charAt(at);
            if (c == '\\') {
                at++;
            } else if (c == '"') {
                return at;
            }
        }
        return -1;
    }

    private static int skipSpace(String json, int from) {
        int at = from;
        while (at < json.length() && " \t\r\n".indexOf(json.charAt(at)) >= 0) {
            at++;
        }
        return at;
    }
}
