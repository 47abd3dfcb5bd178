package dev.scimserver.directory;

import dev.scimserver.scim.ScimException;

import java.util.Set;

/**
 * What {@code If-Match} asks of a write (RFC 7644 §3.14, RFC 9110 §13.1.1): nothing, any current
 * version ({@code *}), or one of the listed versions. Checked under the row lock, so two writers
 * that read the same version cannot both win.
 */
public record Precondition(boolean anyVersion, Set<Long> versions) {
    public static final Precondition NONE = new Precondition(true, Set.of());

    public Precondition {
        versions = Set.copyOf(versions);
    }

    public static Precondition oneOf(Set<Long> versions) {
        return new Precondition(false, versions);
    }

    void check(long currentVersion) {
        if (!anyVersion && !versions.contains(currentVersion)) {
            throw ScimException.preconditionFailed("If-Match does not match: the resource is now at version "
                    + currentVersion);
        }
    }
}
