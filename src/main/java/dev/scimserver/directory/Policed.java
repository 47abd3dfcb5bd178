package dev.scimserver.directory;

/** A user or a group locked for a write, and the role policy of its workspace as the write found it. */
public record Policed<T>(T locked, RolePolicy policy) {
}
