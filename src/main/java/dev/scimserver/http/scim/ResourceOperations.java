package dev.scimserver.http.scim;

import dev.scimserver.directory.Actor;
import com.fasterxml.jackson.databind.JsonNode;
import dev.scimserver.directory.Precondition;
import dev.scimserver.scim.PatchOperation;
import dev.scimserver.scim.Projection;
import dev.scimserver.scim.ResourceType;

import java.util.List;

/**
 * What the HTTP layer needs of one resource type's writes, rendered for a base URL: the endpoints
 * and Bulk use them alike. Reads are {@link ResourceReads}.
 */
interface ResourceOperations {
    ResourceType type();

    ScimResponse create(Actor actor, JsonNode body, Projection projection, String baseUrl);

    ScimResponse replace(Actor actor, String id, JsonNode body, Precondition precondition, Projection projection,
                         String baseUrl);

    ScimResponse patch(Actor actor, String id, List<PatchOperation> operations, Precondition precondition,
                       Projection projection, String baseUrl);

    void delete(Actor actor, String id, Precondition precondition);

    /** Whether a PATCH answers 204 when the client asked for no attributes (Entra's advice for groups). */
    boolean patchAnswersNoContent();
}
