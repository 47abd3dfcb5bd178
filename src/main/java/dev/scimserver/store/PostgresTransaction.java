package dev.scimserver.store;

import dev.scimserver.directory.Actor;
import dev.scimserver.directory.DirectoryTransaction;
import dev.scimserver.directory.EmailHolder;
import dev.scimserver.directory.Group;
import dev.scimserver.directory.GroupMember;
import dev.scimserver.directory.JournalEntry;
import dev.scimserver.directory.Member;
import dev.scimserver.directory.NewMember;
import dev.scimserver.directory.Page;
import dev.scimserver.directory.Person;
import dev.scimserver.directory.PlacedMember;
import dev.scimserver.directory.Policed;
import dev.scimserver.directory.ResourceRef;
import dev.scimserver.directory.Role;
import dev.scimserver.directory.RoleMapping;
import dev.scimserver.directory.RolePolicy;
import dev.scimserver.directory.SearchQuery;
import dev.scimserver.directory.UserView;
import org.jdbi.v3.core.Handle;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@link DirectoryTransaction} on one Jdbi handle inside an open transaction: the SQL of members,
 * groups and membership is in {@link MemberRows}, {@link GroupRows} and {@link MembershipRows}.
 */
final class PostgresTransaction implements DirectoryTransaction {
    private final Handle handle;
    private final SettledRows settled;
    private final KnownTotals totals;
    private final MemberRows members;
    private final GroupRows groups;
    private final MembershipRows membership;
    private final RoleRows roles;

    /** A transaction whose changes the journal attributes to nobody (a loader), or one already described. */
    PostgresTransaction(Handle handle, SettledRows settled, KnownTotals totals) {
        this(handle, settled, totals, JournalSettings.none(handle));
    }

    /**
     * A transaction whose changes the journal attributes to {@code actor} (none: a read), its rows
     * marked with {@code commitKey}.
     */
    PostgresTransaction(Handle handle, SettledRows settled, KnownTotals totals, Actor actor, UUID commitKey) {
        this(handle, settled, totals,
                actor == null ? JournalSettings.none(handle) : JournalSettings.pending(handle, actor, commitKey));
    }

    private PostgresTransaction(Handle handle, SettledRows settled, KnownTotals totals, JournalSettings journal) {
        this.handle = handle;
        this.settled = settled;
        this.totals = totals;
        PlainStatements plain = new PlainStatements(handle, journal);
        this.members = new MemberRows(handle, journal, plain);
        this.groups = new GroupRows(handle, journal, plain);
        this.membership = new MembershipRows(handle, plain);
        this.roles = new RoleRows(handle, journal, plain);
    }

    @Override
    public void lockWorkspace(UUID workspaceId) {
        handle.createQuery("SELECT id FROM workspaces WHERE id = :workspace FOR NO KEY UPDATE")
                .bind("workspace", workspaceId).mapTo(UUID.class).one();
    }

    @Override
    public Optional<PlacedMember> insertMemberWithPerson(UUID workspaceId, NewMember user) {
        return members.insertWithPerson(workspaceId, user);
    }

    @Override
    public void insertNewMembers(UUID workspaceId, List<NewMember> users) {
        members.insertNew(workspaceId, users);
    }

    @Override
    public boolean updatePasswordHash(UUID workspaceId, UUID id, String passwordHash) {
        return members.updatePasswordHash(workspaceId, id, passwordHash);
    }

    @Override
    public Optional<String> passwordHash(UUID workspaceId, UUID id) {
        return members.passwordHash(workspaceId, id);
    }

    @Override
    public Optional<UserView> findUser(UUID workspaceId, UUID userId) {
        return members.find(workspaceId, userId);
    }

    @Override
    public Optional<Policed<UserView>> findUserForUpdateWithPolicy(UUID workspaceId, UUID userId) {
        return members.findForUpdateWithPolicy(workspaceId, userId);
    }

    @Override
    public void updateMember(UUID workspaceId, Member member, Person person, boolean keepPersonEmail) {
        members.update(workspaceId, member, person, keepPersonEmail);
    }

    @Override
    public void updateMemberStanding(UUID workspaceId, Member member) {
        members.updateStanding(workspaceId, member);
    }

    @Override
    public EmailHolder claimPersonEmail(UUID workspaceId, UUID userId, String email, Instant now) {
        return members.claimPersonEmail(workspaceId, userId, email, now);
    }

    @Override
    public void deleteMember(UUID workspaceId, UUID userId, Collection<UUID> lockedGroups, Instant now) {
        members.delete(workspaceId, userId, lockedGroups, now);
    }

    @Override
    public List<UUID> lockGroupsOf(UUID workspaceId, UUID userId) {
        return members.lockGroupsOf(workspaceId, userId);
    }

    @Override
    public long countActiveAdmins(UUID workspaceId) {
        return members.countActiveAdmins(workspaceId);
    }

    @Override
    public Map<UUID, String> signInEmails(UUID workspaceId, Collection<UUID> userIds) {
        return members.signInEmails(workspaceId, userIds);
    }

    @Override
    public Page<UserView> searchUsers(UUID workspaceId, SearchQuery query) {
        return members.search(workspaceId, query, totals);
    }

    @Override
    public Page<UserView> searchUsers(UUID workspaceId, SearchQuery query, Consumer<UserView> each) {
        return members.search(workspaceId, query, totals, each);
    }

    @Override
    public Optional<Group> findGroup(UUID workspaceId, UUID groupId) {
        return groups.find(workspaceId, groupId);
    }

    @Override
    public Optional<Policed<Group>> findGroupForUpdateWithPolicy(UUID workspaceId, UUID groupId) {
        return groups.findForUpdateWithPolicy(workspaceId, groupId);
    }

    @Override
    public void insertGroup(UUID workspaceId, Group group) {
        groups.insert(workspaceId, group);
    }

    @Override
    public void updateGroup(UUID workspaceId, Group group) {
        groups.update(workspaceId, group);
    }

    @Override
    public void updateGroupVersion(UUID workspaceId, Group group) {
        groups.updateVersion(workspaceId, group);
    }

    @Override
    public boolean deleteGroup(UUID workspaceId, UUID groupId) {
        return groups.delete(workspaceId, groupId);
    }

    @Override
    public Page<Group> searchGroups(UUID workspaceId, SearchQuery query) {
        return groups.search(workspaceId, query, totals);
    }

    @Override
    public Stream<GroupMember> membersOfGroups(List<UUID> groupIds) {
        return membership.membersOfGroups(groupIds);
    }

    @Override
    public Page<ResourceRef> searchResources(UUID workspaceId, SearchQuery query) {
        return SqlFaults.refusingFilterValues(() -> RootSearch.run(handle, workspaceId, query));
    }

    @Override
    public List<UserView> findUsers(UUID workspaceId, Collection<UUID> userIds) {
        return members.findAll(workspaceId, userIds);
    }

    @Override
    public List<Group> findGroups(UUID workspaceId, Collection<UUID> groupIds) {
        return groups.findAll(workspaceId, groupIds);
    }

    @Override
    public byte[] cursorSecret() {
        return settled.cursorSecret(handle);
    }

    @Override
    public String snapshot() {
        return handle.createQuery("SELECT pg_current_snapshot()::text").mapTo(String.class).one();
    }

    @Override
    public boolean unchangedSince(UUID workspaceId, String snapshot) {
        return KnownTotals.unchangedSince(handle, workspaceId, snapshot);
    }

    @Override
    public Set<UUID> lockMembers(UUID workspaceId, Collection<UUID> userIds) {
        return membership.lockMembers(workspaceId, userIds);
    }

    @Override
    public int addGroupMembers(UUID workspaceId, UUID groupId, Collection<UUID> userIds) {
        return membership.add(workspaceId, groupId, userIds);
    }

    @Override
    public int removeGroupMembers(UUID groupId, Collection<UUID> userIds) {
        return membership.remove(groupId, userIds);
    }

    @Override
    public int removeGroupMembersBut(UUID groupId, Collection<UUID> kept) {
        return membership.removeAllBut(groupId, kept);
    }

    @Override
    public RolePolicy rolePolicy(UUID workspaceId) {
        return roles.policy(workspaceId);
    }

    @Override
    public RolePolicy lockRolePolicy(UUID workspaceId) {
        return roles.lockedPolicy(workspaceId);
    }

    @Override
    public void saveRolePolicy(UUID workspaceId, RolePolicy policy) {
        roles.save(workspaceId, policy);
    }

    @Override
    public Optional<Role> groupRole(UUID workspaceId, UUID userId, List<RoleMapping> mappings) {
        return mappings.isEmpty() ? Optional.empty() : roles.groupRole(workspaceId, userId, mappings);
    }

    @Override
    public Set<UUID> lockMembersForRoles(UUID workspaceId, Collection<UUID> userIds, Optional<UUID> group) {
        return roles.lockForRoles(workspaceId, userIds, group);
    }

    @Override
    public int recomputeRoles(UUID workspaceId, RolePolicy policy, Optional<Collection<UUID>> userIds, String cause,
                              Instant now) {
        return roles.recompute(workspaceId, policy, userIds, cause, now);
    }

    @Override
    public int recomputeRolesWithGroup(UUID workspaceId, RolePolicy policy, UUID groupId, Collection<UUID> userIds,
                                       String cause, Instant now) {
        return roles.recomputeWithGroup(workspaceId, policy, groupId, userIds, cause, now);
    }

    @Override
    public int recomputeRolesLeaving(UUID workspaceId, RolePolicy policy, UUID groupId, Collection<UUID> userIds,
                                     String cause, Instant now) {
        return roles.recomputeLeaving(workspaceId, policy, groupId, userIds, cause, now);
    }

    @Override
    public List<JournalEntry> journalOf(UUID workspaceId, String resourceType, UUID resourceId, int limit) {
        return JournalRows.of(handle, workspaceId, resourceType, resourceId, limit);
    }

    @Override
    public Map<UUID, Long> countGroupMembers(Collection<UUID> groupIds) {
        return membership.countMembers(groupIds);
    }
}
