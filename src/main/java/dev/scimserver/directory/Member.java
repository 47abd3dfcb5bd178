package dev.scimserver.directory;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.UUID;

/**
 * A person's membership of a workspace: the SCIM User. {@code attributes} is the canonical SCIM
 * tree without what other fields hold (id, meta, groups, password, active, role).
 */
public record Member(UUID userId, String userName, String externalId, String displayName, String email,
                     Role role, MemberStatus status, ObjectNode attributes, long version, Instant created,
                     Instant lastModified) {
    /** The same membership of another person: a create learns the id only when the database has chosen. */
    public Member withUserId(UUID id) {
        return new Member(id, userName, externalId, displayName, email, role, status, attributes, version, created,
                lastModified);
    }
}
