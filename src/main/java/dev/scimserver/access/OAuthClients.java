package dev.scimserver.access;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The workspaces' OAuth clients for the client-credentials grant: registered with a name and a
 * first secret, given more secrets (each with an optional expiry) so that one can be rotated with
 * no gap, and deleted, which ends every access token issued to them within
 * {@link CredentialCache#MAX_STALENESS}.
 */
public final class OAuthClients {
    /** Client identifiers are public: the prefix only makes them recognisable, 128 random bits make them unique. */
    private static final String CLIENT_ID_PREFIX = "scim_cli_";
    private static final int CLIENT_ID_RANDOM_BYTES = 16;

    private final OAuthClientStore store;
    private final Clock clock;

    public OAuthClients(OAuthClientStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** A new client of the workspace with its first secret; {@code secretExpiresAt} may be {@code null}. */
    public NewOAuthClient register(UUID workspaceId, String name, Instant secretExpiresAt) {
        Instant now = clock.instant();
        CredentialNames.checkExpiry(secretExpiresAt, now);
        OAuthClient client = new OAuthClient(UUID.randomUUID(),
                CLIENT_ID_PREFIX + SecretFormat.randomBase64Url(CLIENT_ID_RANDOM_BYTES), workspaceId,
                CredentialNames.check(name), now, null);
        ClientSecret first = new ClientSecret(UUID.randomUUID(), client.id(), now, secretExpiresAt, null);
        String value = SecretFormat.CLIENT_SECRET.generate();
        if (!store.insertClient(client, first, SecretHash.of(value))) {
            throw new AccessNotFoundException("the workspace no longer exists: it was deleted meanwhile");
        }
        return new NewOAuthClient(client, new NewClientSecret(first, value));
    }

    /** One more secret for the client; the ones it has stay valid until they expire or are removed. */
    public NewClientSecret addSecret(OAuthClient client, Instant expiresAt) {
        Instant now = clock.instant();
        ClientSecret secret = new ClientSecret(UUID.randomUUID(), client.id(), now,
                CredentialNames.checkExpiry(expiresAt, now), null);
        String value = SecretFormat.CLIENT_SECRET.generate();
        if (!store.insertSecret(secret, SecretHash.of(value))) {
            throw new AccessNotFoundException("the OAuth client no longer exists: it was deleted meanwhile");
        }
        return new NewClientSecret(secret, value);
    }

    public boolean removeSecret(OAuthClient client, UUID secretId) {
        return store.deleteSecret(client.id(), secretId);
    }

    public boolean delete(UUID workspaceId, UUID client) {
        return store.deleteClient(workspaceId, client);
    }

    public List<OAuthClient> list(UUID workspaceId) {
        return store.clientsOf(workspaceId);
    }

    public List<ClientSecret> secrets(OAuthClient client) {
        return store.secretsOf(client.id());
    }
}
