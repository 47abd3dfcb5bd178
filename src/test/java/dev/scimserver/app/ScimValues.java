package dev.scimserver.app;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Small readers and writers of SCIM messages the contract tests share. */
final class ScimValues {
    static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    private ScimValues() {
    }

    /** A PatchOp message around the given operations (JSON objects, comma-separated). */
    static String ops(String operations) {
        return "{\"schemas\":[\"" + PATCH_OP + "\"],\"Operations\":[" + operations + "]}";
    }

    /** The ids of a ListResponse's resources, in order. */
    static List<String> ids(JsonNode list) {
        return values(list.path("Resources"), "id");
    }

    static List<String> memberIds(JsonNode group) {
        return values(group.path("members"), "value");
    }

    static List<String> groupIds(JsonNode user) {
        return values(user.path("groups"), "value");
    }

    static List<String> schemas(JsonNode resource) {
        List<String> out = new ArrayList<>();
        resource.path("schemas").forEach(s -> out.add(s.asText()));
        return out;
    }

    private static List<String> values(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(item -> out.add(item.path(field).asText()));
        return out;
    }

    /** A unique suffix for names, since every test shares one database. */
    static String suffix() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    /** A query parameter value, percent-encoded (spaces as %20, as IdPs send them). */
    static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
