package dev.scimserver.access;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Storage of OAuth clients and their secrets, by digest only. Implementations throw
 * {@link CredentialsUnavailableException} when the database cannot be reached.
 */
public interface OAuthClientStore {
    /**
     * The client with its first secret, in one transaction: a client never exists without one.
     * {@code false} when the client's workspace no longer exists (deleted meanwhile).
     */
    boolean insertClient(OAuthClient client, ClientSecret first, SecretHash hash);

    /** {@code false} when the secret's client no longer exists (deleted meanwhile). */
    boolean insertSecret(ClientSecret secret, SecretHash hash);

    /** The client with this public identifier. */
    Optional<OAuthClient> findClient(String clientId);

    /** The workspace's clients, oldest first. */
    List<OAuthClient> clientsOf(UUID workspaceId);

    /** The client's secrets without their digests, oldest first. */
    List<ClientSecret> secretsOf(UUID client);

    /** The client's secrets with their digests, expired ones included: for authenticating it. */
    List<StoredClientSecret> secretDigestsOf(UUID client);

    /** Deletes the workspace's client with its secrets; {@code false} when there is none. */
    boolean deleteClient(UUID workspaceId, UUID client);

    /** Deletes one secret of the client; {@code false} when there is none. */
    boolean deleteSecret(UUID client, UUID secret);
}
