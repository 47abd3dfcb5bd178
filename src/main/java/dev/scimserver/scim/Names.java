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
 * trimmed and in Unicode NFC ({@code "ada@x.com "} is {@code "ada@x.com"}, and {@code é} composed
 * is {@code é} decomposed), and a filter value compared with them is read the same way. A User's
 * displayName and externalId are kept as sent: the first is prose, the second another system's
 * key, which it compares exactly.
 */
public final class Names {
    /** In characters (code points): 1,024 bytes of UTF-8 at most, well inside a btree entry. */
    public static final int MAX_LENGTH = 256;

    private static final Set<AttributeDefinition> UNIQUE = identities(
            ScimSchemas.get().users().core().attribute("userName").orElseThrow(),
            ScimSchemas.get().users().core().attribute("emails").flatMap(e -> e.subAttribute("value")).orElseThrow(),
            ScimSchemas.get().groups().core().attribute("displayName").orElseThrow());
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
        if (!UNIQUE.contains(def) || !value.isTextual()) {
            return value;
        }
        String text = value.textValue();
        boolean substring = op == ComparisonOperator.CO || op == ComparisonOperator.SW || op == ComparisonOperator.EW;
        return TextNode.valueOf(substring ? Normalizer.normalize(text, Normalizer.Form.NFC) : canonical(text));
    }

    /** {@code strip()}, not {@code trim()}: Unicode's white space at an end (an ideographic space) is as invisible. */
    private static String canonical(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFC).strip();
    }
}
