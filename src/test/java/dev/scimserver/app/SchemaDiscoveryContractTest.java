package dev.scimserver.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static dev.scimserver.app.ScimAssertions.assertScimError;
import static dev.scimserver.app.ScimAssertions.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /Schemas} (RFC 7644 §4): the resource schemas with RFC 7643 §8.7.1's names and descriptions,
 * and the three schemas of §8.7.2 that describe the discovery answers, each consistent with what it
 * describes.
 */
class SchemaDiscoveryContractTest {
    private static final String USER = "urn:ietf:params:scim:schemas:core:2.0:User";
    private static final String GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
    private static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    private static final String TOOLJET = "urn:ietf:params:scim:schemas:extension:tooljet:User:2.0";
    private static final String SERVICE_PROVIDER_CONFIG = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
    private static final String RESOURCE_TYPE = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
    private static final String SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema";
    /** Attributes every resource has (RFC 7643 §3.1), defined by no schema of its own. */
    private static final Set<String> COMMON = Set.of("schemas", "meta");

    private final RunningServer server = RunningServer.shared();

    private JsonNode get(String path) {
        HttpResponse<String> response = server.send("GET", path, null);
        assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(200);
        return json(response);
    }

    @Test
    void theSchemasOfRfc7643Section87CarryItsNamesAndDescriptions() {
        Map<String, List<String>> expected = new LinkedHashMap<>();
        expected.put(USER, List.of("User", "User Account"));
        expected.put(GROUP, List.of("Group", "Group"));
        expected.put(ENTERPRISE, List.of("EnterpriseUser", "Enterprise User"));
        expected.put(SERVICE_PROVIDER_CONFIG, List.of("Service Provider Configuration",
                "Schema for representing the service provider's configuration"));
        expected.put(RESOURCE_TYPE, List.of("ResourceType", "Specifies the schema that describes a SCIM resource type"));
        expected.put(SCHEMA, List.of("Schema", "Specifies the schema that describes a SCIM schema"));
        expected.forEach((urn, nameAndDescription) -> {
            JsonNode schema = get("/Schemas/" + urn);
            assertThat(schema.path("id").asText()).isEqualTo(urn);
            assertThat(schema.path("name").asText()).as(urn).isEqualTo(nameAndDescription.get(0));
            assertThat(schema.path("description").asText()).as(urn).isEqualTo(nameAndDescription.get(1));
            assertThat(schema.path("schemas").get(0).asText()).isEqualTo(SCHEMA);
            assertThat(schema.path("meta").path("resourceType").asText()).isEqualTo("Schema");
            assertThat(schema.path("meta").path("location").asText()).isEqualTo(server.baseUrl() + "/Schemas/" + urn);
            assertThat(schema.path("attributes").isEmpty()).as(urn).isFalse();
        });
    }

    @Test
    void aFilterOnADiscoveryEndpointIs403ForNothingIsFiltered() {
        // RFC 7644 section 4: so that no client takes the whole list for what matched.
        for (String path : List.of("/Schemas", "/Schemas/" + USER, "/ResourceTypes", "/ResourceTypes/User",
                "/ServiceProviderConfig")) {
            HttpResponse<String> filtered = server.send("GET", path + "?filter=id%20eq%20%22nothing%22", null);
            assertScimError(filtered, 403, null);
            assertThat(json(filtered).path("detail").asText()).as(path).contains("do not filter");
            assertScimError(server.send("GET", path + "?Filter=id%20eq%20%22nothing%22", null), 403, null);
        }
    }

    /** Members are users only here: the schema offers no group as a member, which the server would refuse. */
    @Test
    void aGroupsMembersAreUsersAsTheSchemaSays() {
        JsonNode members = null;
        for (JsonNode attribute : get("/Schemas/" + GROUP).path("attributes")) {
            if (attribute.path("name").asText().equals("members")) {
                members = attribute;
            }
        }
        assertThat(members).isNotNull();
        for (JsonNode sub : members.path("subAttributes")) {
            if (sub.path("name").asText().equals("$ref")) {
                assertThat(sub.path("referenceTypes").toString()).isEqualTo("[\"User\"]");
            }
            if (sub.path("name").asText().equals("type")) {
                assertThat(sub.path("canonicalValues").toString()).isEqualTo("[\"User\"]");
            }
        }
    }

    @Test
    void theListHoldsEachSchemaOnce() {
        JsonNode list = get("/Schemas");
        assertThat(list.path("totalResults").asInt()).isEqualTo(7);
        assertThat(list.path("Resources").findValuesAsText("id")).containsExactlyInAnyOrder(USER, GROUP, ENTERPRISE,
                TOOLJET, SERVICE_PROVIDER_CONFIG, RESOURCE_TYPE, SCHEMA);
    }

    @Test
    void theServiceProviderConfigSchemaDescribesEveryAttributeServed() {
        assertDescribes(get("/Schemas/" + SERVICE_PROVIDER_CONFIG).path("attributes"), get("/ServiceProviderConfig"),
                "ServiceProviderConfig");
    }

    @Test
    void theResourceTypeSchemaDescribesEveryResourceTypeServed() {
        JsonNode attributes = get("/Schemas/" + RESOURCE_TYPE).path("attributes");
        for (JsonNode type : get("/ResourceTypes").path("Resources")) {
            assertDescribes(attributes, type, "ResourceType " + type.path("id").asText());
        }
    }

    /**
     * Not itself: RFC 7643 §2.3.8 gives sub-attributes no sub-attributes of their own, so the Schema
     * schema describes two levels of definitions, while its own {@code attributes.subAttributes} needs three.
     */
    @Test
    void theSchemaSchemaDescribesEveryOtherSchemaServed() {
        JsonNode attributes = get("/Schemas/" + SCHEMA).path("attributes");
        for (JsonNode schema : get("/Schemas").path("Resources")) {
            if (!schema.path("id").asText().equals(SCHEMA)) {
                assertDescribes(attributes, schema, "Schema " + schema.path("id").asText());
            }
        }
    }

    @Test
    void everyAttributeDefinitionTakesTheValuesTheSchemaSchemaAllows() {
        JsonNode characteristics = definition(get("/Schemas/" + SCHEMA).path("attributes"), "attributes")
                .path("subAttributes");
        List<String> refused = new ArrayList<>();
        for (JsonNode schema : get("/Schemas").path("Resources")) {
            checkCanonicalValues(characteristics, schema.path("attributes"), schema.path("id").asText(), refused);
        }
        assertThat(refused).isEmpty();
    }

    /** The discovery schemas are no extensions of Users or Groups: input under their URN is ignored. */
    @Test
    void theDiscoverySchemasNameNoResourceAttribute() {
        assertThat(get("/ResourceTypes").path("totalResults").asInt()).isEqualTo(2);
        HttpResponse<String> created = server.send("POST", "/Users", "{\"userName\":\"schema-" + UUID.randomUUID()
                + "\",\"" + SERVICE_PROVIDER_CONFIG + "\":{\"patch\":{\"supported\":false}},\"" + SCHEMA
                + "\":{\"name\":\"x\"}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).doesNotContain(SERVICE_PROVIDER_CONFIG).doesNotContain(SCHEMA);
        assertScimError(server.send("GET", "/Users?filter=" + SCHEMA + ":name%20eq%20%22x%22", null), 400,
                "invalidFilter");
    }

    private static JsonNode definition(JsonNode definitions, String name) {
        for (JsonNode definition : definitions) {
            if (definition.path("name").asText().equalsIgnoreCase(name)) {
                return definition;
            }
        }
        return null;
    }

    /** Every member of {@code value} has a definition in {@code definitions}, of its type and plurality. */
    private static void assertDescribes(JsonNode definitions, JsonNode value, String where) {
        value.fieldNames().forEachRemaining(name -> {
            if (COMMON.contains(name)) {
                return;
            }
            JsonNode definition = definition(definitions, name);
            assertThat(definition).as(where + ": no definition of '" + name + "'").isNotNull();
            JsonNode member = value.get(name);
            String at = where + "." + name;
            if (definition.path("multiValued").asBoolean()) {
                assertThat(member.isArray()).as(at + " is multi-valued").isTrue();
                member.forEach(element -> assertValue(definition, element, at + "[]"));
            } else {
                assertValue(definition, member, at);
            }
        });
    }

    private static void assertValue(JsonNode definition, JsonNode value, String at) {
        String type = definition.path("type").asText();
        switch (type) {
            case "complex" -> {
                assertThat(value.isObject()).as(at + " is complex").isTrue();
                assertDescribes(definition.path("subAttributes"), value, at);
            }
            case "boolean" -> assertThat(value.isBoolean()).as(at + " is a boolean").isTrue();
            case "integer" -> assertThat(value.isIntegralNumber()).as(at + " is an integer").isTrue();
            case "string", "reference" -> assertThat(value.isTextual()).as(at + " is text").isTrue();
            default -> throw new AssertionError(at + " has a type this test does not check: " + type);
        }
    }

    private static void checkCanonicalValues(JsonNode characteristics, JsonNode attributes, String where,
                                             List<String> refused) {
        for (JsonNode attribute : attributes) {
            String at = where + ":" + attribute.path("name").asText();
            for (String characteristic : List.of("type", "mutability", "returned", "uniqueness")) {
                List<String> allowed = canonicalValues(characteristics, characteristic);
                String given = attribute.path(characteristic).asText();
                if (!allowed.contains(given)) {
                    refused.add(at + " " + characteristic + "=" + given + " (allowed " + allowed + ")");
                }
            }
            checkCanonicalValues(characteristics, attribute.path("subAttributes"), at, refused);
        }
    }

    private static List<String> canonicalValues(JsonNode characteristics, String name) {
        List<String> values = new ArrayList<>();
        definition(characteristics, name).path("canonicalValues").forEach(v -> values.add(v.asText()));
        return values;
    }
}
