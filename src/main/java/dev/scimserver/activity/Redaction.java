package dev.scimserver.activity;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.scimserver.scim.PercentEscapes;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Takes every secret out of what the log keeps. A field is a secret when its name, in any case, holds
 * {@code password}, {@code passwd} or {@code secret}, ends with {@code token} ({@code access_token},
 * {@code refresh_token}), or is {@code client_assertion} or {@code authorization}; so is the
 * {@code value} of a PATCH operation whose {@code path} names a password, and any {@code filter} that
 * mentions one (filtering on it is refused, but the value was sent), and an error's {@code detail}
 * that quotes such a filter back. This holds at any depth: in Bulk operations, in path-less PATCH
 * values, in extension objects; past {@link #MAX_DEPTH} levels a value is withheld whole. A secret
 * this server issued ({@link #ISSUED_SECRET_PREFIXES}) is found by its prefix wherever it was sent,
 * whatever field holds it: a client that swaps its client id and secret, or pastes a token into a
 * userName, still sent it.
 *
 * <p>A body that is not JSON (nor a form, for the token endpoint) cannot be searched field by field:
 * it is withheld whole when it mentions anything like a secret. A response cut short before
 * redaction (only its first bytes were captured) is redacted token by token up to the cut.
 */
final class Redaction {
    static final String MARK = "[REDACTED]";
    static final String ENCODED_MARK = URLEncoder.encode(MARK, StandardCharsets.UTF_8);
    static final String WITHHELD = "[withheld: not JSON, and it may hold a secret]";
    static final String TOO_DEEP = "[withheld: nested deeper than the search for secrets goes]";
    /**
     * How deep the search goes, counting both the nesting of arrays and objects and each string
     * parsed again as JSON; far beyond any SCIM document. A value deeper is withheld whole: each
     * level costs the writer's stack a call, and JSON held in strings held in JSON multiplies the
     * depth one parse allows.
     */
    static final int MAX_DEPTH = 64;
    /**
     * Refuses a name given twice in one object, as the SCIM endpoints do: a tree keeps only the last
     * value, so {@code "path":"password","value":…,"path":"displayName"} would read as a change of the
     * display name and keep the password. Such a body is judged as text instead.
     */
    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());
    private static final JsonFactory FACTORY = MAPPER.getFactory();
    private static final String FORM = "application/x-www-form-urlencoded";
    /**
     * How every secret this server issues begins: an API token, an OAuth client's secret (the access
     * package's {@code SecretFormat}, which this package may not see; RedactionTest checks each), and an
     * OAuth access token, whose JWS header begins with its key id, {@code {"kid":"}, in base64url
     * (ProvisioningLogSecretsTest pastes a real one into a body and a filter). Folded, as the text they
     * are looked for in is.
     */
    static final List<String> ISSUED_SECRET_PREFIXES = List.of("scim_tok_", "scim_sec_",
            "eyJraWQiOi".toLowerCase(Locale.ROOT));
    /** Every word a rule below looks for, as lower-case ASCII bytes; see {@link #nothingToRedact}. */
    private static final byte[][] WORDS = Stream.concat(Stream.of("passw", "secret", "token", "assertion",
                    "authorization"), ISSUED_SECRET_PREFIXES.stream())
            .map(word -> word.getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);
    /** For each ASCII byte, the {@link #WORDS} that start with it in either case, as the scan compares. */
    private static final byte[][][] WORDS_BY_FIRST_BYTE = IntStream.range(0, 128)
            .mapToObj(b -> Arrays.stream(WORDS).filter(word -> word[0] == (b | 0x20)).toArray(byte[][]::new))
            .toArray(byte[][][]::new);
    /**
     * For two bytes ({@code first << 8 | second}), whether the scan must look closer where they stand:
     * the first two bytes of a word in any case, a backslash and any byte, the first two bytes of a
     * {@link #CASE_MATCHING_ASCII} letter, or a NUL beside any byte (a body in UTF-16 or UTF-32, whose
     * words the scan cannot see). Every other pair, nearly all of any body, costs the scan one lookup
     * here, so its inner loop ({@link #closer}) seldom stops: a table of single bytes would stop it at
     * every a, p, s and t.
     */
    private static final boolean[] LOOK_CLOSER = new boolean[1 << 16];
    /** The characters after a backslash whose escape is not a letter: all of JSON's but {@code u}. */
    private static final String SPELLS_NO_LETTER = "\"\\/bfnrt";
    /** The characters {@link #SPELLS_NO_LETTER}'s escapes stand for, in its order. */
    private static final String ESCAPED = "\"\\/\b\f\n\r\t";
    /**
     * In UTF-8, the letters outside ASCII that match an ASCII letter ignoring case, as Java's
     * {@code equalsIgnoreCase} matches the schema's attribute names and {@link #fold} matches the words
     * here: U+0130 (i), U+0131 (dotless i), U+017F (long s) and U+212A, the Kelvin sign (k). A name
     * spelt with one of them sets a password as well as the plain one does. RedactionTest checks every
     * character against this list.
     */
    private static final byte[][] CASE_MATCHING_ASCII = Stream.of("\u0130", "\u0131", "\u017F", "\u212A")
            .map(letter -> letter.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);

    static {
        for (byte[] word : WORDS) {
            for (int first : new int[] {word[0], word[0] & ~0x20}) {
                LOOK_CLOSER[first << 8 | word[1]] = true;
                LOOK_CLOSER[first << 8 | (word[1] & ~0x20)] = true;
            }
        }
        for (int other = 0; other < 256; other++) {
            LOOK_CLOSER['\\' << 8 | other] = true;
            LOOK_CLOSER[other << 8] = true;
            LOOK_CLOSER[other] = true;
        }
        for (byte[] letter : CASE_MATCHING_ASCII) {
            LOOK_CLOSER[(letter[0] & 0xFF) << 8 | (letter[1] & 0xFF)] = true;
        }
    }

    private Redaction() {
    }

    /** A whole body, as text with its secrets replaced; {@code null} when there is none. */
    static String body(byte[] body, String contentType) {
        if (body == null || body.length == 0) {
            return null;
        }
        if (isForm(contentType)) {
            return form(new String(body, StandardCharsets.UTF_8));
        }
        if (nothingToRedact(body)) {
            return new String(body, StandardCharsets.UTF_8);
        }
        try {
            // Jackson reads UTF-16 and UTF-32 too, as the SCIM endpoints do; the answer is the text.
            JsonNode tree = MAPPER.readTree(body);
            // A body that is one string (or number) is no document to search field by field.
            if (tree != null && tree.isContainerNode()) {
                return MAPPER.writeValueAsString(redacted(tree, 0));
            }
        } catch (IOException notJson) {
            // Judged as text below.
        }
        return text(new String(body, StandardCharsets.UTF_8));
    }

    /** Whether a body of {@code contentType} is a form, its pairs percent-encoded. */
    static boolean isForm(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith(FORM);
    }

    /** The first bytes of a longer body: its JSON redacted token by token up to where it was cut. */
    static String head(byte[] head) {
        if (nothingToRedact(head)) {
            return new String(head, StandardCharsets.UTF_8);
        }
        StringWriter out = new StringWriter();
        boolean anyToken = false;
        try (JsonParser parser = FACTORY.createParser(head); JsonGenerator generator = FACTORY.createGenerator(out)) {
            try {
                for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                    anyToken = true;
                    if (token == JsonToken.VALUE_STRING && holdsIssuedSecret(parser.getText())) {
                        generator.writeString(MARK);
                    } else if (token == JsonToken.FIELD_NAME && isSecret(parser.currentName())) {
                        generator.writeFieldName(holdsIssuedSecret(parser.currentName()) ? MARK : parser.currentName());
                        parser.nextToken();
                        parser.skipChildren();
                        generator.writeString(MARK);
                    } else {
                        generator.copyCurrentEvent(parser);
                    }
                }
            } catch (IOException cut) {
                // The end of the captured bytes: what came before it is kept.
            }
            generator.flush();
        } catch (IOException e) {
            return text(new String(head, StandardCharsets.UTF_8));
        }
        return anyToken ? out.toString() : text(new String(head, StandardCharsets.UTF_8));
    }

    /**
     * A request's path, still encoded, with each segment that holds an issued secret once decoded
     * withheld: a token sent as a resource id would otherwise be kept in the path and, folded, in the
     * entry's resource id.
     */
    static String path(String path) {
        return withheldParts(path, '/', Redaction::holdsIssuedSecret);
    }

    /**
     * A path or a query string, still percent-encoded: each segment ({@code /}) or pair ({@code &})
     * that {@code holdsSecret} once decoded, with a plus read as a space or not, is replaced by the
     * mark, in whichever way the client encoded it.
     */
    static String withheldParts(String encoded, char separator, Predicate<String> holdsSecret) {
        if (encoded == null) {
            return null;
        }
        StringJoiner kept = new StringJoiner(String.valueOf(separator));
        // '/' and '&' are no regular expression's operators: split takes its fast path.
        for (String part : encoded.split(String.valueOf(separator), -1)) {
            kept.add(holdsOnceDecoded(part, holdsSecret) ? ENCODED_MARK : part);
        }
        return kept.toString();
    }

    /** Whether {@code encoded} holds a secret once percent-decoded, with a plus read as a space or as itself. */
    static boolean holdsOnceDecoded(String encoded, Predicate<String> holdsSecret) {
        boolean escaped = encoded.indexOf('%') >= 0;
        boolean plus = encoded.indexOf('+') >= 0;
        if (!escaped && !plus) {
            return holdsSecret.test(encoded);
        }
        // The two readings differ only where a plus was sent as itself.
        String asComponent = escaped ? new String(PercentEscapes.decodeComponent(encoded.getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8) : encoded;
        return holdsSecret.test(asComponent) || plus && holdsSecret.test(decoded(encoded));
    }

    /** A query string ({@code a=b&c=d}, still encoded), with secret parameters and password filters withheld. */
    static String query(String query) {
        if (query == null || query.isEmpty()) {
            return query;
        }
        StringJoiner kept = new StringJoiner("&");
        for (String pair : query.split("&", -1)) {
            int equals = pair.indexOf('=');
            String mark = ENCODED_MARK;
            String name = decoded(equals < 0 ? pair : pair.substring(0, equals));
            // A pair without a value (filter%3D… with its '=' encoded, password%20eq%20…) or a name
            // that holds one of its own is withheld whole when it may hold a secret, as a form's is.
            if (holdsIssuedSecret(name) || (equals < 0 || name.indexOf('=') >= 0) && mentionsSecretValue(name)) {
                kept.add(mark);
                continue;
            }
            if (equals < 0) {
                kept.add(pair);
                continue;
            }
            String value = decoded(pair.substring(equals + 1));
            kept.add(isSecret(name) || mentionsPassword(value) || holdsIssuedSecret(value)
                    ? pair.substring(0, equals) + "=" + mark : pair);
        }
        return kept.toString();
    }

    /**
     * A form's secret parameters withheld: those named as secrets, and any whose value, or which
     * without a value, mentions one (a JSON body sent as a form, a secret in another parameter).
     */
    private static String form(String form) {
        StringJoiner kept = new StringJoiner("&");
        for (String pair : form.split("&", -1)) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            boolean secret = equals < 0 ? mentionsSecretValue(decoded(pair))
                    : isSecret(decoded(name)) || mentionsSecretValue(decoded(pair.substring(equals + 1)));
            String mark = ENCODED_MARK;
            kept.add(!secret ? pair : equals < 0 || holdsIssuedSecret(decoded(name)) ? mark : name + "=" + mark);
        }
        return kept.toString();
    }

    /**
     * Text that could not be read field by field: withheld whole when it mentions a secret, spelt
     * plainly or with JSON's Unicode escapes ({@code "pa\u0073sword"} in a body that is almost JSON).
     */
    private static String text(String text) {
        // A NUL between the letters of a word (UTF-16 read as UTF-8) must not hide it.
        String joined = text.replace("\0", "");
        // An escaped NUL (pa\u0000ssword) hides a word as a raw one does.
        return mentionsSecret(joined) || mentionsSecret(unescaped(joined).replace("\0", "")) ? WITHHELD : text;
    }

    /**
     * {@code text} with JSON's escapes read: each well-formed Unicode escape, and each of the others (a
     * backslash before a quote, a slash, an n …), as its character; anything else kept as it is.
     */
    static String unescaped(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 5 < text.length() && (text.charAt(i + 1) | 0x20) == 'u'
                    && isHex(text, i + 2, i + 6)) {
                out.append((char) Integer.parseInt(text.substring(i + 2, i + 6), 16));
                i += 5;
            } else if (c == '\\' && i + 1 < text.length() && SPELLS_NO_LETTER.indexOf(text.charAt(i + 1)) >= 0) {
                out.append(ESCAPED.charAt(SPELLS_NO_LETTER.indexOf(text.charAt(i + 1))));
                i++;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isHex(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!PercentEscapes.isHexDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether text that cannot be read field by field may hold a secret: it names one of the secret
     * fields, an Authorization header or an assertion among them.
     */
    private static boolean mentionsSecret(String text) {
        String folded = fold(text);
        return namesSecretField(folded) || folded.contains("authorization") || folded.contains("assertion");
    }

    /**
     * Whether a form's value may hold a secret. Not for naming an Authorization or an assertion: the
     * token endpoint's own values do ({@code grant_type=authorization_code}, {@code client_assertion_type}),
     * and the assertion itself is a field named as a secret.
     */
    private static boolean mentionsSecretValue(String text) {
        return namesSecretField(fold(text));
    }

    /** {@link #mentionsSecretValue} of text already {@linkplain #fold folded}. */
    private static boolean namesSecretField(String folded) {
        return folded.contains("passw") || folded.contains("secret") || folded.contains("token")
                || holdsIssuedPrefix(folded);
    }

    /**
     * An error's detail as the log keeps it: withheld when it quotes a filter that mentions a password
     * (a PATCH path's, refused for another reason before the filter was looked at), as the request's
     * path is, or quotes an issued secret (a token sent as an attribute's name); a detail that only
     * names the password says nothing secret and is kept.
     */
    static String detail(String detail) {
        return detail != null && (filtersOnPassword(TextNode.valueOf(detail), false) || holdsIssuedSecret(detail))
                ? MARK : detail;
    }

    /** Whether {@code text} holds the beginning of a secret this server issued, in any case. */
    static boolean holdsIssuedSecret(String text) {
        return text != null && holdsIssuedPrefix(fold(text));
    }

    /** {@link #holdsIssuedSecret} of text already {@linkplain #fold folded}. */
    private static boolean holdsIssuedPrefix(String folded) {
        for (String prefix : ISSUED_SECRET_PREFIXES) {
            if (folded.contains(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode redacted(JsonNode node, int depth) {
        if (depth >= MAX_DEPTH && node.isContainerNode()) {
            return TextNode.valueOf(TOO_DEEP);
        }
        if (node instanceof ObjectNode object) {
            // A name that holds an issued secret is itself withheld, with its value.
            List<String> secretNames = new ArrayList<>();
            object.fieldNames().forEachRemaining(name -> {
                if (holdsIssuedSecret(name)) {
                    secretNames.add(name);
                }
            });
            if (!secretNames.isEmpty()) {
                object.remove(secretNames);
                object.put(MARK, MARK);
            }
            boolean passwordPath = false;
            for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
                // A PATCH operation's members are read in any case, "Path" as "path".
                Map.Entry<String, JsonNode> field = fields.next();
                passwordPath |= fold(field.getKey()).equals("path") && mentionsPassword(textOf(field.getValue()));
            }
            for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String name = field.getKey();
                if (isSecret(name) || isIssuedSecret(field.getValue()) || (passwordPath && fold(name).equals("value"))
                        || (fold(name).equals("filter") && mentionsPassword(textOf(field.getValue())))
                        || (fold(name).equals("path") && filtersOnPassword(field.getValue(), true))
                        || (fold(name).equals("detail") && filtersOnPassword(field.getValue(), false))) {
                    field.setValue(object.textNode(MARK));
                } else {
                    field.setValue(redactedValue(field.getValue(), depth + 1));
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (isIssuedSecret(array.get(i))) {
                    array.set(i, array.textNode(MARK));
                } else {
                    array.set(i, redactedValue(array.get(i), depth + 1));
                }
            }
        }
        return node;
    }

    /**
     * A value redacted, and a string that holds JSON too (a Bulk operation's {@code data} sent as text:
     * refused, but sent all the same): redacted as JSON when it parses, and withheld when it only looks
     * like JSON and mentions a secret, as it may be an object cut short.
     */
    private static JsonNode redactedValue(JsonNode value, int depth) {
        if (!value.isTextual()) {
            return redacted(value, depth);
        }
        String text = value.asText().strip();
        if (text.isEmpty() || (text.charAt(0) != '{' && text.charAt(0) != '[') || !mentionsSecret(text)) {
            return value;
        }
        try {
            return TextNode.valueOf(MAPPER.writeValueAsString(redacted(MAPPER.readTree(text), depth + 1)));
        } catch (IOException notJson) {
            return TextNode.valueOf(MARK);
        }
    }

    private static boolean isIssuedSecret(JsonNode value) {
        return value.isTextual() && holdsIssuedSecret(value.asText());
    }

    /**
     * Whether no rule here could find anything in {@code body}: no name in it can be spelled in a way
     * the byte scan cannot see, and none of the words the rules look for appears in it, in any case.
     * Most requests and answers are such: they are kept as sent, without being parsed.
     *
     * <p>A name is hidden from the scan by a Unicode escape (a backslash and a {@code u}), by a letter
     * outside ASCII that matches an ASCII one ignoring case ({@link #CASE_MATCHING_ASCII}), or by NULs
     * between its letters (UTF-16 or UTF-32), so each sends the body to the parser. Every other escape
     * (an escaped quote, as in each answer's entity tag, an escaped backslash, a newline) and every
     * other letter spells no ASCII letter.
     */
    static boolean nothingToRedact(byte[] body) {
        int last = body.length - 1;
        int at = closer(body, 0, last);
        while (at < last) {
            int b = body[at] & 0xFF;
            if (b == 0 || body[at + 1] == 0) {
                return false;
            } else if (b >= 0x80) {
                if (matchesAsciiIgnoringCase(body, at)) {
                    return false;
                }
            } else if (b == '\\') {
                if (SPELLS_NO_LETTER.indexOf(body[at + 1]) < 0) {
                    return false;
                }
                // The escaped character is not looked at again.
                at++;
            } else if (startsAWord(body, at, WORDS_BY_FIRST_BYTE[b])) {
                return false;
            }
            at = closer(body, at + 1, last);
        }
        // The last byte alone (unless an escape took it) can only be a backslash that escapes nothing.
        return at != last || body[last] != '\\';
    }

    /**
     * The first place from {@code from} on, before {@code last}, where the scan must look closer, else
     * {@code last} (or {@code from}, past it). A loop of its own so that the JIT compiles it as a counted
     * loop, the way it does not compile one whose index the escapes move: answers are scanned for every
     * entry the log keeps, and this loop is nearly all of a scan.
     */
    private static int closer(byte[] body, int from, int last) {
        for (int at = from; at < last; at++) {
            if (LOOK_CLOSER[(body[at] & 0xFF) << 8 | (body[at + 1] & 0xFF)]) {
                return at;
            }
        }
        return Math.max(from, last);
    }

    private static boolean matchesAsciiIgnoringCase(byte[] body, int at) {
        for (byte[] letter : CASE_MATCHING_ASCII) {
            if (Arrays.equals(body, at, Math.min(body.length, at + letter.length), letter, 0, letter.length)) {
                return true;
            }
        }
        return false;
    }

    /** Whether one of {@code words} starts at {@code at} in {@code body}, its letters in any ASCII case. */
    private static boolean startsAWord(byte[] body, int at, byte[][] words) {
        for (byte[] word : words) {
            int i = 1;
            while (i < word.length && at + i < body.length && (body[at + i] == word[i]
                    || word[i] >= 'a' && word[i] <= 'z' && (body[at + i] | 0x20) == word[i])) {
                i++;
            }
            if (i == word.length) {
                return true;
            }
        }
        return false;
    }

    static boolean isSecret(String name) {
        if (name == null) {
            return false;
        }
        String lower = fold(name);
        // A form or query string's list parameter (access_token[]=…) names the same secret.
        if (lower.endsWith("[]")) {
            lower = lower.substring(0, lower.length() - 2);
        }
        return lower.contains("password") || lower.contains("passwd") || lower.contains("secret")
                || lower.endsWith("token") || lower.equals("client_assertion") || lower.equals("authorization")
                || holdsIssuedPrefix(lower);
    }

    private static boolean mentionsPassword(String text) {
        return text != null && fold(text).contains("passw");
    }

    /**
     * A path that mentions a password and may hold a value beside it: a PATCH path's value filter
     * ({@code emails[value eq "x" or password eq "…"]}), a filter sent as a path ({@code password eq
     * "…"}), a Bulk operation's path with a query, or a detail quoting one of them. A filter holds the
     * value it compares, withheld as a {@code filter} is. A path that names a password alone (no
     * bracket, quote, query or equals sign, and no space where {@code spaced} says a path holds none,
     * as an attribute's path does not: {@code password eq 12345678987} compares a number) names the
     * attribute only, and is kept. A detail's words are spaced; its filters are told by the rest.
     */
    private static boolean filtersOnPassword(JsonNode path, boolean spaced) {
        // A path that is no string is no path, so no part of it can be told to be only a name.
        return mentionsPassword(textOf(path)) && (!path.isTextual() || path.asText().chars()
                .anyMatch(c -> c == '[' || c == '"' || c == '\'' || c == '?' || c == '='
                        || spaced && Character.isWhitespace(c)));
    }

    /**
     * A string's text, or the JSON of any other value: a path or a filter of the wrong type is refused,
     * but the password it names or compares, and the value that came with it, were sent all the same.
     */
    private static String textOf(JsonNode value) {
        return value.isTextual() ? value.asText() : value.toString();
    }

    /**
     * Each character as {@code equalsIgnoreCase} compares it (its upper case's lower case), so that a
     * word here matches every spelling the schema's names match: the long s is an s, the Kelvin sign a k.
     */
    private static String fold(String text) {
        if (isAscii(text)) {
            // The same for ASCII, and without a copy when nothing is upper case: every request's path
            // and query are folded several times.
            return text.toLowerCase(Locale.ROOT);
        }
        StringBuilder folded = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            folded.append(Character.toLowerCase(Character.toUpperCase(text.charAt(i))));
        }
        return folded.toString();
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Percent-decoded as far as the escapes are well formed (see {@link PercentEscapes#decode}). */
    static String decoded(String encoded) {
        if (encoded.indexOf('%') < 0 && encoded.indexOf('+') < 0) {
            return encoded;
        }
        return new String(PercentEscapes.decode(encoded.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }
}
