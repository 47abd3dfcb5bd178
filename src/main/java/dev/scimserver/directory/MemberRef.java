package dev.scimserver.directory;

import java.util.UUID;

/** A reference from one resource to another, with the name to display: a group's member, a user's group. */
public record MemberRef(UUID id, String display) {
}
