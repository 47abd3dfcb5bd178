package dev.scimserver.http.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimserver.access.ChangeOrigin;
import dev.scimserver.access.Workspace;
import dev.scimserver.directory.Actor;
import dev.scimserver.directory.Role;
import dev.scimserver.directory.RoleMapping;
import dev.scimserver.directory.RolePolicy;
import dev.scimserver.directory.RoleSource;
import dev.scimserver.directory.WorkspaceRoles;
import dev.scimserver.http.scim.ScimApi;
import dev.scimserver.http.scim.SentPreconditions;
import dev.scimserver.scim.ScimException;
import io.javalin.http.Context;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /workspaces/{slug}/settings} and {@code /workspaces/{slug}/role-mappings}: where a workspace's
 * members get their roles, and which groups give which role. A change answers once every member's
 * role follows it.
 */
final class RoleEndpoints {
    static final String SETTINGS = "/workspaces/{slug}/settings";
    static final String MAPPINGS = "/workspaces/{slug}/role-mappings";
    /** An entity tag of RFC 9110 §8.8.3: an optional weak mark, then quoted characters without a quote. */
    private static final Pattern ENTITY_TAG = Pattern.compile("(W/)?\"([\\x21\\x23-\\x7e\\x80-\\xff]*)\"");

    private final WorkspaceEndpoints workspaces;
    private final WorkspaceRoles roles;

    RoleEndpoints(WorkspaceEndpoints workspaces, WorkspaceRoles roles) {
        this.workspaces = workspaces;
        this.roles = roles;
    }

    void addTo(AdminRoutes routes) {
        routes.get(SETTINGS, ctx -> AdminJson.write(ctx, 200, settings(roles.policy(workspaces.workspace(ctx).id()))));
        routes.put(SETTINGS, this::putSettings);
        routes.get(MAPPINGS, this::getMappings);
        routes.put(MAPPINGS, this::putMappings);
    }

    private void putSettings(Context ctx) {
        Workspace workspace = workspaces.workspace(ctx);
        String text = AdminBody.read(ctx, Set.of("roleSource")).text("roleSource");
        RoleSource source;
        try {
            source = RoleSource.parse(text);
        } catch (ScimException unknown) {
            throw Problem.badField("roleSource", unknown.getMessage());
        }
        AdminJson.write(ctx, 200, settings(roles.changeSource(actor(ctx, workspace), source)));
    }

    /** The mappings, or 304 with their tag when If-None-Match names it (compared weakly) or is {@code *}. */
    private void getMappings(Context ctx) {
        RolePolicy policy = roles.policy(workspaces.workspace(ctx).id());
        if (namedBy(SentPreconditions.ifNoneMatch(ctx)).test(policy.mappingsDigest())) {
            ctx.header("ETag", "\"" + policy.mappingsDigest() + "\"");
            ScimApi.withoutBody(ctx, 304);
            return;
        }
        writeMappings(ctx, policy);
    }

    private void putMappings(Context ctx) {
        Workspace workspace = workspaces.workspace(ctx);
        // RFC 9110 §13.2.2: If-Match first, then If-None-Match. A PUT whose If-None-Match names the current
        // mappings, or is * (they always exist), is not performed (§13.1.2): said as such when it names them
        // now; checked again with If-Match under the lock, where a PUT in between made them what it names.
        Predicate<String> ifMatch = expectedDigest(ctx.header("If-Match"));
        Predicate<String> named = namedBy(SentPreconditions.ifNoneMatch(ctx));
        if (named.test(roles.policy(workspace.id()).mappingsDigest())) {
            throw ScimException.preconditionFailed("If-None-Match matches: the role mappings are already at that "
                    + "version");
        }
        Predicate<String> expected = ifMatch.and(named.negate());
        List<RoleMapping> mappings = AdminBody.readList(ctx, Set.of("group", "role")).stream()
                .map(RoleEndpoints::mapping).toList();
        try {
            RolePolicy.requireDistinct(mappings);
        } catch (ScimException twice) {
            throw Problem.badField("group", twice.getMessage());
        }
        writeMappings(ctx, roles.changeMappings(actor(ctx, workspace), mappings, expected));
    }

    /** One mapping of the list; a refusal names the field at fault. */
    private static RoleMapping mapping(AdminBody item) {
        String group = item.text("group");
        String role = item.text("role");
        try {
            Role.parse(role);
        } catch (ScimException unknown) {
            throw Problem.badField("role", unknown.getMessage());
        }
        try {
            return RoleMapping.parse(group, role);
        } catch (ScimException refused) {
            throw Problem.badField("group", refused.getMessage());
        }
    }

    /** The mappings with their entity tag: the digest, compared strongly by a later If-Match. */
    private static void writeMappings(Context ctx, RolePolicy policy) {
        ctx.header("ETag", "\"" + policy.mappingsDigest() + "\"");
        AdminJson.write(ctx, 200, policy.mappingsJson());
    }

    /**
     * Which digests an {@code If-Match} header accepts (RFC 9110 §13.1.1): any without the header or with
     * {@code *} (the mappings always exist), else those of its strong tags; a weak tag never matches, as
     * If-Match compares strongly. A header that is not a list of entity tags, an empty one included
     * (a script's unset variable), is 400.
     */
    private static Predicate<String> expectedDigest(String ifMatch) {
        if (ifMatch == null || ifMatch.strip().equals("*")) {
            return digest -> true;
        }
        return tags(ifMatch, "If-Match", false)::contains;
    }

    /**
     * Which digests an {@code If-None-Match} header names: none without it, every one for {@code *}, else
     * those of its tags, weak or strong (it compares weakly). A header that is not a list of entity tags
     * is 400.
     */
    private static Predicate<String> namedBy(String ifNoneMatch) {
        if (ifNoneMatch == null) {
            return digest -> false;
        }
        if (ifNoneMatch.strip().equals("*")) {
            return digest -> true;
        }
        return tags(ifNoneMatch, "If-None-Match", true)::contains;
    }

    /**
     * The opaque tags of the list header {@code name}, the weak ones only where {@code weakToo}; a header
     * that is not a list of entity tags is 400.
     */
    private static Set<String> tags(String header, String name, boolean weakToo) {
        Set<String> tags = new HashSet<>();
        for (String part : header.split(",", -1)) {
            Matcher tag = ENTITY_TAG.matcher(part.strip());
            if (!tag.matches()) {
                throw Problem.badField(name, name + " is * or a list of entity tags such as the ETag a GET of the "
                        + "mappings answered (\"…\")");
            }
            if (weakToo || tag.group(1) == null) {
                tags.add(tag.group(2));
            }
        }
        return tags;
    }

    /** The administrator, acting in the workspace, as the journal records it. */
    private static Actor actor(Context ctx, Workspace workspace) {
        ChangeOrigin origin = AdminApi.origin(ctx);
        return new Actor(workspace.id(), origin.credential(), origin.requestId(), origin.request());
    }

    private static ObjectNode settings(RolePolicy policy) {
        ObjectNode json = AdminJson.object();
        json.put("roleSource", policy.source().value());
        return json;
    }
}
