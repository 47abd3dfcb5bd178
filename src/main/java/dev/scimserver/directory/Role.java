package dev.scimserver.directory;

import dev.scimserver.scim.CaseFold;
import dev.scimserver.scim.ClientText;
import dev.scimserver.scim.Names;
import dev.scimserver.scim.ScimException;

import java.text.Normalizer;
import java.util.Optional;

/** A member's role in the workspace, ToolJet's role groups; declared from the highest to the lowest. */
public enum Role {
    ADMIN("admin"),
    BUILDER("builder"),
    END_USER("end-user");

    private static final Role[] STORED = values();

    private final String value;

    Role(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    /**
     * The role a column holds: exactly one of the three values, which the tables' checks admit alone.
     * Every member read carries two, which need neither {@link #find}'s trimming nor its case folding.
     */
    public static Role stored(String value) {
        for (Role role : STORED) {
            if (role.value.equals(value)) {
                return role;
            }
        }
        throw new IllegalStateException("unknown role in the database: " + value);
    }

    /**
     * The role {@code text} names, in any case and with white space at its ends: folded as a filter
     * folds it (not equalsIgnoreCase, which takes a dotless i or a long s for i and s), so the filter
     * {@code role eq} finds a member under the value that gave it its role.
     */
    public static Optional<Role> find(String text) {
        return named(Names.trimmed(text));
    }

    /** The role whose value {@code text} is, folded per code point. */
    private static Optional<Role> named(String text) {
        String folded = CaseFold.of(text);
        for (Role role : values()) {
            if (role.value.equals(folded)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }

    /** The role a client asked for; anything but the three names is 400 invalidValue. */
    public static Role parse(String text) {
        return find(text).orElseThrow(() -> ScimException.invalidValue(
                "role must be one of admin, builder, end-user; got '" + ClientText.abbreviate(text) + "'"));
    }

    /** The higher of two roles: admin over builder over end-user. */
    public static Role higher(Role a, Role b) {
        return a.ordinal() <= b.ordinal() ? a : b;
    }

    /** A custom group may not take a role's name, in any case. */
    public static boolean isRoleName(String groupName) {
        // Exactly, not trimmed as find reads a role: every name written now is trimmed, and a group named
        // "admin" and a no-break space before names were trimmed so keeps its name through other changes.
        return named(groupName).isPresent();
    }

    /**
     * Nor may a group be given a name that only looks like one: compatibility forms ({@code ＡＤＭＩＮ}
     * in full-width letters) and any dash for the hyphen. Only a new name is held to it: groups named
     * so before keep their names through every other change.
     */
    public static boolean looksLikeRoleName(String groupName) {
        String plain = Names.trimmed(Normalizer.normalize(groupName, Normalizer.Form.NFKC).replaceAll("\\p{Pd}", "-"));
        // equalsIgnoreCase, unlike the fold, also takes a dotless i or a long s for the letter it looks like.
        for (Role role : values()) {
            if (role.value.equalsIgnoreCase(plain)) {
                return true;
            }
        }
        return false;
    }
}
