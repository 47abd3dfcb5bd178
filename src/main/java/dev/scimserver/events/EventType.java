package dev.scimserver.events;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What happened, one per kind of journal row: the name a subscription filters on and a webhook's
 * {@code type} carry, the event kind it stands for ({@code resource_type:operation} of the journal row, {@code User:role} for
 * an update that changed a role), and the RFC 9967
 * event URI of a security event token (directory resources only: the administrative changes have none
 * in RFC 9967, so they go by webhook alone).
 */
public enum EventType {
    USER_CREATED("user.created", "User:create", Rfc9967.CREATE),
    USER_UPDATED("user.updated", "User:update", Rfc9967.PATCH),
    /** An update that changed the user's role (perhaps with other attributes): the store's event_kind says so. */
    USER_ROLE_CHANGED("user.role_changed", "User:role", Rfc9967.PATCH),
    USER_DEACTIVATED("user.deactivated", "User:archive", Rfc9967.DEACTIVATE),
    USER_ACTIVATED("user.activated", "User:restore", Rfc9967.ACTIVATE),
    USER_DELETED("user.deleted", "User:delete", Rfc9967.DELETE),
    USER_PASSWORD_CHANGED("user.password_changed", "User:password", Rfc9967.PATCH),
    GROUP_CREATED("group.created", "Group:create", Rfc9967.CREATE),
    GROUP_UPDATED("group.updated", "Group:update", Rfc9967.PATCH),
    GROUP_DELETED("group.deleted", "Group:delete", Rfc9967.DELETE),
    GROUP_MEMBERS_ADDED("group.members_added", "Group:member_add", Rfc9967.PATCH),
    GROUP_MEMBERS_REMOVED("group.members_removed", "Group:member_remove", Rfc9967.PATCH),
    WORKSPACE_CREATED("workspace.created", "Workspace:create", null),
    WORKSPACE_UPDATED("workspace.updated", "Workspace:update", null),
    WORKSPACE_DELETED("workspace.deleted", "Workspace:delete", null),
    API_TOKEN_CREATED("api_token.created", "ApiToken:create", null),
    API_TOKEN_UPDATED("api_token.updated", "ApiToken:update", null),
    API_TOKEN_REVOKED("api_token.revoked", "ApiToken:revoke", null),
    API_TOKEN_DELETED("api_token.deleted", "ApiToken:delete", null),
    OAUTH_CLIENT_CREATED("oauth_client.created", "OAuthClient:create", null),
    OAUTH_CLIENT_UPDATED("oauth_client.updated", "OAuthClient:update", null),
    OAUTH_CLIENT_DELETED("oauth_client.deleted", "OAuthClient:delete", null),
    OAUTH_CLIENT_SECRET_ADDED("oauth_client.secret_added", "OAuthClient:secret_add", null),
    OAUTH_CLIENT_SECRET_REMOVED("oauth_client.secret_removed", "OAuthClient:secret_remove", null),
    /** A journal row of a kind this version does not know (another release wrote it): delivered, never dropped. */
    OTHER("change", null, null);

    /** RFC 9967 §2.3 provisioning events; full or notice is chosen per subscription. */
    enum Rfc9967 {
        CREATE("urn:ietf:params:scim:event:prov:create:"),
        PATCH("urn:ietf:params:scim:event:prov:patch:"),
        DELETE("urn:ietf:params:scim:event:prov:delete"),
        ACTIVATE("urn:ietf:params:scim:event:prov:activate"),
        DEACTIVATE("urn:ietf:params:scim:event:prov:deactivate");

        private final String uri;

        Rfc9967(String uri) {
            this.uri = uri;
        }

        /** Create and patch come as {@code :full} (with the resource) or {@code :notice} (without). */
        String uri(boolean notice) {
            return uri.endsWith(":") ? uri + (notice ? "notice" : "full") : uri;
        }

        boolean carriesData() {
            return uri.endsWith(":");
        }
    }

    private final String wireName;
    private final String journalKind;
    private final Rfc9967 rfc9967;

    EventType(String wireName, String journalKind, Rfc9967 rfc9967) {
        this.wireName = wireName;
        this.journalKind = journalKind;
        this.rfc9967 = rfc9967;
    }

    public String wireName() {
        return wireName;
    }

    /** The event kind, what a subscription's filter is stored as. */
    public String journalKind() {
        return journalKind;
    }

    Optional<Rfc9967> rfc9967() {
        return Optional.ofNullable(rfc9967);
    }

    /** The type of an event kind ({@code resource_type:operation}); {@link #OTHER} for one this version does not know. */
    public static EventType ofJournalKind(String kind) {
        return Arrays.stream(values()).filter(type -> kind.equals(type.journalKind)).findFirst().orElse(OTHER);
    }

    /** The type of a journal row: as the store's {@code event_kind}, which a subscription's filter is matched with. */
    static EventType of(String resourceType, String operation, List<String> changedAttributes) {
        boolean roleChanged = resourceType.equals("User") && operation.equals("update")
                && changedAttributes.contains("role");
        return ofJournalKind(resourceType + ":" + (roleChanged ? "role" : operation));
    }

    /** The type a filter names, by its wire name in any case. */
    static Optional<EventType> named(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(type -> type != OTHER && type.wireName.equals(wanted)).findFirst();
    }

    static List<String> wireNames() {
        return Arrays.stream(values()).filter(type -> type != OTHER).map(EventType::wireName).toList();
    }
}
