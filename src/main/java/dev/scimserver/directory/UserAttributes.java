package dev.scimserver.directory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimserver.scim.ScimException;
import dev.scimserver.scim.ScimUrns;

/**
 * Splits a canonical User tree into what the directory keeps in columns (userName, role, status,
 * password) and the attributes stored as they are, and joins them back for PATCH.
 */
final class UserAttributes {
    /** Null when they are the member's attributes as stored, left unread ({@link #activeOf}). */
    final ObjectNode stored;
    final String userName;
    final String externalId;
    final String displayName;
    /** Null when the tree names no role. */
    final Role role;
    /** Null when the tree says nothing of {@code active}. */
    final Boolean active;
    /** Null when the tree carries no password. */
    final String password;

    private UserAttributes(ObjectNode stored, Role role, Boolean active, String password) {
        this(stored, stored.path("userName").asText(null), stored.path("externalId").asText(null),
                stored.path("displayName").asText(null), role, active, password);
    }

    private UserAttributes(ObjectNode stored, String userName, String externalId, String displayName, Role role,
                           Boolean active, String password) {
        this.stored = stored;
        this.userName = userName;
        this.externalId = externalId;
        this.displayName = displayName;
        this.role = role;
        this.active = active;
        this.password = password;
    }

    /** Takes the column-held attributes out of {@code tree}, which the caller hands over. */
    static UserAttributes split(ObjectNode tree) {
        JsonNode activeNode = tree.remove("active");
        JsonNode passwordNode = tree.remove("password");
        Role role = null;
        if (tree.get(ScimUrns.TOOLJET_USER) instanceof ObjectNode extension) {
            JsonNode roleNode = extension.remove("role");
            if (roleNode != null) {
                role = Role.parse(roleNode.asText());
            }
            if (extension.isEmpty()) {
                tree.remove(ScimUrns.TOOLJET_USER);
            }
        }
        if (tree.path("userName").asText("").isBlank()) {
            throw ScimException.invalidValue("userName is required");
        }
        return new UserAttributes(tree, role, activeNode == null ? null : activeNode.asBoolean(),
                passwordNode == null ? null : passwordNode.asText());
    }

    /**
     * These attributes, with ToolJet's default role when they name none. A PATCH works on a tree that
     * holds the role ({@link #joined}), so a PATCH that leaves none removed it: the member then has the
     * role a member created without one has, where a PUT that omits the role keeps it.
     */
    UserAttributes withRoleOrDefault() {
        return role != null ? this : new UserAttributes(stored, Role.END_USER, active, password);
    }

    /**
     * These attributes as a PUT sends them, without a role that only repeats what the member was shown.
     * Okta updates a user by reading it, changing what it manages and sending the whole of it back. With
     * roles from groups the read showed the groups' role, so a body that repeats that role where the
     * member's own attribute differs is the read coming back, not a role the IdP assigns: stored as the
     * attribute, an admin role a group gave would outlast the group. A role that differs from the one
     * shown is the IdP's, and is taken.
     */
    UserAttributes withoutRoleShown(Member current, RolePolicy policy) {
        boolean shown = policy.source().usesGroups() && role == current.role() && role != current.attributeRole();
        return shown ? new UserAttributes(stored, null, active, password) : this;
    }

    /**
     * The whole tree a PATCH works on: stored attributes plus active and the role the IdP sent. Not the
     * role the member has: with roles from groups that is the groups', and a PATCH of any other
     * attribute would store it as sent, so it would outlast the group that gave it.
     */
    static ObjectNode joined(Member member) {
        ObjectNode tree = member.attributes().deepCopy();
        tree.put("active", member.status() == MemberStatus.ACTIVE);
        tree.putObject(ScimUrns.TOOLJET_USER).put("role", member.attributeRole().value());
        return tree;
    }

    /**
     * The tree a PATCH of {@code active} alone works on ({@link dev.scimserver.scim.PatchEngine#nameOnly}):
     * that and the one required attribute, userName. Okta and Entra deactivate with such a PATCH, the
     * write IdPs send most; the member's attributes are not parsed for it.
     */
    static ObjectNode activeTree(Member member) {
        ObjectNode tree = JsonNodeFactory.instance.objectNode();
        tree.put("userName", member.userName());
        tree.put("active", member.status() == MemberStatus.ACTIVE);
        return tree;
    }

    /**
     * What such a PATCH leaves of the member: its attributes as stored, and the {@code active} of
     * {@code patched}, the {@link #activeTree} it gave. The role is not named: the member keeps its own.
     */
    static UserAttributes activeOf(Member member, ObjectNode patched) {
        JsonNode active = patched.get("active");
        return new UserAttributes(null, member.userName(), member.externalId(), member.displayName(), null,
                active == null ? null : active.asBoolean(), null);
    }

    /** Whether these attributes differ from those {@code member} has stored. */
    boolean differFromStored(Member member) {
        return stored != null && !stored.equals(member.attributes());
    }

    /**
     * The person's email: the primary email, else the first, else the userName when it is one
     * (ToolJet's users table keys people by email, and its userName is the email).
     */
    String email() {
        return emailOf(stored);
    }

    /** {@link #email()} of attributes as a member keeps them ({@link Member#attributes()}). */
    static String emailOf(JsonNode stored) {
        JsonNode emails = stored.path("emails");
        for (JsonNode email : emails) {
            if (email.path("primary").asBoolean(false) && email.hasNonNull("value")) {
                return email.get("value").asText();
            }
        }
        for (JsonNode email : emails) {
            if (email.hasNonNull("value")) {
                return email.get("value").asText();
            }
        }
        String userName = stored.path("userName").asText("");
        return userName.contains("@") ? userName : null;
    }

    Person person() {
        JsonNode name = stored.path("name");
        return new Person(email(), name.path("givenName").asText(null), name.path("familyName").asText(null));
    }
}
