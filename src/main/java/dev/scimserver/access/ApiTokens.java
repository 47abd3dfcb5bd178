package dev.scimserver.access;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The workspaces' named bearer tokens: created with a name and an optional expiry, listed without
 * their secrets, revoked. Several can be active at once, so a token is rotated by creating the next
 * one, moving the identity provider to it, then revoking the old one, with no gap.
 */
public final class ApiTokens {
    private final TokenStore store;
    private final Clock clock;

    public ApiTokens(TokenStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** A new token for the workspace; {@code expiresAt} may be {@code null} (never expires). */
    public NewApiToken create(UUID workspaceId, String name, Instant expiresAt) {
        Instant now = clock.instant();
        ApiToken token = new ApiToken(UUID.randomUUID(), workspaceId, CredentialNames.check(name), now,
                CredentialNames.checkExpiry(expiresAt, now), null, null);
        String secret = SecretFormat.API_TOKEN.generate();
        if (!store.insertToken(token, SecretHash.of(secret))) {
            throw new AccessNotFoundException("the workspace no longer exists: it was deleted meanwhile");
        }
        return new NewApiToken(token, secret);
    }

    /** The workspace's tokens, revoked ones included, oldest first; never a secret. */
    public List<ApiToken> list(UUID workspaceId) {
        return store.tokensOf(workspaceId);
    }

    /**
     * Revokes the token; every server process refuses it within {@link CredentialCache#MAX_STALENESS}.
     * {@code false} when the workspace has no such unrevoked token.
     */
    public boolean revoke(UUID workspaceId, UUID tokenId) {
        return store.revokeToken(workspaceId, tokenId, clock.instant());
    }
}
