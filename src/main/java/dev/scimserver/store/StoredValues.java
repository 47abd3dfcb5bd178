package dev.scimserver.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimserver.directory.StoredAttributes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** How the directory's values sit in their columns: instants as timestamptz, attribute trees as jsonb. */
final class StoredValues {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StoredValues() {
    }

    static OffsetDateTime timestamp(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    /** The text a jsonb parameter is cast from. */
    static String json(ObjectNode tree) {
        return tree.toString();
    }

    /**
     * A member's stored attributes as the text a jsonb parameter is cast from, decoded from the bytes
     * its SCIM answer is then written from: the attributes are serialised once for both.
     */
    static String json(StoredAttributes attributes) {
        return new String(attributes.utf8(), StandardCharsets.UTF_8);
    }

    /**
     * The stored attributes from the row's own UTF-8 bytes: no String decoded on the way, and
     * Jackson's byte parser is the faster one (the parse is a visible part of an export's CPU).
     */
    static ObjectNode attributes(ResultSet rs) throws SQLException {
        try {
            return (ObjectNode) JSON.readTree(rs.getBytes("attributes"));
        } catch (IOException e) {
            throw new IllegalStateException("stored attributes are not JSON", e);
        }
    }
}
