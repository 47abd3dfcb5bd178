package dev.scimserver.scim;

import java.util.List;
import java.util.Optional;

/** A SCIM schema (RFC 7643 §7): its URN id and its attributes. */
public record Schema(String id, String name, String description, List<AttributeDefinition> attributes) {

    public Schema {
        attributes = List.copyOf(attributes);
    }

    /** By name in any case; the exact spelling, what every rendered resource carries, is tried first. */
    public Optional<AttributeDefinition> attribute(String attributeName) {
        for (AttributeDefinition attribute : attributes) {
            if (attribute.name().equals(attributeName)) {
                return Optional.of(attribute);
            }
        }
        for (AttributeDefinition attribute : attributes) {
            if (attribute.name().equalsIgnoreCase(attributeName)) {
                return Optional.of(attribute);
            }
        }
        return Optional.empty();
    }
}
