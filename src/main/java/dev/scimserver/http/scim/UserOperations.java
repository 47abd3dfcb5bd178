package dev.scimserver.http.scim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimserver.directory.Precondition;
import dev.scimserver.directory.UserService;
import dev.scimserver.directory.UserView;
import dev.scimserver.scim.PatchOperation;
import dev.scimserver.scim.Projection;
import dev.scimserver.scim.ResourceType;
import dev.scimserver.scim.ScimSchemas;

import java.util.List;
import java.util.Optional;

/** Users: every write answers with the resource. */
final class UserOperations implements ResourceOperations {
    private final UserService users;

    UserOperations(UserService users) {
        this.users = users;
    }

    @Override
    public ResourceType type() {
        return ScimSchemas.get().users();
    }

    @Override
    public ScimResponse create(JsonNode body, Projection projection, String baseUrl) {
        return render(users.create(body), baseUrl);
    }

    @Override
    public Optional<List<ScimResponse>> createAll(List<JsonNode> bodies, String baseUrl) {
        return users.createAll(bodies).map(views -> views.stream().map(v -> render(v, baseUrl)).toList());
    }

    @Override
    public ScimResponse replace(String id, JsonNode body, Precondition precondition, Projection projection,
                                String baseUrl) {
        return render(users.replace(id, body, precondition), baseUrl);
    }

    @Override
    public ScimResponse patch(String id, List<PatchOperation> operations, Precondition precondition,
                              Projection projection, String baseUrl) {
        return render(users.patch(id, operations, precondition), baseUrl);
    }

    @Override
    public void delete(String id, Precondition precondition) {
        users.delete(id, precondition);
    }

    @Override
    public boolean patchAnswersNoContent() {
        return false;
    }

    private static ScimResponse render(UserView view, String baseUrl) {
        return new ScimResponse(ResourceRenderer.user(view, baseUrl), view.member().version(),
                baseUrl + "/Users/" + view.member().userId());
    }
}
