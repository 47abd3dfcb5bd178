package dev.scimserver.directory;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.UUID;

/**
 * A place in the order of a search: the sort key and id of one row. A page starts strictly after
 * it, or, {@code backward}, ends strictly before it. {@code key} is a JSON null when the row has
 * no value for the sort attribute.
 */
public record Keyset(JsonNode key, UUID id, boolean backward) {
    public Keyset {
        if (key == null || id == null) {
            throw new IllegalStateException("a keyset needs a key (JSON null for none) and an id");
        }
    }
}
