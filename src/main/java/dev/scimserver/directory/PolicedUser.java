package dev.scimserver.directory;

/** A user locked for an update, and the role policy of its workspace as the update found it. */
public record PolicedUser(UserView user, RolePolicy policy) {
}
