package dev.scimserver.store;

/**
 * Attribute names go into jsonb paths as SQL literals. They always come from our schema
 * definitions, never from a request, and this check keeps it that way.
 */
final class JsonKeys {
    private JsonKeys() {
    }

    static String checked(String schemaName) {
        if (!schemaName.matches("[A-Za-z0-9:._$-]+")) {
            throw new IllegalStateException("not a schema attribute name: " + schemaName);
        }
        return schemaName;
    }
}
