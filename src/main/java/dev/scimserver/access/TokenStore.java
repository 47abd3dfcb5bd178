package dev.scimserver.access;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Storage of the workspaces' API tokens, by digest only. Implementations throw
 * {@link CredentialsUnavailableException} when the database cannot be reached.
 */
public interface TokenStore {
    /** {@code false} when the token's workspace no longer exists (deleted meanwhile). */
    boolean insertToken(ApiToken token, SecretHash hash);

    /** The token whose secret has this digest, revoked and expired ones included. */
    Optional<ApiToken> findTokenByHash(SecretHash hash);

    /** The workspace's tokens, revoked ones included, oldest first. */
    List<ApiToken> tokensOf(UUID workspaceId);

    /** Revokes the workspace's token at {@code at}; {@code false} when there is no such unrevoked token. */
    boolean revokeToken(UUID workspaceId, UUID tokenId, Instant at);

    /**
     * When the environment's credentials were last used, by their names ({@link EnvironmentCredentials#BASIC},
     * {@link EnvironmentCredentials#TOKEN}); a credential never used has no entry.
     */
    Map<String, Instant> environmentLastUses();
}
