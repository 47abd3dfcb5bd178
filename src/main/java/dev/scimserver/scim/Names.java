package dev.scimserver.scim;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * The attributes by which people and other systems name a user or a group: userName, displayName,
 * externalId and the addresses of emails. Each is an indexed column in the store, and a btree
 * entry holds about 2,700 bytes: past it PostgreSQL refuses the row, so these values are bounded
 * here, with an answer that names the limit.
 */
public final class Names {
    /** In characters (code points): 1,024 bytes of UTF-8 at most, well inside a btree entry. */
    public static final int MAX_LENGTH = 256;

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
     * The value of {@code def} as it is kept, refused when longer than {@link #MAX_LENGTH}.
     * {@code where} names the attribute in the refusal.
     */
    static String kept(AttributeDefinition def, String text, String where) {
        if (BOUNDED.contains(def) && text.codePointCount(0, text.length()) > MAX_LENGTH) {
            throw ScimException.invalidValue(where + " is longer than " + MAX_LENGTH + " characters");
        }
        return text;
    }
}
