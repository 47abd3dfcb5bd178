package dev.scimserver.store;

import dev.scimserver.access.SigningKeyStore;
import dev.scimserver.access.StoredSigningKey;
import org.jdbi.v3.core.Handle;

import javax.sql.DataSource;
import java.time.Instant;
import java.util.List;

import static dev.scimserver.store.CredentialDatabase.instant;
import static dev.scimserver.store.CredentialDatabase.timestamp;

/**
 * The access tokens' signing keys in PostgreSQL, shared by every server process. The unique index
 * {@code signing_keys_single_active} keeps one active key however processes race: the insert of a
 * second one does nothing.
 */
public final class PostgresSigningKeyStore implements SigningKeyStore {
    private final CredentialDatabase database;

    public PostgresSigningKeyStore(DataSource dataSource) {
        this.database = new CredentialDatabase(dataSource);
    }

    @Override
    public List<StoredSigningKey> signingKeys() {
        return database.withHandle(handle -> handle.createQuery("SELECT kid, public_jwk, private_jwk, created_at, "
                        + "retired_at FROM signing_keys ORDER BY created_at, kid")
                .map((rs, ctx) -> new StoredSigningKey(rs.getString("kid"), rs.getString("public_jwk"),
                        rs.getString("private_jwk"), instant(rs, "created_at"), instant(rs, "retired_at")))
                .list());
    }

    @Override
    public boolean insertActiveKeyIfNone(StoredSigningKey key) {
        return database.withHandle(handle -> insertActive(handle, key));
    }

    /**
     * A concurrent rotation blocks on the active row, then finds it retired and retires nothing; its
     * own key then meets the winner's in the unique index and is not inserted.
     */
    @Override
    public boolean rotateTo(StoredSigningKey key, Instant at) {
        return database.inTransaction(handle -> {
            handle.createUpdate("UPDATE signing_keys SET retired_at = ? WHERE retired_at IS NULL")
                    .bind(0, timestamp(at)).execute();
            return insertActive(handle, key);
        });
    }

    /** A concurrent replacement blocks on the active row, then finds it retired and does nothing. */
    @Override
    public boolean replaceActive(String activeKid, StoredSigningKey key, Instant at) {
        return database.inTransaction(handle -> handle.createUpdate("UPDATE signing_keys SET retired_at = ? "
                        + "WHERE kid = ? AND retired_at IS NULL")
                .bind(0, timestamp(at)).bind(1, activeKid).execute() == 1 && insertActive(handle, key));
    }

    @Override
    public int deleteKeysRetiredBefore(Instant before) {
        return database.withHandle(handle -> handle.createUpdate("DELETE FROM signing_keys WHERE retired_at < ?")
                .bind(0, timestamp(before)).execute());
    }

    private static boolean insertActive(Handle handle, StoredSigningKey key) {
        return handle.createUpdate("INSERT INTO signing_keys (kid, public_jwk, private_jwk, created_at) "
                        + "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")
                .bind(0, key.kid()).bind(1, key.publicJwk()).bind(2, key.privateJwk())
                .bind(3, timestamp(key.createdAt())).execute() == 1;
    }
}
