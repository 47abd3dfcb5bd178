package dev.scimserver.http.scim;

import dev.scimserver.directory.Actor;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimserver.directory.GroupService;
import dev.scimserver.directory.Precondition;
import dev.scimserver.scim.PatchOperation;
import dev.scimserver.scim.Projection;
import dev.scimserver.scim.ResourceType;
import dev.scimserver.scim.ScimSchemas;

import java.util.List;

/** Groups' writes: members are read only when the projection returns them. */
final class GroupOperations implements ResourceOperations {
    private final GroupService groups;

    GroupOperations(GroupService groups) {
        this.groups = groups;
    }

    @Override
    public ResourceType type() {
        return ScimSchemas.get().groups();
    }

    @Override
    public ScimResponse create(Actor actor, JsonNode body, Projection projection, String baseUrl) {
        MemberLimit.checkResource(body);
        return render(groups.create(actor, body, projection.includes("members")), baseUrl);
    }

    @Override
    public ScimResponse replace(Actor actor, String id, JsonNode body, Precondition precondition,
                                Projection projection, String baseUrl) {
        MemberLimit.checkResource(body);
        return render(groups.replace(actor, id, body, precondition, projection.includes("members")), baseUrl);
    }

    @Override
    public ScimResponse patch(Actor actor, String id, List<PatchOperation> operations, Precondition precondition,
                              Projection projection, String baseUrl) {
        MemberLimit.checkPatch(operations);
        // A 204 carries no members, so they are read only when the answer will show them.
        boolean withMembers = !projection.isDefault() && projection.includes("members");
        return render(groups.patch(actor, id, operations, precondition, withMembers), baseUrl);
    }

    @Override
    public void delete(Actor actor, String id, Precondition precondition) {
        groups.delete(actor, id, precondition);
    }

    @Override
    public boolean patchAnswersNoContent() {
        return true;
    }

    private static ScimResponse render(GroupService.GroupView view, String baseUrl) {
        ObjectNode resource = ResourceRenderer.group(view, baseUrl);
        String id = view.group().id().toString();
        return new ScimResponse(id, view.group().version(), baseUrl + "/Groups/" + id,
                (out, projection) -> ScimJson.MAPPER.writeTree(out, projection.apply(resource)));
    }
}
