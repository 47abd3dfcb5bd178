package dev.scimserver.access;

import java.util.UUID;

/**
 * Who a SCIM request comes from, as its bearer credential says: the workspace it acts on and the
 * credential by kind, id and administrator-given name (never the secret), for the change journal and
 * the logs.
 */
public record Caller(UUID workspaceId, CredentialKind kind, UUID credentialId, String name) {

    /** One of the environment's credentials ({@code basic} or {@code token}), which have no id. */
    public static Caller environment(UUID defaultWorkspace, String name) {
        return new Caller(defaultWorkspace, CredentialKind.ENVIRONMENT, null, name);
    }

    /**
     * How the change journal and the logs name the credential: {@code basic} and {@code token} for
     * the environment's (as before workspaces had credentials of their own), else its kind and the
     * name an administrator gave it. Never a secret.
     */
    public String journalName() {
        return switch (kind) {
            case ENVIRONMENT -> name;
            case API_TOKEN -> "api-token:" + name;
            case OAUTH_CLIENT, CLIENT_SECRET -> "oauth-client:" + name;
        };
    }

    /**
     * What the rate limit counts each credential by: its id, as names repeat (every workspace's Okta
     * token may be called "okta", and a rotation makes a second token of the same name), and one
     * workspace's traffic must never spend another's budget. The environment's have no id, and their
     * names are theirs alone.
     */
    public String rateLimitKey() {
        return credentialId == null ? "environment:" + name : credentialId.toString();
    }
}
