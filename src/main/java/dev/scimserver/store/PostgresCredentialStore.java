package dev.scimserver.store;

import dev.scimserver.access.ApiToken;
import dev.scimserver.access.ChangeOrigin;
import dev.scimserver.access.ClientSecret;
import dev.scimserver.access.CredentialStores;
import dev.scimserver.access.CredentialKind;
import dev.scimserver.access.LastUse;
import dev.scimserver.access.LastUseStore;
import dev.scimserver.access.OAuthClient;
import dev.scimserver.access.OAuthClientStore;
import dev.scimserver.access.SecretHash;
import dev.scimserver.access.StoredClientSecret;
import dev.scimserver.access.TokenStore;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

import javax.sql.DataSource;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import static dev.scimserver.store.CredentialDatabase.instant;
import static dev.scimserver.store.CredentialDatabase.timestamp;

/**
 * The workspaces' API tokens and OAuth clients with their secrets, in PostgreSQL, by digest only. An
 * instance {@link #journaledAs} an origin writes each change in a transaction whose journal rows name it.
 */
public final class PostgresCredentialStore implements TokenStore, OAuthClientStore, LastUseStore, CredentialStores {
    private static final String TOKEN_COLUMNS = "id, workspace_id, name, created_at, expires_at, last_used_at, revoked_at";
    private static final String CLIENT_COLUMNS = "id, client_id, workspace_id, name, created_at, last_used_at";
    /**
     * Where each kind's last-use time is kept, in the order every process writes them (an
     * {@link EnumMap} iterates in the kinds' order); the table names are ours, never input.
     */
    private static final Map<CredentialKind, String> LAST_USE_TABLES = new EnumMap<>(Map.of(
            CredentialKind.API_TOKEN, "api_tokens",
            CredentialKind.OAUTH_CLIENT, "oauth_clients",
            CredentialKind.CLIENT_SECRET, "oauth_client_secrets"));

    private final CredentialDatabase database;
    /** Whom the journal names for this instance's writes; {@code null}: nobody. */
    private final ChangeOrigin origin;

    public PostgresCredentialStore(DataSource dataSource) {
        this(new CredentialDatabase(dataSource), null);
    }

    private PostgresCredentialStore(CredentialDatabase database, ChangeOrigin origin) {
        this.database = database;
        this.origin = origin;
    }

    /** This store on the same pool, its writes journaled as made by {@code by}. */
    public PostgresCredentialStore journaledAs(ChangeOrigin by) {
        return new PostgresCredentialStore(database, by);
    }

    @Override
    public TokenStore tokens(ChangeOrigin by) {
        return journaledAs(by);
    }

    @Override
    public OAuthClientStore oauthClients(ChangeOrigin by) {
        return journaledAs(by);
    }

    @Override
    public boolean insertToken(ApiToken token, SecretHash hash) {
        return whileReferencedRowExists(() -> database.write(origin, handle -> handle.createUpdate("INSERT INTO "
                        + "api_tokens (id, workspace_id, name, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)")
                .bind(0, token.id()).bind(1, token.workspaceId()).bind(2, token.name()).bind(3, hash.bytes())
                .bind(4, timestamp(token.createdAt())).bind(5, timestamp(token.expiresAt()))
                .execute()));
    }

    /**
     * Runs an insert whose row refers to another (its workspace, its client); {@code false} when that
     * row was deleted meanwhile, which the foreign key reports (SQLSTATE 23503).
     */
    private static boolean whileReferencedRowExists(Runnable insert) {
        try {
            insert.run();
            return true;
        } catch (RuntimeException e) {
            if (SqlFaults.find(e, SQLException.class, "23503"::equals).isPresent()) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public Optional<ApiToken> findTokenByHash(SecretHash hash) {
        return database.withHandle(handle -> handle.createQuery("SELECT " + TOKEN_COLUMNS
                        + " FROM api_tokens WHERE token_hash = ?")
                .bind(0, hash.bytes()).map((rs, ctx) -> token(rs)).findOne());
    }

    @Override
    public List<ApiToken> tokensOf(UUID workspaceId) {
        return database.withHandle(handle -> handle.createQuery("SELECT " + TOKEN_COLUMNS
                        + " FROM api_tokens WHERE workspace_id = ? ORDER BY created_at, id")
                .bind(0, workspaceId).map((rs, ctx) -> token(rs)).list());
    }

    @Override
    public boolean revokeToken(UUID workspaceId, UUID tokenId, Instant at) {
        return database.write(origin, handle -> handle.createUpdate("UPDATE api_tokens SET revoked_at = ? "
                        + "WHERE id = ? AND workspace_id = ? AND revoked_at IS NULL")
                .bind(0, timestamp(at)).bind(1, tokenId).bind(2, workspaceId).execute()) == 1;
    }

    @Override
    public boolean insertClient(OAuthClient client, ClientSecret first, SecretHash hash) {
        return whileReferencedRowExists(() -> database.writeTogether(origin, handle -> {
            handle.createUpdate("INSERT INTO oauth_clients (id, client_id, workspace_id, name, created_at) "
                            + "VALUES (?, ?, ?, ?, ?)")
                    .bind(0, client.id()).bind(1, client.clientId()).bind(2, client.workspaceId())
                    .bind(3, client.name()).bind(4, timestamp(client.createdAt())).execute();
            return insertSecret(handle, first, hash);
        }));
    }

    @Override
    public boolean insertSecret(ClientSecret secret, SecretHash hash) {
        return whileReferencedRowExists(() -> database.write(origin, handle -> insertSecret(handle, secret, hash)));
    }

    private static int insertSecret(Handle handle, ClientSecret secret, SecretHash hash) {
        return handle.createUpdate("INSERT INTO oauth_client_secrets (id, client, secret_hash, created_at, expires_at) "
                        + "VALUES (?, ?, ?, ?, ?)")
                .bind(0, secret.id()).bind(1, secret.client()).bind(2, hash.bytes())
                .bind(3, timestamp(secret.createdAt())).bind(4, timestamp(secret.expiresAt())).execute();
    }

    @Override
    public Optional<OAuthClient> findClient(String clientId) {
        return database.withHandle(handle -> handle.createQuery("SELECT " + CLIENT_COLUMNS
                        + " FROM oauth_clients WHERE client_id = ?")
                .bind(0, clientId).map((rs, ctx) -> client(rs)).findOne());
    }

    @Override
    public List<OAuthClient> clientsOf(UUID workspaceId) {
        return database.withHandle(handle -> handle.createQuery("SELECT " + CLIENT_COLUMNS
                        + " FROM oauth_clients WHERE workspace_id = ? ORDER BY created_at, id")
                .bind(0, workspaceId).map((rs, ctx) -> client(rs)).list());
    }

    @Override
    public List<ClientSecret> secretsOf(UUID client) {
        return database.withHandle(handle -> handle.createQuery("SELECT id, client, created_at, expires_at, "
                        + "last_used_at FROM oauth_client_secrets WHERE client = ? ORDER BY created_at, id")
                .bind(0, client)
                .map((rs, ctx) -> new ClientSecret(rs.getObject("id", UUID.class), rs.getObject("client", UUID.class),
                        instant(rs, "created_at"), instant(rs, "expires_at"), instant(rs, "last_used_at")))
                .list());
    }

    @Override
    public List<StoredClientSecret> secretDigestsOf(UUID client) {
        return database.withHandle(handle -> handle.createQuery("SELECT id, secret_hash, expires_at "
                        + "FROM oauth_client_secrets WHERE client = ?")
                .bind(0, client)
                .map((rs, ctx) -> new StoredClientSecret(rs.getObject("id", UUID.class),
                        SecretHash.fromBytes(rs.getBytes("secret_hash")), instant(rs, "expires_at")))
                .list());
    }

    @Override
    public boolean deleteClient(UUID workspaceId, UUID client) {
        return database.write(origin, handle -> handle.createUpdate("DELETE FROM oauth_clients WHERE id = ? "
                + "AND workspace_id = ?").bind(0, client).bind(1, workspaceId).execute()) == 1;
    }

    @Override
    public boolean deleteSecret(UUID client, UUID secret) {
        return database.write(origin, handle -> handle.createUpdate("DELETE FROM oauth_client_secrets WHERE id = ? "
                + "AND client = ?").bind(0, secret).bind(1, client).execute()) == 1;
    }

    /**
     * One batch per kind in one transaction; {@code greatest} keeps a time from moving backwards. The
     * environment's credentials get their row at their first use. Every process locks the rows in one
     * order (the tables', then the ids'), so that two processes writing the same credentials' times at
     * once wait for each other instead of deadlocking.
     */
    @Override
    public void recordLastUse(Collection<LastUse> uses) {
        List<LastUse> ordered = uses.stream().sorted(Comparator.comparing(LastUse::id)).toList();
        database.inTransaction(handle -> {
            for (Map.Entry<CredentialKind, String> table : LAST_USE_TABLES.entrySet()) {
                List<LastUse> ofKind = ordered.stream().filter(use -> use.kind() == table.getKey()).toList();
                if (ofKind.isEmpty()) {
                    continue;
                }
                PreparedBatch batch = handle.prepareBatch("UPDATE " + table.getValue()
                        + " SET last_used_at = greatest(last_used_at, ?) WHERE id = ?");
                ofKind.forEach(use -> batch.bind(0, timestamp(use.at())).bind(1, UUID.fromString(use.id())).add());
                batch.execute();
            }
            List<LastUse> environment = ordered.stream().filter(use -> use.kind() == CredentialKind.ENVIRONMENT)
                    .toList();
            if (!environment.isEmpty()) {
                PreparedBatch batch = handle.prepareBatch("INSERT INTO environment_credential_uses AS u "
                        + "(credential, last_used_at) VALUES (?, ?) ON CONFLICT (credential) "
                        + "DO UPDATE SET last_used_at = greatest(u.last_used_at, excluded.last_used_at)");
                environment.forEach(use -> batch.bind(0, use.id()).bind(1, timestamp(use.at())).add());
                batch.execute();
            }
            return null;
        });
    }

    @Override
    public Map<String, Instant> environmentLastUses() {
        return database.withHandle(handle -> handle.createQuery("SELECT credential, last_used_at "
                        + "FROM environment_credential_uses")
                .map((rs, ctx) -> Map.entry(rs.getString("credential"), instant(rs, "last_used_at")))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    private static ApiToken token(ResultSet rs) throws SQLException {
        return new ApiToken(rs.getObject("id", UUID.class), rs.getObject("workspace_id", UUID.class),
                rs.getString("name"), instant(rs, "created_at"), instant(rs, "expires_at"),
                instant(rs, "last_used_at"), instant(rs, "revoked_at"));
    }

    private static OAuthClient client(ResultSet rs) throws SQLException {
        return new OAuthClient(rs.getObject("id", UUID.class), rs.getString("client_id"),
                rs.getObject("workspace_id", UUID.class), rs.getString("name"), instant(rs, "created_at"),
                instant(rs, "last_used_at"));
    }
}
