package dev.scimserver.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.text.Normalizer;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * The attributes by which people and other systems name a user or a group: userName, displayName,
 * externalId and the addresses of emails. Each is an indexed column in the store, and a btree
 * entry holds about 2,700 bytes: past it PostgreSQL refuses the row, so these values are bounded
 * here, with an answer that names the limit.
 *
 * <p>userName, the addresses of emails and a Group's displayName must also be unique, compared
 * without regard to case: two spellings a person cannot tell apart must be one name. They are kept
 * trimmed of Unicode's white space, no-break spaces included, and in Unicode NFC ({@code "ada@x.com "}
 * is {@code "ada@x.com"}, and {@code é} composed is {@code é} decomposed), and a filter value compared
 * with them is read the same way. The ToolJet role is read trimmed too, so a filter finds it as a
 * write names it. A User's displayName and externalId are kept as sent: the first is prose, the
 * second another system's key, which it compares exactly.
 */
public final class Names {
    /** In characters (code points): 1,024 bytes of UTF-8 at most, well inside a btree entry. */
    public static final int MAX_LENGTH = 256;

    private static final Set<AttributeDefinition> UNIQUE = identities(
            ScimSchemas.get().users().core().attribute("userName").orElseThrow(),
            ScimSchemas.get().users().core().attribute("emails").flatMap(e -> e.subAttribute("value")).orElseThrow(),
            ScimSchemas.get().groups().core().attribute("displayName").orElseThrow());
    private static final AttributeDefinition ROLE = ScimSchemas.get().users().extension(ScimUrns.TOOLJET_USER)
            .flatMap(tooljet -> tooljet.attribute("role")).orElseThrow();
    private static final Set<AttributeDefinition> BOUNDED = identities(
            ScimSchemas.get().users().core().attribute("userName").orElseThrow(),
            ScimSchemas.get().users().core().attribute("emails").flatMap(e -> e.subAttribute("value")).orElseThrow(),
            ScimSchemas.get().groups().core().attribute("displayName").orElseThrow(),
            ScimSchemas.get().users().core().attribute("displayName").orElseThrow(),
            ScimSchemas.get().users().commonAttribute("externalId").orElseThrow(),
            ScimSchemas.get().groups().commonAttribute("externalId").orElseThrow());

    private Names() {
    }

    /** Definitions by identity: a Group's displayName and a User's are different attributes. */
    private static Set<AttributeDefinition> identities(AttributeDefinition... definitions) {
        Set<AttributeDefinition> set = Collections.newSetFromMap(new IdentityHashMap<>());
        Collections.addAll(set, definitions);
        return set;
    }

    /**
     * The value of {@code def} as it is kept: canonical when {@code def} is a unique name, and
     * refused when longer than {@link #MAX_LENGTH}. {@code where} names the attribute in the refusal.
     */
    static String kept(AttributeDefinition def, String text, String where) {
        String kept = UNIQUE.contains(def) ? canonical(text) : text;
        if (BOUNDED.contains(def) && kept.codePointCount(0, kept.length()) > MAX_LENGTH) {
            throw ScimException.invalidValue(where + " is longer than " + MAX_LENGTH + " characters");
        }
        return kept;
    }

    /**
     * A filter value as it compares with {@code def}: read like a kept value when {@code def} is a
     * unique name, except that a substring ({@code co}, {@code sw}, {@code ew}) keeps its spaces,
     * which may stand inside the name.
     */
    public static JsonNode comparedWith(AttributeDefinition def, ComparisonOperator op, JsonNode value) {
        boolean substring = op == ComparisonOperator.CO || op == ComparisonOperator.SW || op == ComparisonOperator.EW;
        if (def == ROLE && value.isTextual() && !substring) {
            return TextNode.valueOf(trimmed(value.textValue()));
        }
        if (!UNIQUE.contains(def) || !value.isTextual()) {
            return value;
        }
        String text = value.textValue();
        return TextNode.valueOf(substring ? Normalizer.normalize(text, Normalizer.Form.NFC) : canonical(text));
    }

    /** A unique name as it is kept and compared: in NFC, {@linkplain #trimmed trimmed}. */
    public static String canonical(String text) {
        return trimmed(Normalizer.normalize(text, Normalizer.Form.NFC));
    }

    /**
     * {@code text} without Unicode's White_Space at either end. Not {@code strip()}: it keeps the
     * no-break spaces (U+00A0, U+2007, U+202F) and NEL (U+0085), which are as invisible, so
     * {@code "ada"} and {@code "ada"} with a no-break space after it would be two users. Every
     * White_Space character is in the Basic Multilingual Plane, so the text is read by char.
     */
    public static String trimmed(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isWhiteSpace(text.charAt(start))) {
            start++;
        }
        while (end > start && isWhiteSpace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }

    private static boolean isWhiteSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }
}
