package dev.scimserver.directory;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.UUID;

/**
 * A person's membership of a workspace: the SCIM User. {@code stored} is the canonical SCIM
 * tree without what other fields hold (id, meta, groups, password, active, role). {@code role} is the
 * effective role, the one reads show; {@code attributeRole} the one the extension's attribute asked
 * for, which differs only while the workspace takes roles from groups ({@link RoleSource}). The email
 * the person signs in with is the {@link Person}'s: no SCIM answer carries it (the member's emails do),
 * so reading a member does not read its person.
 */
public record Member(UUID userId, String userName, String externalId, String displayName, Role role,
                     MemberStatus status, StoredAttributes stored, long version, Instant created,
                     Instant lastModified, Role attributeRole) {
    /** A member whose attributes are a tree, as a create or a change makes them. */
    public Member(UUID userId, String userName, String externalId, String displayName, Role role,
                  MemberStatus status, ObjectNode attributes, long version, Instant created, Instant lastModified,
                  Role attributeRole) {
        this(userId, userName, externalId, displayName, role, status, StoredAttributes.of(attributes), version,
                created, lastModified, attributeRole);
    }

    /** A member whose role is its attribute's, as in a workspace that takes roles from the attribute. */
    public Member(UUID userId, String userName, String externalId, String displayName, Role role,
                  MemberStatus status, ObjectNode attributes, long version, Instant created, Instant lastModified) {
        this(userId, userName, externalId, displayName, role, status, attributes, version, created,
                lastModified, role);
    }

    /** The stored attributes as a tree. */
    public ObjectNode attributes() {
        return stored.tree();
    }

    /**
     * The same membership as the database placed it: of another person (a create learns the id only
     * when the database has chosen) and at another version (one that comes back continues after its
     * earlier membership's last).
     */
    public Member placedAs(PlacedMember placed) {
        return new Member(placed.userId(), userName, externalId, displayName, role, status, stored, placed.version(),
                created, lastModified, attributeRole);
    }
}
