package dev.scimserver.scim;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reading SCIM messages the way clients write them: member names in any case ({@code "Operations"},
 * {@code "operations"}), schema URNs in any case.
 */
public final class JsonFields {
    private JsonFields() {
    }

    /** The member of a JSON object named {@code name} in any case, or null. */
    public static JsonNode fieldIgnoringCase(JsonNode object, String name) {
        JsonNode exact = object.get(name);
        if (exact != null) {
            return exact;
        }
        for (var it = object.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (field.equalsIgnoreCase(name)) {
                return object.get(field);
            }
        }
        return null;
    }

    /** Whether a JSON array holds {@code text} in any case (a message's {@code schemas}). */
    public static boolean containsTextIgnoringCase(JsonNode array, String text) {
        if (array == null || !array.isArray()) {
            return false;
        }
        for (JsonNode item : array) {
            if (item.asText().equalsIgnoreCase(text)) {
                return true;
            }
        }
        return false;
    }
}
