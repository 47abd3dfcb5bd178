package dev.scimserver.directory;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimserver.scim.CanonicalUuids;
import dev.scimserver.scim.ResourceType;
import dev.scimserver.scim.ScimException;

import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Resource ids as clients send them: our ids are UUIDs, and anything else names no resource.
 * Error details quote an id only when it looks like one, so a client's arbitrary text (markup,
 * lookup strings, control characters) is never echoed back into a response or a log.
 */
final class ResourceIds {
    private static final Pattern QUOTABLE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private ResourceIds() {
    }

    /** The resource of {@code type} that {@code id} names, as a UUID; a 404 when it can name none. */
    static UUID parse(ResourceType type, String id) {
        return CanonicalUuids.parse(id).orElseThrow(() -> notFound(type, id));
    }

    static ScimException notFound(ResourceType type, String id) {
        return ScimException.notFound("no " + type.name().toLowerCase(Locale.ROOT) + " with id " + quoted(id));
    }

    /**
     * RFC 7644 §3.5.1: an id in a PUT body is read-only, and may only repeat the id of the URL: the
     * same resource, in whichever case either names it (a GET by the upper-case id reads it too).
     */
    static void checkBodyId(JsonNode body, String id) {
        JsonNode bodyId = body.get("id");
        if (bodyId != null && !bodyId.isNull() && !namesTheSame(bodyId.asText(), id)) {
            throw ScimException.invalidValue("the id in the body does not match the id in the URL");
        }
    }

    private static boolean namesTheSame(String id, String other) {
        Optional<UUID> named = CanonicalUuids.parse(id);
        return id.equals(other) || named.isPresent() && named.equals(CanonicalUuids.parse(other));
    }

    /** The id as an error detail may show it. */
    static String quoted(String id) {
        return id != null && QUOTABLE.matcher(id).matches() ? "'" + id + "'" : "(not a valid id)";
    }
}
