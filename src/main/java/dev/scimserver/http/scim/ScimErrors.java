package dev.scimserver.http.scim;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimserver.scim.ScimType;
import dev.scimserver.scim.ScimUrns;

/** The SCIM error body (RFC 7644 §3.12): {@code status} is a string, {@code scimType} only where there is one. */
final class ScimErrors {
    private ScimErrors() {
    }

    static ObjectNode body(int status, ScimType scimType, String detail) {
        ObjectNode error = JsonNodeFactory.instance.objectNode();
        error.putArray("schemas").add(ScimUrns.ERROR);
        error.put("status", Integer.toString(status));
        if (scimType != null) {
            error.put("scimType", scimType.wireValue());
        }
        error.put("detail", detail);
        return error;
    }
}
