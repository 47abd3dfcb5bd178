package dev.scimserver.http.scim;

import dev.scimserver.directory.Actor;
import com.fasterxml.jackson.databind.JsonNode;
import dev.scimserver.directory.GroupMembers;
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

    /**
     * Written as a GET writes a group, its members one by one: a tree of a 100,000-member group's
     * answer took about a hundred megabytes, and a few such answers at once the whole heap. The members
     * are read when the write's projection returns them, and only then written.
     */
    private static ScimResponse render(GroupService.GroupView view, String baseUrl) {
        String id = view.group().id().toString();
        GroupMembers members = view.members() == null ? GroupMembers.NONE
                : (groupId, each) -> view.members().forEach(each);
        return new ScimResponse(id, view.group().version(), baseUrl + "/Groups/" + id,
                (out, projection) -> GroupStreamer.write(out, view.group(), members, projection, baseUrl));
    }
}
