package dev.scimserver.store;

import dev.scimserver.directory.Group;
import dev.scimserver.directory.Page;
import dev.scimserver.directory.Policed;
import dev.scimserver.directory.SearchQuery;
import org.jdbi.v3.core.Handle;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static dev.scimserver.store.StoredValues.json;
import static dev.scimserver.store.StoredValues.timestamp;
import static dev.scimserver.store.UniqueViolations.uniquely;

/** The SQL of a workspace's custom groups; their members are {@link MembershipRows}'. */
final class GroupRows {
    private static final String SELECT = "SELECT g.id, g.name, g.external_id, g.attributes::text AS attributes, "
            + "g.version, g.created_at, g.last_modified ";
    private static final String FROM = "FROM groups g ";
    /** The custom group {@code :group} of {@code :workspace}. */
    private static final String ONE_GROUP = "g.workspace_id = :workspace AND g.id = :group AND g.type = 'custom'";
    static final TableSearch SEARCH = new TableSearch(ResourceTable.GROUPS, SELECT.trim(),
            FROM + "WHERE g.workspace_id = ? AND g.type = 'custom'");
    /** {@link #findForUpdateWithPolicy}'s statement. */
    private static final JournalSettings.Carrier LOCKED_WITH_POLICY = RoleRows.lockedWithPolicy(SELECT, "groups",
            "g", ONE_GROUP);

    private final Handle handle;
    private final JournalSettings journal;
    private final PlainStatements plain;

    GroupRows(Handle handle, JournalSettings journal, PlainStatements plain) {
        this.handle = handle;
        this.journal = journal;
        this.plain = plain;
    }

    Optional<Group> find(UUID workspaceId, UUID groupId) {
        return handle.createQuery(SELECT + FROM + "WHERE " + ONE_GROUP).bind("workspace", workspaceId)
                .bind("group", groupId).map(GroupMapper.INSTANCE).findOne();
    }

    /**
     * The group's row locked until the transaction ends, with its workspace's role policy
     * ({@link RoleRows#lockedWithPolicy}). Every write of a group reads it first: it carries the
     * journal's settings when they are still to be sent.
     */
    Optional<Policed<Group>> findForUpdateWithPolicy(UUID workspaceId, UUID groupId) {
        return journal.carriedBy(undescribed -> plain.first(LOCKED_WITH_POLICY.values(undescribed)
                .bind("workspace", workspaceId).bind("group", groupId), RoleRows.withPolicy(GroupMapper::read)));
    }

    List<Group> findAll(UUID workspaceId, Collection<UUID> groupIds) {
        return handle.createQuery(SELECT + FROM + "WHERE g.workspace_id = :workspace AND g.id = ANY(:groups) "
                        + "AND g.type = 'custom'")
                .bind("workspace", workspaceId).bind("groups", groupIds.toArray(new UUID[0]))
                .map(GroupMapper.INSTANCE).list();
    }

    void insert(UUID workspaceId, Group group) {
        uniquely(() -> handle.createUpdate("INSERT INTO groups (id, workspace_id, name, type, external_id, attributes, "
                        + "version, created_at, last_modified) VALUES (:id, :workspace, :name, 'custom', :externalId, "
                        + "CAST(:attributes AS jsonb), :version, :created, :lastModified)")
                .bind("id", group.id()).bind("workspace", workspaceId).bind("name", group.displayName())
                .bind("externalId", group.externalId()).bind("attributes", json(group.attributes()))
                .bind("version", group.version()).bind("created", timestamp(group.created()))
                .bind("lastModified", timestamp(group.lastModified())).execute());
    }

    void update(UUID workspaceId, Group group) {
        uniquely(() -> plain.update("UPDATE groups SET name = ?, external_id = ?, attributes = CAST(? AS jsonb), "
                        + "version = ?, last_modified = ? WHERE workspace_id = ? AND id = ? AND type = 'custom'",
                group.displayName(), group.externalId(), json(group.attributes()), group.version(),
                timestamp(group.lastModified()), workspaceId, group.id()));
    }

    /**
     * The group's version and change time alone, for a change of its members that leaves its attributes
     * as they were: PostgreSQL does not parse the attributes' JSON again.
     */
    void updateVersion(UUID workspaceId, Group group) {
        plain.update("UPDATE groups SET version = ?, last_modified = ? WHERE workspace_id = ? AND id = ? "
                + "AND type = 'custom'", group.version(), timestamp(group.lastModified()), workspaceId, group.id());
    }

    boolean delete(UUID workspaceId, UUID groupId) {
        return handle.createUpdate("DELETE FROM groups WHERE workspace_id = :workspace AND id = :group "
                        + "AND type = 'custom'")
                .bind("workspace", workspaceId).bind("group", groupId).execute() > 0;
    }

    Page<Group> search(UUID workspaceId, SearchQuery query, KnownTotals totals) {
        return SqlFaults.refusingFilterValues(() -> SEARCH.run(handle, totals, workspaceId, query, GroupMapper::read));
    }
}
