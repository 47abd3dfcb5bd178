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
import dev.scimserver.directory.Role;
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
import java.util.Arrays;
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

    /**
     * The names and fixed values every User repeats, encoded once rather than for each user a page
     * writes: a name given as text is escaped character by character every time, and in the export's
     * profile that was the renderer's hottest frame.
     */
    private static final SerializableString USER_URN = new SerializedString(ScimUrns.USER);
    private static final SerializableString ENTERPRISE_USER_URN = new SerializedString(ScimUrns.ENTERPRISE_USER);
    private static final SerializableString TOOLJET_USER_URN = new SerializedString(ScimUrns.TOOLJET_USER);
    private static final SerializableString SCHEMAS = new SerializedString("schemas");
    private static final SerializableString ID = new SerializedString("id");
    private static final SerializableString ACTIVE = new SerializedString("active");
    private static final SerializableString GROUPS = new SerializedString("groups");
    private static final SerializableString VALUE = new SerializedString("value");
    private static final SerializableString REF = new SerializedString("$ref");
    private static final SerializableString DISPLAY = new SerializedString("display");
    private static final SerializableString TYPE = new SerializedString("type");
    private static final SerializableString DIRECT = new SerializedString("direct");
    private static final SerializableString ROLE = new SerializedString("role");
    private static final SerializableString[] ROLE_VALUES = Arrays.stream(Role.values())
            .map(role -> new SerializedString(role.value())).toArray(SerializableString[]::new);
    private static final SerializableString META = new SerializedString("meta");
    private static final SerializableString RESOURCE_TYPE = new SerializedString("resourceType");
    private static final SerializableString USER = new SerializedString("User");
    private static final SerializableString CREATED = new SerializedString("created");
    private static final SerializableString LAST_MODIFIED = new SerializedString("lastModified");
    private static final SerializableString LOCATION = new SerializedString("location");
    private static final SerializableString VERSION = new SerializedString("version");

    private ResourceRenderer() {
    }

    /** The user's resource as a tree, for a projection to cut or a response to hold. */
    static ObjectNode user(UserView view, String baseUrl) {
        return user(view, Locations.of(baseUrl));
    }

    private static ObjectNode user(UserView view, Locations at) {
        try {
            return (ObjectNode) ScimJson.MAPPER.readTree(ScimJson.write(out -> writeUser(out, view, at)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a user back", e);
        }
    }

    /**
     * The user as {@code projection} shows it: written as it goes when the projection cuts nothing.
     * {@code out} writes bytes (a generator over an output stream): ids and locations go out as UTF-8
     * already escaped.
     */
    static void writeUser(JsonGenerator out, UserView view, Locations at, Projection projection) throws IOException {
        if (projection.passesDefaultResources()) {
            writeUser(out, view, at);
        } else {
            ScimJson.MAPPER.writeTree(out, projection.apply(user(view, at)));
        }
    }

    /**
     * The user with every attribute returned by default. The stored attributes are copied as their
     * bytes when they hold only what a User shows; a tree is walked only for what does not.
     */
    private static void writeUser(JsonGenerator out, UserView view, Locations at) throws IOException {
        Member member = view.member();
        StoredText.Members members = StoredText.members(member.stored().utf8(), SHOWN_USER_NAMES);
        boolean enterprise = members != null ? members.has(ScimUrns.ENTERPRISE_USER)
                : member.attributes().has(ScimUrns.ENTERPRISE_USER);
        out.writeStartObject();
        out.writeFieldName(SCHEMAS);
        out.writeStartArray();
        out.writeString(USER_URN);
        if (enterprise) {
            out.writeString(ENTERPRISE_USER_URN);
        }
        out.writeString(TOOLJET_USER_URN);
        out.writeEndArray();
        byte[] id = Locations.ascii(member.userId());
        out.writeFieldName(ID);
        out.writeRawUTF8String(id, 0, id.length);
        if (members != null) {
            members.writeInto(out);
        } else {
            writeShown(out, member.attributes());
        }
        out.writeFieldName(ACTIVE);
        out.writeBoolean(member.status() == MemberStatus.ACTIVE);
        out.writeFieldName(GROUPS);
        out.writeStartArray();
        for (MemberRef group : view.groups()) {
            byte[] groupId = Locations.ascii(group.id());
            out.writeStartObject();
            out.writeFieldName(VALUE);
            out.writeRawUTF8String(groupId, 0, groupId.length);
            out.writeFieldName(REF);
            at.writeGroup(out, groupId);
            out.writeFieldName(DISPLAY);
            out.writeString(group.display());
            out.writeFieldName(TYPE);
            out.writeString(DIRECT);
            out.writeEndObject();
        }
        out.writeEndArray();
        out.writeFieldName(TOOLJET_USER_URN);
        out.writeStartObject();
        out.writeFieldName(ROLE);
        out.writeString(ROLE_VALUES[member.role().ordinal()]);
        out.writeEndObject();
        out.writeFieldName(META);
        out.writeStartObject();
        out.writeFieldName(RESOURCE_TYPE);
        out.writeString(USER);
        out.writeFieldName(CREATED);
        InstantText.write(out, member.created());
        out.writeFieldName(LAST_MODIFIED);
        InstantText.write(out, member.lastModified());
        out.writeFieldName(LOCATION);
        at.writeUser(out, id);
        out.writeFieldName(VERSION);
        out.writeString(EntityTags.of(member.version()));
        out.writeEndObject();
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

    private static void meta(ObjectNode out, String resourceType, Instant created, Instant lastModified, long version,
                             String location) {
        out.putObject("meta").put("resourceType", resourceType).put("created", InstantText.of(created))
                .put("lastModified", InstantText.of(lastModified)).put("location", location).put("version", EntityTags.of(version));
    }
}
