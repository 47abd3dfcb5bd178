package dev.scimserver.directory;

import dev.scimserver.scim.ClientText;
import dev.scimserver.scim.ScimException;

import java.util.Optional;

/**
 * Where a workspace's members get their role. {@link #ATTRIBUTE} is ToolJet's contract and the
 * default: the extension's {@code role} attribute. {@link #GROUPS}: the highest role the member's
 * mapped groups give, end-user without one; the attribute is kept but counts for nothing.
 * {@link #HIGHEST}: the higher of the two, for an IdP that sends the attribute for some users only.
 */
public enum RoleSource {
    ATTRIBUTE("attribute"),
    GROUPS("groups"),
    HIGHEST("highest");

    private final String value;

    RoleSource(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    /** Whether a membership change can change a role. */
    public boolean usesGroups() {
        return this != ATTRIBUTE;
    }

    /** The role a member has: {@code fromGroups} is the highest role of its mapped groups, empty for none. */
    public Role effective(Role attribute, Optional<Role> fromGroups) {
        Role groups = fromGroups.orElse(Role.END_USER);
        return switch (this) {
            case ATTRIBUTE -> attribute;
            case GROUPS -> groups;
            case HIGHEST -> Role.higher(attribute, groups);
        };
    }

    /** The source a client named; anything else is 400 invalidValue. */
    public static RoleSource parse(String text) {
        for (RoleSource source : values()) {
            if (source.value.equals(text)) {
                return source;
            }
        }
        throw ScimException.invalidValue("roleSource must be one of attribute, groups, highest; got '"
                + ClientText.abbreviate(text) + "'");
    }
}
