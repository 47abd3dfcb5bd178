package dev.scimserver.directory;

import dev.scimserver.scim.ResourceType;

import java.util.Optional;
import java.util.UUID;
import java.util.function.ToLongFunction;

/**
 * A write of one existing resource, named by the id the client sent: one transaction, on the
 * resource read under its row lock with its workspace's role policy, once {@code If-Match} holds of
 * the version it has then. What every PUT, PATCH and DELETE of a user or a group shares.
 */
final class LockedWrite<T> {
    /** Reads the resource under its row lock, with the policy; empty when the workspace has none with the id. */
    interface Lock<T> {
        Optional<Policed<T>> lock(DirectoryTransaction tx, UUID workspaceId, UUID id);
    }

    /** The write itself, on the resource and the policy as the lock found them. */
    interface Write<T, R> {
        R write(DirectoryTransaction tx, UUID workspaceId, T current, RolePolicy policy);
    }

    private final ResourceType type;
    private final Lock<T> lock;
    private final ToLongFunction<T> version;

    LockedWrite(ResourceType type, Lock<T> lock, ToLongFunction<T> version) {
        this.type = type;
        this.lock = lock;
        this.version = version;
    }

    /** {@code write} in {@code actor}'s workspace: 404 when {@code id} names nothing there, 412 when If-Match fails. */
    <R> R run(DirectoryStore store, Actor actor, String id, Precondition precondition, Write<T, R> write) {
        UUID resourceId = ResourceIds.parse(type, id);
        return store.inTransaction(actor, tx -> {
            UUID workspace = actor.workspaceId();
            Policed<T> current = lock.lock(tx, workspace, resourceId)
                    .orElseThrow(() -> ResourceIds.notFound(type, id));
            precondition.check(version.applyAsLong(current.locked()));
            return write.write(tx, workspace, current.locked(), current.policy());
        });
    }
}
