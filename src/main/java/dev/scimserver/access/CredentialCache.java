package dev.scimserver.access;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Answers "which workspace and credential is this" for every SCIM request from memory, read again
 * from the database once an answer is {@link #MAX_STALENESS} old. A token revoked, or a client
 * deleted, on any server process of the database is therefore refused by every process within that
 * bound (within 5 seconds, with a second to spare for a slow read), and by the process that made the
 * change on its very next request ({@link #forgetAll()}); an idle credential costs nothing. An expiry is checked on every use, against the clock, not the cache's age.
 *
 * <p>A token's digest is the key, so the secret is never kept; a presented value without the
 * shape of one of our tokens is refused without a lookup. Uses are noted for
 * {@link LastUseRecorder}, which writes them off the request thread.
 */
public final class CredentialCache {
    /** How old an answer from memory may be. */
    public static final Duration MAX_STALENESS = Duration.ofSeconds(4);

    private final TokenStore tokens;
    private final OAuthClientStore clients;
    private final LastUseRecorder lastUse;
    private final Clock clock;
    private final FreshEntries<SecretHash, ApiToken> tokensByHash;
    private final FreshEntries<String, OAuthClient> clientsById;

    public CredentialCache(TokenStore tokens, OAuthClientStore clients, LastUseRecorder lastUse, Clock clock) {
        this.tokens = tokens;
        this.clients = clients;
        this.lastUse = lastUse;
        this.clock = clock;
        this.tokensByHash = new FreshEntries<>(MAX_STALENESS, clock);
        this.clientsById = new FreshEntries<>(MAX_STALENESS, clock);
    }

    /** The caller a presented API token stands for: none when it is unknown, revoked or expired alike. */
    public Optional<Caller> apiToken(String presented) {
        if (!SecretFormat.API_TOKEN.fits(presented)) {
            return Optional.empty();
        }
        Optional<ApiToken> token = tokensByHash.get(SecretHash.of(presented), tokens::findTokenByHash)
                .filter(t -> t.isActiveAt(clock.instant()));
        token.ifPresent(t -> lastUse.record(CredentialKind.API_TOKEN, t.id()));
        return token.map(t -> new Caller(t.workspaceId(), CredentialKind.API_TOKEN, t.id(), t.name()));
    }

    /**
     * The caller an OAuth client stands for, when it still exists in the workspace its access token
     * names: deleting a client (or its workspace) ends its tokens before they expire.
     */
    public Optional<Caller> oauthClient(String clientId, UUID workspaceId) {
        Optional<OAuthClient> client = clientsById.get(clientId, clients::findClient)
                .filter(c -> c.workspaceId().equals(workspaceId));
        client.ifPresent(c -> lastUse.record(CredentialKind.OAUTH_CLIENT, c.id()));
        return client.map(c -> new Caller(c.workspaceId(), CredentialKind.OAUTH_CLIENT, c.id(), c.name()));
    }

    /**
     * Forgets every answer, after this process revoked a token, deleted a client or a workspace: the
     * next request of each credential reads it again. Such changes are rare; the reads they cost are
     * one per credential in use.
     */
    public void forgetAll() {
        tokensByHash.clear();
        clientsById.clear();
    }

    /** Forgets answers too old to be given; call it now and then from a background thread. */
    public void dropStale() {
        tokensByHash.dropStale();
        clientsById.dropStale();
    }
}
