package dev.scimserver.access;

import dev.scimserver.scim.CanonicalUuids;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A workspace's bearer credentials as administrators manage them: its named API tokens, and for the
 * Default Workspace also the environment's credentials, listed read-only (their secrets are the
 * operator's, set in the environment; only a restart without them removes them).
 */
public final class WorkspaceCredentials {
    /** The id under which {@code SCIM_BASIC_AUTH_USER}/{@code SCIM_BASIC_AUTH_PASS} is listed. */
    public static final String ENVIRONMENT_BASIC = "environment-basic";
    /** The id under which {@code SCIM_HEADER_AUTH_TOKEN} is listed. */
    public static final String ENVIRONMENT_TOKEN = "environment-token";

    private final CredentialStores stores;
    private final EnvironmentCredentials environment;
    private final Clock clock;
    private final Runnable credentialsEnded;

    /** {@code credentialsEnded} runs after a revocation ({@link CredentialCache#forgetAll()}). */
    public WorkspaceCredentials(CredentialStores stores, EnvironmentCredentials environment, Clock clock,
                                Runnable credentialsEnded) {
        this.stores = stores;
        this.environment = environment;
        this.clock = clock;
        this.credentialsEnded = credentialsEnded;
    }

    /** The environment's credentials first (Default Workspace only), then the tokens, oldest first, revoked ones included. */
    public List<WorkspaceCredential> list(Workspace workspace) {
        List<WorkspaceCredential> all = new ArrayList<>(environmentCredentials(workspace));
        tokens(null).list(workspace.id()).forEach(token -> all.add(WorkspaceCredential.of(token)));
        return all;
    }

    /** The workspace's credential {@code id}, as {@link #list} shows it (revoked or not). */
    public WorkspaceCredential get(Workspace workspace, String id) {
        return list(workspace).stream().filter(credential -> credential.id().equals(id)).findFirst()
                .orElseThrow(() -> new AccessNotFoundException("the workspace '" + workspace.slug()
                        + "' has no credential with the id '" + id + "'"));
    }

    /** A new API token; its secret is in the answer and nowhere else. {@code expiresAt} may be {@code null}. */
    public NewApiToken create(Workspace workspace, String name, Instant expiresAt, ChangeOrigin by) {
        return tokens(by).create(workspace.id(), name, expiresAt);
    }

    /**
     * Rotation without a gap: the next token under the name of the workspace's unrevoked API token
     * {@code id}, which keeps working until it is revoked, once the identity provider uses the new one.
     */
    public NewApiToken rotate(Workspace workspace, String id, Instant expiresAt, ChangeOrigin by) {
        Optional<UUID> tokenId = CanonicalUuids.parse(id);
        ApiToken old = tokens(null).list(workspace.id()).stream()
                .filter(token -> tokenId.isPresent() && token.id().equals(tokenId.get()) && token.revokedAt() == null)
                .findFirst().orElseThrow(() -> new AccessNotFoundException("the workspace '" + workspace.slug()
                        + "' has no unrevoked API token with the id '" + id + "'"));
        return create(workspace, old.name(), expiresAt, by);
    }

    /** Revokes the workspace's API token {@code id}; the environment's credentials cannot be. */
    public void revoke(Workspace workspace, String id, ChangeOrigin by) {
        Optional<WorkspaceCredential> configured = environmentCredentials(workspace).stream()
                .filter(credential -> credential.id().equals(id)).findFirst();
        if (configured.isPresent()) {
            throw new AccessConflictException(configured.get().name() + " is configured by the environment and "
                    + "cannot be revoked here: remove it from the server's environment and restart it");
        }
        Optional<UUID> tokenId = CanonicalUuids.parse(id);
        if (tokenId.isEmpty() || !tokens(by).revoke(workspace.id(), tokenId.get())) {
            throw new AccessNotFoundException("the workspace '" + workspace.slug() + "' has no unrevoked credential "
                    + "with the id '" + id + "'");
        }
        credentialsEnded.run();
    }

    private List<WorkspaceCredential> environmentCredentials(Workspace workspace) {
        List<WorkspaceCredential> configured = new ArrayList<>();
        if (!workspace.isDefault() || !environment.basicEnabled() && !environment.tokenEnabled()) {
            return configured;
        }
        Map<String, Instant> lastUses = stores.tokens(null).environmentLastUses();
        if (environment.basicEnabled()) {
            configured.add(WorkspaceCredential.environment(ENVIRONMENT_BASIC,
                    "SCIM_BASIC_AUTH_USER/SCIM_BASIC_AUTH_PASS", lastUses.get(EnvironmentCredentials.BASIC)));
        }
        if (environment.tokenEnabled()) {
            configured.add(WorkspaceCredential.environment(ENVIRONMENT_TOKEN, "SCIM_HEADER_AUTH_TOKEN",
                    lastUses.get(EnvironmentCredentials.TOKEN)));
        }
        return configured;
    }

    private ApiTokens tokens(ChangeOrigin by) {
        return new ApiTokens(stores.tokens(by), clock);
    }

}
