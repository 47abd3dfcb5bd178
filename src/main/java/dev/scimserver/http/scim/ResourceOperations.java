package dev.scimserver.http.scim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimserver.directory.Precondition;
import dev.scimserver.scim.PatchOperation;
import dev.scimserver.scim.Projection;
import dev.scimserver.scim.ResourceType;

import java.util.List;
import java.util.Optional;

/**
 * What the HTTP layer needs of one resource type's writes, rendered for a base URL: the endpoints
 * and Bulk use them alike. Reads are {@link ResourceReads}.
 */
interface ResourceOperations {
    ResourceType type();

    ScimResponse create(JsonNode body, Projection projection, String baseUrl);

    /**
     * Creates all of {@code bodies} at once, with the default projection, or none of them: empty when
     * they cannot all be created that way, and the caller then creates them one at a time.
     */
    default Optional<List<ScimResponse>> createAll(List<JsonNode> bodies, String baseUrl) {
        return Optional.empty();
    }

    ScimResponse replace(String id, JsonNode body, Precondition precondition, Projection projection, String baseUrl);

    ScimResponse patch(String id, List<PatchOperation> operations, Precondition precondition, Projection projection,
                       String baseUrl);

    void delete(String id, Precondition precondition);

    /** Whether a PATCH answers 204 when the client asked for no attributes (Entra's advice for groups). */
    boolean patchAnswersNoContent();
}
