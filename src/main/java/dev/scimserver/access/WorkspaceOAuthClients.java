package dev.scimserver.access;

import dev.scimserver.scim.CanonicalUuids;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A workspace's OAuth clients as administrators manage them: registered with a first secret, given
 * further secrets so that one is rotated without a gap, stripped of old ones, deleted. Clients and
 * secrets are named by their ids, which administrators get from the lists.
 */
public final class WorkspaceOAuthClients {
    private final CredentialStores stores;
    private final Clock clock;
    private final Runnable credentialsEnded;

    /** {@code credentialsEnded} runs after a client's deletion ({@link CredentialCache#forgetAll()}). */
    public WorkspaceOAuthClients(CredentialStores stores, Clock clock, Runnable credentialsEnded) {
        this.stores = stores;
        this.clock = clock;
        this.credentialsEnded = credentialsEnded;
    }

    /** A new client with its first secret, shown in the answer only; {@code secretExpiresAt} may be {@code null}. */
    public NewOAuthClient register(Workspace workspace, String name, Instant secretExpiresAt, ChangeOrigin by) {
        return clients(by).register(workspace.id(), name, secretExpiresAt);
    }

    /** The workspace's clients, oldest first. */
    public List<OAuthClient> list(Workspace workspace) {
        return clients(null).list(workspace.id());
    }

    /** The client's secrets, oldest first, without their values. */
    public List<ClientSecret> secrets(OAuthClient client) {
        return clients(null).secrets(client);
    }

    /** One more secret for the workspace's client {@code clientId} (its {@link OAuthClient#id()}). */
    public NewClientSecret addSecret(Workspace workspace, String clientId, Instant expiresAt, ChangeOrigin by) {
        return clients(by).addSecret(get(workspace, clientId), expiresAt);
    }

    public void removeSecret(Workspace workspace, String clientId, String secretId, ChangeOrigin by) {
        OAuthClient client = get(workspace, clientId);
        UUID secret = CanonicalUuids.parse(secretId).orElse(null);
        if (secret == null || !clients(by).removeSecret(client, secret)) {
            throw noSecret(clientId, secretId);
        }
    }

    private static AccessNotFoundException noSecret(String clientId, String secretId) {
        return new AccessNotFoundException("the OAuth client '" + clientId + "' has no secret with the id '"
                + secretId + "'");
    }

    /** Deletes the client with its secrets; the access tokens issued to it stop working. */
    public void delete(Workspace workspace, String clientId, ChangeOrigin by) {
        if (!clients(by).delete(workspace.id(), get(workspace, clientId).id())) {
            throw noClient(workspace, clientId);
        }
        credentialsEnded.run();
    }

    /** One secret of the workspace's client {@code clientId}, without its value. */
    public ClientSecret secret(Workspace workspace, String clientId, String secretId) {
        Optional<UUID> id = CanonicalUuids.parse(secretId);
        return secrets(get(workspace, clientId)).stream().filter(secret -> id.isPresent()
                && secret.id().equals(id.get())).findFirst().orElseThrow(() -> noSecret(clientId, secretId));
    }

    /** The workspace's client {@code clientId} (its {@link OAuthClient#id()}). */
    public OAuthClient get(Workspace workspace, String clientId) {
        UUID id = CanonicalUuids.parse(clientId).orElseThrow(() -> noClient(workspace, clientId));
        // A workspace has a handful of clients: its list is one indexed query, and no lookup by row id is needed elsewhere.
        return list(workspace).stream().filter(client -> client.id().equals(id)).findFirst()
                .orElseThrow(() -> noClient(workspace, clientId));
    }

    private static AccessNotFoundException noClient(Workspace workspace, String clientId) {
        return new AccessNotFoundException("the workspace '" + workspace.slug() + "' has no OAuth client with the id '"
                + clientId + "'");
    }

    private OAuthClients clients(ChangeOrigin by) {
        return new OAuthClients(stores.oauthClients(by), clock);
    }
}
