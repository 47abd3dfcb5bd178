package dev.scimserver.events;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A resource's SCIM representation (never {@code password}) and its {@code meta.version}, which match. */
public record Representation(ObjectNode resource, String version) {
}
