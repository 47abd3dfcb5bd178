package dev.scimserver.access;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Credential storage in maps, for the unit tests of this package; the real one is tested against
 * PostgreSQL in {@code PostgresCredentialStoreTest}. Counts lookups and keeps every last-use write,
 * so tests can tell a cached answer from a read one.
 */
final class InMemoryCredentials implements TokenStore, OAuthClientStore, LastUseStore {
    private final Map<SecretHash, ApiToken> tokens = new ConcurrentHashMap<>();
    private final Map<String, OAuthClient> clients = new ConcurrentHashMap<>();
    private final Map<UUID, List<StoredClientSecret>> secrets = new ConcurrentHashMap<>();
    final List<List<LastUse>> lastUseWrites = new ArrayList<>();
    int tokenLookups;
    boolean failWrites;

    @Override
    public boolean insertToken(ApiToken token, SecretHash hash) {
        tokens.put(hash, token);
        return true;
    }

    @Override
    public synchronized Optional<ApiToken> findTokenByHash(SecretHash hash) {
        tokenLookups++;
        return Optional.ofNullable(tokens.get(hash));
    }

    @Override
    public List<ApiToken> tokensOf(UUID workspaceId) {
        return tokens.values().stream().filter(t -> t.workspaceId().equals(workspaceId)).toList();
    }

    @Override
    public boolean revokeToken(UUID workspaceId, UUID tokenId, Instant at) {
        for (Map.Entry<SecretHash, ApiToken> e : tokens.entrySet()) {
            ApiToken t = e.getValue();
            if (t.id().equals(tokenId) && t.workspaceId().equals(workspaceId) && t.revokedAt() == null) {
                e.setValue(new ApiToken(t.id(), t.workspaceId(), t.name(), t.createdAt(), t.expiresAt(),
                        t.lastUsedAt(), at));
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean insertClient(OAuthClient client, ClientSecret first, SecretHash hash) {
        clients.put(client.clientId(), client);
        return insertSecret(first, hash);
    }

    @Override
    public boolean insertSecret(ClientSecret secret, SecretHash hash) {
        secrets.computeIfAbsent(secret.client(), c -> new ArrayList<>())
                .add(new StoredClientSecret(secret.id(), hash, secret.expiresAt()));
        return true;
    }

    @Override
    public Optional<OAuthClient> findClient(String clientId) {
        return Optional.ofNullable(clients.get(clientId));
    }

    @Override
    public List<OAuthClient> clientsOf(UUID workspaceId) {
        return clients.values().stream().filter(c -> c.workspaceId().equals(workspaceId)).toList();
    }

    @Override
    public List<ClientSecret> secretsOf(UUID client) {
        throw new UnsupportedOperationException("not needed by the unit tests");
    }

    @Override
    public List<StoredClientSecret> secretDigestsOf(UUID client) {
        return List.copyOf(secrets.getOrDefault(client, List.of()));
    }

    @Override
    public boolean deleteClient(UUID workspaceId, UUID client) {
        return clients.values().removeIf(c -> c.id().equals(client) && c.workspaceId().equals(workspaceId));
    }

    @Override
    public boolean deleteSecret(UUID client, UUID secret) {
        return secrets.getOrDefault(client, new ArrayList<>()).removeIf(s -> s.id().equals(secret));
    }

    @Override
    public synchronized Map<String, Instant> environmentLastUses() {
        Map<String, Instant> latest = new HashMap<>();
        lastUseWrites.stream().flatMap(List::stream).filter(use -> use.kind() == CredentialKind.ENVIRONMENT)
                .forEach(use -> latest.merge(use.id(), use.at(), (a, b) -> a.isAfter(b) ? a : b));
        return latest;
    }

    @Override
    public synchronized void recordLastUse(Collection<LastUse> uses) {
        if (failWrites) {
            throw new IllegalStateException("the test's database is down");
        }
        lastUseWrites.add(List.copyOf(uses));
    }
}
