package dev.scimserver.http.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimserver.directory.Group;
import dev.scimserver.directory.GroupService;
import dev.scimserver.directory.Member;
import dev.scimserver.directory.MemberRef;
import dev.scimserver.directory.MemberStatus;
import dev.scimserver.directory.UserView;
import dev.scimserver.scim.AttributeDefinition;
import dev.scimserver.scim.ResourceType;
import dev.scimserver.scim.ScimSchemas;
import dev.scimserver.scim.ScimUrns;

import java.time.Instant;

/**
 * Directory records as SCIM resources (RFC 7643 §4), with absolute locations under {@code baseUrl}.
 * The resource shares the record's attribute nodes rather than copying them: a record is rendered
 * once and nothing changes either tree afterwards, and the copies showed in the export profile.
 */
final class ResourceRenderer {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ResourceRenderer() {
    }

    static ObjectNode user(UserView view, String baseUrl) {
        Member member = view.member();
        ObjectNode out = NODES.objectNode();
        ArrayNode schemas = out.putArray("schemas").add(ScimUrns.USER);
        if (member.attributes().has(ScimUrns.ENTERPRISE_USER)) {
            schemas.add(ScimUrns.ENTERPRISE_USER);
        }
        schemas.add(ScimUrns.TOOLJET_USER);
        out.put("id", member.userId().toString());
        copyCore(ScimSchemas.get().users(), member.attributes(), out);
        out.put("active", member.status() == MemberStatus.ACTIVE);
        ArrayNode groups = out.putArray("groups");
        for (MemberRef group : view.groups()) {
            groups.addObject().put("value", group.id().toString()).put("$ref", baseUrl + "/Groups/" + group.id())
                    .put("display", group.display()).put("type", "direct");
        }
        JsonNode enterprise = member.attributes().get(ScimUrns.ENTERPRISE_USER);
        if (enterprise != null) {
            out.set(ScimUrns.ENTERPRISE_USER, enterprise);
        }
        out.putObject(ScimUrns.TOOLJET_USER).put("role", member.role().value());
        meta(out, "User", member.created(), member.lastModified(), member.version(),
                baseUrl + "/Users/" + member.userId());
        return out;
    }

    static ObjectNode group(GroupService.GroupView view, String baseUrl) {
        Group group = view.group();
        ObjectNode out = NODES.objectNode();
        out.putArray("schemas").add(ScimUrns.GROUP);
        out.put("id", group.id().toString());
        copyCore(ScimSchemas.get().groups(), group.attributes(), out);
        if (view.members() != null) {
            ArrayNode members = out.putArray("members");
            for (MemberRef member : view.members()) {
                members.addObject().put("value", member.id().toString())
                        .put("$ref", baseUrl + "/Users/" + member.id()).put("display", member.display())
                        .put("type", "User");
            }
        }
        meta(out, "Group", group.created(), group.lastModified(), group.version(),
                baseUrl + "/Groups/" + group.id());
        return out;
    }

    /** externalId first, then the core attributes in schema order: jsonb keeps keys in its own order. */
    private static void copyCore(ResourceType type, ObjectNode attributes, ObjectNode out) {
        JsonNode externalId = attributes.get("externalId");
        if (externalId != null) {
            out.set("externalId", externalId);
        }
        for (AttributeDefinition def : type.core().attributes()) {
            JsonNode value = attributes.get(def.name());
            if (value != null) {
                out.set(def.name(), value);
            }
        }
    }

    private static void meta(ObjectNode out, String resourceType, Instant created, Instant lastModified, long version,
                             String location) {
        out.putObject("meta").put("resourceType", resourceType).put("created", created.toString())
                .put("lastModified", lastModified.toString()).put("location", location).put("version", EntityTags.of(version));
    }
}
