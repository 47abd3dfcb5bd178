package dev.scimserver.http.scim;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One resource as it goes out: its JSON, the version behind its ETag, and its location. */
record ScimResponse(ObjectNode resource, long version, String location) {
}
