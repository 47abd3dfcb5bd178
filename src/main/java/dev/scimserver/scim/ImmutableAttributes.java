package dev.scimserver.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * RFC 7643 §2.2 "immutable": a value may be set once and never changed. A PUT (RFC 7644 §3.5.1)
 * that carries another value for such an attribute is refused with 400 mutability.
 */
public final class ImmutableAttributes {
    private ImmutableAttributes() {
    }

    /** Refuses {@code replacement} when it changes an immutable value that {@code current} has. */
    public static void checkReplacement(ResourceType type, ObjectNode current, ObjectNode replacement) {
        for (Schema schema : type.schemas()) {
            JsonNode before = schema == type.core() ? current : current.get(schema.id());
            JsonNode after = schema == type.core() ? replacement : replacement.get(schema.id());
            if (before == null) {
                continue;
            }
            for (AttributeDefinition def : schema.attributes()) {
                JsonNode was = before.get(def.name());
                JsonNode now = after == null ? null : after.get(def.name());
                if (was == null) {
                    continue;
                }
                if (def.mutability() == Mutability.IMMUTABLE && !was.equals(now)) {
                    throw ScimException.mutability("'" + def.name() + "' is immutable and cannot be changed by PUT");
                }
                checkSubAttributes(def, was, now);
            }
        }
    }

    private static void checkSubAttributes(AttributeDefinition def, JsonNode was, JsonNode now) {
        if (!def.isComplex() || def.multiValued() || !was.isObject()) {
            return;
        }
        for (AttributeDefinition sub : def.subAttributes()) {
            JsonNode subWas = was.get(sub.name());
            if (sub.mutability() == Mutability.IMMUTABLE && subWas != null
                    && (now == null || !subWas.equals(now.get(sub.name())))) {
                throw ScimException.mutability("'" + def.name() + "." + sub.name()
                        + "' is immutable and cannot be changed by PUT");
            }
        }
    }
}
