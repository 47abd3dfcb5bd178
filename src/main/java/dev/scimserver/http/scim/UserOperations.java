package dev.scimserver.http.scim;

import dev.scimserver.directory.Actor;
import com.fasterxml.jackson.databind.JsonNode;
import dev.scimserver.directory.NewPassword;
import dev.scimserver.directory.Precondition;
import dev.scimserver.directory.UserService;
import dev.scimserver.directory.UserView;
import dev.scimserver.scim.PatchOperation;
import dev.scimserver.scim.Projection;
import dev.scimserver.scim.ResourceType;
import dev.scimserver.scim.ScimSchemas;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Users: every write answers with the resource. A write's password is hashed before the write's
 * transaction opens: here, just before the call, or, for a Bulk, before the Bulk's single commit.
 */
final class UserOperations implements ResourceOperations {
    private final UserService users;
    /** The password of the one Bulk operation these serve, hashed before the Bulk began; null for a single request. */
    private final NewPassword hashedBefore;

    UserOperations(UserService users) {
        this(users, null);
    }

    private UserOperations(UserService users, NewPassword hashedBefore) {
        this.users = users;
        this.hashedBefore = hashedBefore;
    }

    /** These operations for one Bulk operation, whose password {@link #passwordOf} hashed before the Bulk began. */
    UserOperations settingPassword(NewPassword password) {
        return new UserOperations(users, password);
    }

    /** The passwords of a Bulk's operations on users, each hashed (or found the user's) before the Bulk runs. */
    UserService.BulkPasswords bulkPasswords(Actor actor) {
        return users.bulkPasswords(actor);
    }

    @Override
    public ResourceType type() {
        return ScimSchemas.get().users();
    }

    @Override
    public ScimResponse create(Actor actor, JsonNode body, Projection projection, String baseUrl) {
        return render(users.create(actor, body, password(() -> users.passwordOf(body))), baseUrl);
    }

    /**
     * Creates all of {@code bodies} at once, each with its password, or none of them: empty when they
     * cannot all be created that way, and the caller then creates them one at a time.
     */
    Optional<List<ScimResponse>> createAll(Actor actor, List<JsonNode> bodies, List<NewPassword> passwords,
                                           String baseUrl) {
        return users.createAll(actor, bodies, passwords).map(views -> views.stream().map(v -> render(v, baseUrl)).toList());
    }

    @Override
    public ScimResponse replace(Actor actor, String id, JsonNode body, Precondition precondition,
                                Projection projection, String baseUrl) {
        return render(users.replace(actor, id, body, precondition, password(() -> users.passwordOf(actor, id, body))),
                baseUrl);
    }

    @Override
    public ScimResponse patch(Actor actor, String id, List<PatchOperation> operations, Precondition precondition,
                              Projection projection, String baseUrl) {
        return render(users.patch(actor, id, operations, precondition,
                password(() -> users.passwordOf(actor, id, operations))), baseUrl);
    }

    @Override
    public void delete(Actor actor, String id, Precondition precondition) {
        users.delete(actor, id, precondition);
    }

    @Override
    public boolean patchAnswersNoContent() {
        return false;
    }

    private NewPassword password(Supplier<NewPassword> hashNow) {
        return hashedBefore != null ? hashedBefore : hashNow.get();
    }

    private static ScimResponse render(UserView view, String baseUrl) {
        String id = view.member().userId().toString();
        return new ScimResponse(id, view.member().version(), baseUrl + "/Users/" + id,
                (out, projection) -> ResourceRenderer.writeUser(out, view, Locations.of(baseUrl), projection));
    }
}
