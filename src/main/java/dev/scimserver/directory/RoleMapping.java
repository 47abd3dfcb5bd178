package dev.scimserver.directory;

import dev.scimserver.scim.CanonicalUuids;
import dev.scimserver.scim.CaseFold;
import dev.scimserver.scim.ClientText;
import dev.scimserver.scim.Names;
import dev.scimserver.scim.ScimException;

import java.util.UUID;

/**
 * A workspace's custom group that gives its members a role: {@code group} is the group's displayName
 * (compared case-insensitively, as the names are unique) or its id.
 */
public record RoleMapping(String group, Role role) {
    private static final int MAX_GROUP_LENGTH = 256;

    public RoleMapping {
        if (group == null || role == null) {
            throw new IllegalStateException("a role mapping needs a group and a role: " + group + ", " + role);
        }
    }

    /**
     * A mapping a client asked for, its group trimmed and in NFC as group names are stored: a blank or
     * overlong group, a role's own name (admin, builder, end-user: no custom group can take one, so the
     * mapping could never apply) or an unknown role is 400 invalidValue.
     */
    public static RoleMapping parse(String group, String role) {
        String name = group == null ? "" : Names.canonical(group);
        if (name.isEmpty() || name.codePointCount(0, name.length()) > MAX_GROUP_LENGTH
                || name.chars().anyMatch(Character::isISOControl)) {
            throw ScimException.invalidValue("a mapping's group is a group's displayName or id, 1 to "
                    + MAX_GROUP_LENGTH + " characters, without control characters");
        }
        if (Role.isRoleName(name)) {
            throw ScimException.invalidValue("'" + ClientText.abbreviate(name) + "' is the name of a role, which no "
                    + "custom group can take: map a custom group");
        }
        return new RoleMapping(name, Role.parse(role == null ? "" : role));
    }

    /**
     * Whether this mapping names the group {@code id} called {@code name}. One that reads as an id names
     * the group with that id only: a group an IdP names with another group's id must not take that
     * group's role.
     */
    boolean names(UUID id, String name) {
        return CanonicalUuids.parse(group).map(id::equals).orElseGet(() -> key().equals(CaseFold.of(name)));
    }

    /** What two mappings of one group share: a name in any case, an id in any case. */
    String key() {
        return CaseFold.of(group);
    }

    /** The {@link #key() key} of the mapping a client names by {@code group}, spelled as it sent it. */
    static String keyOf(String group) {
        return CaseFold.of(Names.canonical(group));
    }
}
