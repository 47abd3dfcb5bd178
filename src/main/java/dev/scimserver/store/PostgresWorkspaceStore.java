package dev.scimserver.store;

import dev.scimserver.access.ChangeOrigin;
import dev.scimserver.access.CredentialsUnavailableException;
import dev.scimserver.access.Workspace;
import dev.scimserver.access.WorkspaceSlug;
import dev.scimserver.access.WorkspaceStore;
import dev.scimserver.directory.DirectoryUnavailableException;
import dev.scimserver.directory.MemberStatus;
import dev.scimserver.directory.Role;
import dev.scimserver.directory.WorkspaceSummaries;
import dev.scimserver.directory.WorkspaceSummary;
import org.jdbi.v3.core.Handle;

import javax.sql.DataSource;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static dev.scimserver.store.CredentialDatabase.instant;
import static dev.scimserver.store.CredentialDatabase.timestamp;

/**
 * The workspaces in PostgreSQL, and the figures of each one's directory. A workspace's members, groups
 * and credentials go with it by the schema's cascades (V15), so deleting one is one statement.
 */
public final class PostgresWorkspaceStore implements WorkspaceStore, WorkspaceSummaries {
    private static final String COLUMNS = "id, slug, name, is_default, created_at";
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String MEMBERS_PER_STATUS_AND_ROLE = "SELECT status, role, count(*) AS members "
            + "FROM workspace_members WHERE workspace_id = ? GROUP BY status, role";

    private final CredentialDatabase database;
    /**
     * The member counts of each workspace's summary, counted again only after a change to its directory:
     * they read every member of the workspace, where the rest of a summary reads an index entry or a few.
     */
    private final KnownTotals memberCounts = new KnownTotals();

    public PostgresWorkspaceStore(DataSource dataSource) {
        this.database = new CredentialDatabase(dataSource);
    }

    @Override
    public List<Workspace> workspaces() {
        return database.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS
                        + " FROM workspaces ORDER BY is_default DESC, created_at, id")
                .map((rs, ctx) -> workspace(rs)).list());
    }

    @Override
    public Optional<Workspace> findWorkspace(WorkspaceSlug slug) {
        return database.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM workspaces WHERE slug = ?")
                .bind(0, slug.value()).map((rs, ctx) -> workspace(rs)).findOne());
    }

    /**
     * One statement: the workspace, unless its slug is taken, and its role groups, as V1 gave the
     * Default Workspace. The groups inserted tell whether the workspace was.
     */
    @Override
    public Outcome insertWorkspace(Workspace workspace, ChangeOrigin by) {
        int roleGroups = database.write(by, handle -> handle.createUpdate("WITH created AS ("
                        + "INSERT INTO workspaces (id, name, slug, is_default, created_at) VALUES (?, ?, ?, false, ?) "
                        + "ON CONFLICT (slug) DO NOTHING RETURNING id) "
                        + "INSERT INTO groups (id, workspace_id, name, type, created_at, last_modified) "
                        + "SELECT gen_random_uuid(), created.id, role.name, 'default', ?, ? "
                        + "FROM created CROSS JOIN (VALUES ('admin'), ('builder'), ('end-user')) AS role (name)")
                .bind(0, workspace.id()).bind(1, workspace.name()).bind(2, workspace.slug().value())
                .bind(3, timestamp(workspace.createdAt())).bind(4, timestamp(workspace.createdAt()))
                .bind(5, timestamp(workspace.createdAt()))
                .execute());
        return roleGroups == 0 ? Outcome.SLUG_TAKEN : Outcome.DONE;
    }

    @Override
    public Outcome updateWorkspace(UUID workspaceId, String name, WorkspaceSlug slug, ChangeOrigin by) {
        try {
            int updated = database.write(by, handle -> handle.createUpdate("UPDATE workspaces SET name = ?, slug = ? "
                            + "WHERE id = ?")
                    .bind(0, name).bind(1, slug.value()).bind(2, workspaceId).execute());
            return updated == 0 ? Outcome.MISSING : Outcome.DONE;
        } catch (RuntimeException e) {
            if (hasSqlState(e, UNIQUE_VIOLATION)) {
                return Outcome.SLUG_TAKEN;
            }
            throw e;
        }
    }

    @Override
    public Outcome deleteWorkspace(UUID workspaceId, ChangeOrigin by) {
        int deleted = database.writeTogether(by, handle -> {
            LongStatements.allow(handle);
            return handle.createUpdate("DELETE FROM workspaces WHERE id = ? AND NOT is_default").bind(0, workspaceId)
                    .execute();
        });
        return deleted == 0 ? Outcome.MISSING : Outcome.DONE;
    }

    @Override
    public WorkspaceSummary summaryOf(UUID workspaceId) {
        try {
            return database.withHandle(handle -> summary(handle, workspaceId));
        } catch (CredentialsUnavailableException e) {
            throw new DirectoryUnavailableException(e.getMessage(), e);
        }
    }

    /** How many members of a workspace have one status and one role. */
    private record MemberCount(MemberStatus status, Role role, long members) {
    }

    private WorkspaceSummary summary(Handle handle, UUID workspaceId) {
        List<MemberCount> counts = memberCounts.rows(handle, workspaceId,
                new TableSearch.Statement(MEMBERS_PER_STATUS_AND_ROLE, List.of(workspaceId)), MemberCount.class,
                (rs, ctx) -> new MemberCount(MemberStatus.fromValue(rs.getString("status")),
                        Role.stored(rs.getString("role")),
                        rs.getLong("members")));
        Map<MemberStatus, Long> perStatus = new EnumMap<>(MemberStatus.class);
        Map<Role, Long> activePerRole = new EnumMap<>(Role.class);
        for (Role role : Role.values()) {
            activePerRole.put(role, 0L);
        }
        for (MemberCount count : counts) {
            perStatus.merge(count.status(), count.members(), Long::sum);
            if (count.status() == MemberStatus.ACTIVE) {
                activePerRole.merge(count.role(), count.members(), Long::sum);
            }
        }
        return handle.createQuery("SELECT (SELECT count(*) FROM groups WHERE workspace_id = :workspace "
                        + "AND type = 'custom') AS custom_groups, "
                        + "(SELECT occurred_at FROM change_journal WHERE workspace_id = :workspace "
                        + "ORDER BY id DESC LIMIT 1) AS last_change")
                .bind("workspace", workspaceId)
                .map((rs, ctx) -> new WorkspaceSummary(perStatus.getOrDefault(MemberStatus.ACTIVE, 0L),
                        perStatus.getOrDefault(MemberStatus.ARCHIVED, 0L), rs.getLong("custom_groups"), activePerRole,
                        instant(rs, "last_change")))
                .one();
    }

    private static Workspace workspace(ResultSet rs) throws SQLException {
        return new Workspace(rs.getObject("id", UUID.class), WorkspaceSlug.parse(rs.getString("slug")),
                rs.getString("name"), rs.getBoolean("is_default"), instant(rs, "created_at"));
    }

    private static boolean hasSqlState(Throwable e, String state) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && state.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
