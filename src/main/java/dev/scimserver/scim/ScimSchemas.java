package dev.scimserver.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The schemas this server implements, read from the JSON definitions in {@code /schemas}: the same
 * documents {@code /Schemas} serves, so that what is advertised is exactly what is enforced, and
 * beside them the schemas of the discovery answers (ServiceProviderConfig, ResourceType, Schema).
 */
public final class ScimSchemas {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<ObjectNode> documents;
    private final ResourceType users;
    private final ResourceType groups;

    private ScimSchemas() {
        List<AttributeDefinition> common = attributes(read("common"));
        ObjectNode userDoc = read("user");
        ObjectNode enterpriseDoc = read("enterprise-user");
        ObjectNode tooljetDoc = read("tooljet-user");
        ObjectNode groupDoc = read("group");
        // RFC 7643 §8.7.2's schemas describe the discovery answers themselves. No resource type
        // names them, so they are served and never enforced: the normalizer, PATCH, filters and
        // projections only ever see the schemas of Users and Groups.
        this.documents = List.of(userDoc, enterpriseDoc, tooljetDoc, groupDoc, read("service-provider-config"),
                read("resource-type"), read("schema"));
        Schema user = schema(userDoc);
        Schema enterprise = schema(enterpriseDoc);
        Schema tooljet = schema(tooljetDoc);
        Schema group = schema(groupDoc);
        this.users = new ResourceType("User", "User", "/Users", "A person of the workspace", user, common,
                List.of(new ResourceType.Extension(enterprise, false), new ResourceType.Extension(tooljet, false)));
        this.groups = new ResourceType("Group", "Group", "/Groups", "A custom group of the workspace", group, common,
                List.of());
    }

    private static final ScimSchemas INSTANCE = new ScimSchemas();

    public static ScimSchemas get() {
        return INSTANCE;
    }

    public ResourceType users() {
        return users;
    }

    public ResourceType groups() {
        return groups;
    }

    public List<ResourceType> resourceTypes() {
        return List.of(users, groups);
    }

    /** The schema document as {@code /Schemas/{id}} serves it, without {@code schemas}/{@code meta}. */
    public Optional<ObjectNode> document(String id) {
        return documents.stream().filter(d -> d.path("id").asText().equalsIgnoreCase(id)).findFirst()
                .map(ObjectNode::deepCopy);
    }

    public List<ObjectNode> documents() {
        return documents.stream().map(ObjectNode::deepCopy).toList();
    }

    private static ObjectNode read(String name) {
        String resource = "/schemas/" + name + ".json";
        try (InputStream in = ScimSchemas.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("schema definition missing from the jar: " + resource);
            }
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    private static Schema schema(ObjectNode doc) {
        return new Schema(doc.path("id").asText(), doc.path("name").asText(), doc.path("description").asText(),
                attributes(doc));
    }

    private static List<AttributeDefinition> attributes(JsonNode doc) {
        List<AttributeDefinition> out = new ArrayList<>();
        for (JsonNode a : doc.path("attributes")) {
            out.add(attribute(a));
        }
        return out;
    }

    private static AttributeDefinition attribute(JsonNode a) {
        return new AttributeDefinition(
                a.path("name").asText(),
                WireValue.parse(AttributeType.class, a.path("type").asText()),
                a.path("multiValued").asBoolean(),
                a.path("description").asText(),
                a.path("required").asBoolean(),
                a.path("caseExact").asBoolean(),
                WireValue.parse(Mutability.class, a.path("mutability").asText()),
                WireValue.parse(Returned.class, a.path("returned").asText()),
                WireValue.parse(Uniqueness.class, a.path("uniqueness").asText("none")),
                strings(a.path("canonicalValues")),
                strings(a.path("referenceTypes")),
                attributes(a.path("subAttributes").isMissingNode() ? JSON.createObjectNode()
                        : JSON.createObjectNode().set("attributes", a.path("subAttributes"))));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }
}
