package dev.scimserver.directory;

import dev.scimserver.scim.ScimException;

import java.util.Set;

/**
 * What the conditional headers ask of a request on one resource (RFC 7644 §3.14, RFC 9110 §13.1):
 * {@code If-Match} any current version ({@code *}, or no header: {@code anyVersion}) or one of
 * {@code versions}; {@code If-None-Match} none of {@code notVersions}, or no current version at all
 * ({@code *}: {@code noVersion}), which a resource that exists always fails. A write checks it under
 * the row lock, so two writers that read the same version cannot both win.
 */
public record Precondition(boolean anyVersion, Set<Long> versions, boolean noVersion, Set<Long> notVersions) {
    public static final Precondition NONE = new Precondition(true, Set.of(), false, Set.of());

    public Precondition {
        versions = Set.copyOf(versions);
        notVersions = Set.copyOf(notVersions);
    }

    /** {@code If-Match} with these versions. */
    public static Precondition oneOf(Set<Long> versions) {
        return new Precondition(false, versions, false, Set.of());
    }

    /** This, and {@code If-None-Match}: {@code any} for {@code *}, else these versions. */
    public Precondition noneOf(boolean any, Set<Long> versions) {
        return new Precondition(anyVersion, this.versions, noVersion || any, versions);
    }

    /** 412 unless the resource at {@code currentVersion} meets both headers. */
    public void check(long currentVersion) {
        if (!anyVersion && !versions.contains(currentVersion)) {
            throw ScimException.preconditionFailed("If-Match does not match: the resource is now at version "
                    + currentVersion);
        }
        if (noVersion || notVersions.contains(currentVersion)) {
            throw ScimException.preconditionFailed("If-None-Match matches: the resource exists at version "
                    + currentVersion);
        }
    }
}
