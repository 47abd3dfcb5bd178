package dev.scimserver.http.scim;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
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
import dev.scimserver.scim.Projection;
import dev.scimserver.scim.Returned;
import dev.scimserver.scim.ResourceType;
import dev.scimserver.scim.ScimSchemas;
import dev.scimserver.scim.ScimUrns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * Directory records as SCIM resources (RFC 7643 §4), with absolute locations under {@code baseUrl}.
 * A user is written as it goes, its stored attributes copied as text where they can be; a group's
 * tree shares the record's attribute nodes rather than copying them: a record is rendered once and
 * nothing changes either tree afterwards, and the copies showed in the export profile.
 */
final class ResourceRenderer {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /**
     * The stored attributes a User shows by default: externalId, the core attributes returned by
     * default but those held in columns or rows (active, groups), and the Enterprise User extension.
     */
    private static final Set<String> SHOWN_USER_ATTRIBUTES = shownUserAttributes();
    private static final StoredText.Names SHOWN_USER_NAMES = StoredText.Names.of(SHOWN_USER_ATTRIBUTES);

    /** The schemas every User names, encoded once rather than for each user a page writes. */
    private static final SerializableString USER_URN = new SerializedString(ScimUrns.USER);
    private static final SerializableString ENTERPRISE_USER_URN = new SerializedString(ScimUrns.ENTERPRISE_USER);
    private static final SerializableString TOOLJET_USER_URN = new SerializedString(ScimUrns.TOOLJET_USER);

    private ResourceRenderer() {
    }

    /** The user's resource as a tree, for a projection to cut or a response to hold. */
    static ObjectNode user(UserView view, String baseUrl) {
        try {
            return (ObjectNode) ScimJson.MAPPER.readTree(ScimJson.write(out -> writeUser(out, view, baseUrl)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a user back", e);
        }
    }

    /** The user as {@code projection} shows it: written as it goes when the projection cuts nothing. */
    static void writeUser(JsonGenerator out, UserView view, String baseUrl, Projection projection) throws IOException {
        if (projection.passesDefaultResources()) {
            writeUser(out, view, baseUrl);
        } else {
            ScimJson.MAPPER.writeTree(out, projection.apply(user(view, baseUrl)));
        }
    }

    /**
     * The user with every attribute returned by default. The stored attributes are copied as their
     * bytes when they hold only what a User shows; a tree is walked only for what does not.
     */
    private static void writeUser(JsonGenerator out, UserView view, String baseUrl) throws IOException {
        Member member = view.member();
        StoredText.Members members = StoredText.members(member.stored().utf8(), SHOWN_USER_NAMES);
        boolean enterprise = members != null ? members.has(ScimUrns.ENTERPRISE_USER)
                : member.attributes().has(ScimUrns.ENTERPRISE_USER);
        out.writeStartObject();
        out.writeArrayFieldStart("schemas");
        out.writeString(USER_URN);
        if (enterprise) {
            out.writeString(ENTERPRISE_USER_URN);
        }
        out.writeString(TOOLJET_USER_URN);
        out.writeEndArray();
        String id = member.userId().toString();
        out.writeStringField("id", id);
        if (members != null) {
            members.writeInto(out);
        } else {
            writeShown(out, member.attributes());
        }
        out.writeBooleanField("active", member.status() == MemberStatus.ACTIVE);
        out.writeArrayFieldStart("groups");
        for (MemberRef group : view.groups()) {
            out.writeStartObject();
            String groupId = group.id().toString();
            out.writeStringField("value", groupId);
            out.writeStringField("$ref", baseUrl + "/Groups/" + groupId);
            out.writeStringField("display", group.display());
            out.writeStringField("type", "direct");
            out.writeEndObject();
        }
        out.writeEndArray();
        out.writeObjectFieldStart(ScimUrns.TOOLJET_USER);
        out.writeStringField("role", member.role().value());
        out.writeEndObject();
        writeMeta(out, "User", member.created(), member.lastModified(), member.version(),
                baseUrl + "/Users/" + id);
        out.writeEndObject();
    }

    /** What of a stored tree a User shows: externalId, the core attributes in schema order, the extension. */
    private static void writeShown(JsonGenerator out, ObjectNode attributes) throws IOException {
        ObjectNode shown = NODES.objectNode();
        copyCore(ScimSchemas.get().users(), attributes, shown);
        JsonNode enterprise = attributes.get(ScimUrns.ENTERPRISE_USER);
        if (enterprise != null) {
            shown.set(ScimUrns.ENTERPRISE_USER, enterprise);
        }
        shown.retain(SHOWN_USER_ATTRIBUTES);
        for (var field = shown.fields(); field.hasNext(); ) {
            var member = field.next();
            out.writeFieldName(member.getKey());
            ScimJson.MAPPER.writeTree(out, member.getValue());
        }
    }

    private static Set<String> shownUserAttributes() {
        Set<String> shown = new HashSet<>();
        shown.add("externalId");
        shown.add(ScimUrns.ENTERPRISE_USER);
        for (AttributeDefinition def : ScimSchemas.get().users().core().attributes()) {
            boolean returnedByDefault = def.returned() == Returned.ALWAYS || def.returned() == Returned.DEFAULT;
            if (returnedByDefault && !def.name().equals("active") && !def.name().equals("groups")) {
                shown.add(def.name());
            }
        }
        return Set.copyOf(shown);
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

    private static void writeMeta(JsonGenerator out, String resourceType, Instant created, Instant lastModified,
                                  long version, String location) throws IOException {
        out.writeObjectFieldStart("meta");
        out.writeStringField("resourceType", resourceType);
        InstantText.writeField(out, "created", created);
        InstantText.writeField(out, "lastModified", lastModified);
        out.writeStringField("location", location);
        out.writeStringField("version", EntityTags.of(version));
        out.writeEndObject();
    }

    private static void meta(ObjectNode out, String resourceType, Instant created, Instant lastModified, long version,
                             String location) {
        out.putObject("meta").put("resourceType", resourceType).put("created", InstantText.of(created))
                .put("lastModified", InstantText.of(lastModified)).put("location", location).put("version", EntityTags.of(version));
    }
}
