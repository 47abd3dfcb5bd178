package dev.scimserver.access;

import java.util.regex.Pattern;

/**
 * The name of a workspace in URLs and commands: 1 to 63 characters of {@code [a-z0-9-]}, unique
 * across workspaces (the database makes sure of that). 63 is a DNS label's length; a slug is not held
 * to a label's other rules (a hyphen may lead or end it), as the README has always promised and as
 * slugs already stored may be.
 */
public record WorkspaceSlug(String value) {
    /** Before {@link #DEFAULT}, which the constructor checks against it. */
    private static final Pattern SHAPE = Pattern.compile("[a-z0-9-]{1,63}");
    /** The Default Workspace's slug; it always exists. */
    public static final WorkspaceSlug DEFAULT = new WorkspaceSlug("default");

    public WorkspaceSlug {
        if (value == null || !SHAPE.matcher(value).matches()) {
            throw new AccessRuleException("slug", "a workspace slug is 1 to 63 characters of a-z, 0-9 and '-'");
        }
    }

    /** The slug {@code text} names, or {@link AccessRuleException} when it has not a slug's shape. */
    public static WorkspaceSlug parse(String text) {
        return new WorkspaceSlug(text);
    }

    @Override
    public String toString() {
        return value;
    }
}
