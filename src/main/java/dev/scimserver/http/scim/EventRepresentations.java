package dev.scimserver.http.scim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimserver.directory.Actor;
import dev.scimserver.directory.GroupService;
import dev.scimserver.directory.UserService;
import dev.scimserver.events.Representation;
import dev.scimserver.events.Representations;
import dev.scimserver.scim.ScimException;

import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Resources for events, rendered as a GET renders them (so never with {@code password}), with
 * locations under the server's SCIM base URL. A group comes without {@code members}, as with
 * {@code excludedAttributes=members}: a group can have more members than a message should carry, and
 * a membership event names the members it added or removed.
 */
public final class EventRepresentations implements Representations {
    private static final String READER = "events";

    private final UserService users;
    private final GroupService groups;
    private final Supplier<String> scimBaseUrl;

    public EventRepresentations(UserService users, GroupService groups, Supplier<String> scimBaseUrl) {
        this.users = users;
        this.groups = groups;
        this.scimBaseUrl = scimBaseUrl;
    }

    @Override
    public Optional<Representation> current(UUID workspaceId, String resourceType, UUID resourceId) {
        Actor reader = new Actor(workspaceId, READER, null, null);
        try {
            ObjectNode resource = switch (resourceType) {
                case "User" -> ResourceRenderer.user(users.get(reader, resourceId.toString()), scimBaseUrl.get());
                case "Group" -> groups.read(reader, resourceId.toString(), false, (group, members) ->
                        ResourceRenderer.group(new GroupService.GroupView(group, null), scimBaseUrl.get()));
                default -> null;
            };
            return Optional.ofNullable(resource)
                    .map(found -> new Representation(found, found.path("meta").path("version").asText()));
        } catch (ScimException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
