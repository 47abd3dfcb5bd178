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
     * How the change journal, the logs and the rate limit name the credential: {@code basic} and
     * {@code token} for the environment's (as before workspaces had credentials of their own), else
     * its kind and the name an administrator gave it. Never a secret.
     */
    public String journalName() {
        return switch (kind) {
            case ENVIRONMENT -> name;
            case API_TOKEN -> "api-token:" + name;
            case OAUTH_CLIENT, CLIENT_SECRET -> "oauth-client:" + name;
        };
    }
}
