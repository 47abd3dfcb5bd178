package dev.scimserver.directory;

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
 * The directory's view of storage inside one transaction. {@code find…} returns empty when nothing
 * matches; uniqueness is enforced by the database and reported as a SCIM 409.
 */
public interface DirectoryTransaction {

    /** Serialises changes that could leave the workspace without an active admin, across processes. */
    void lockWorkspace(UUID workspaceId);

    /**
     * Makes the person with {@code user}'s email a member of the workspace: a new person with
     * {@code user.member().userId()}, or the existing one (updated to {@code user.person()} and to
     * {@code user}'s password, none when it has none) when it has left or never joined this workspace.
     * Returns the member's user id and version, which continues after the last version of a membership
     * the person had here before; empty, with nothing written, when that person is already a member.
     */
    Optional<PlacedMember> insertMemberWithPerson(UUID workspaceId, NewMember user);

    /**
     * Inserts new persons and their memberships, all in one batch: a person whose email is already
     * known, or a taken userName, fails the whole call with a SCIM 409 (a caller that wants the
     * person rules of {@link #insertMemberWithPerson} for each goes one at a time).
     */
    void insertNewMembers(UUID workspaceId, List<NewMember> members);

    /**
     * {@code passwordHash} null clears the password; as {@link #updateMember}, never a shared person's.
     * Answers whether the password changed: a hash equal to the stored one changes nothing.
     */
    boolean updatePasswordHash(UUID workspaceId, UUID id, String passwordHash);

    /** The hash of the member's password, if it has one and no other workspace shares the person. */
    Optional<String> passwordHash(UUID workspaceId, UUID id);

    /** The member and its custom groups. */
    Optional<UserView> findUser(UUID workspaceId, UUID userId);

    /**
     * The member and its custom groups, with the member's row locked until the transaction ends, and
     * the workspace's role policy share-locked as {@link #rolePolicy} reads it. The workspace is locked
     * before the member: a change of the policy locks the workspace first and the members after, so
     * the same order here keeps the two from waiting for each other in a circle (a write that takes
     * an admin away locks the workspace again after the member, in a mode the share lock lets through).
     */
    Optional<Policed<UserView>> findUserForUpdateWithPolicy(UUID workspaceId, UUID userId);

    /**
     * Writes the member, and its person unless another workspace shares the person: then the person
     * stays as it is (each workspace keeps its own copy of the attributes). The person's change time
     * is the member's last modification. {@code keepPersonEmail}: the person's email stays as it is,
     * its name changes as said ({@link #claimPersonEmail} found the new one held in other workspaces).
     */
    void updateMember(UUID workspaceId, Member member, Person person, boolean keepPersonEmail);

    /**
     * Writes the member's role, attribute role, status, version and last modification alone: for an
     * update whose attributes are those stored, which leaves its names and its person as they are.
     */
    void updateMemberStanding(UUID workspaceId, Member member);

    /**
     * Who else has {@code email} as the address they sign in with, before the member {@code userId}
     * takes it; the holder is locked until the transaction ends. A person that is in no workspace (a
     * member that left) lets the address go to a member whose person is its own: its email and
     * password are cleared, so it can no longer come back by that address.
     */
    EmailHolder claimPersonEmail(UUID workspaceId, UUID userId, String email, Instant now);

    /**
     * Removes the membership, and with it the member's place in the workspace's groups, each of which
     * gets a new version, modified at {@code now}. Those groups are to be among {@code lockedGroups},
     * locked before the member ({@link #lockGroupsOf}). A group write that added the member after they
     * were read, and committed while the member's lock was awaited, holds a group not among them:
     * locking it now, after the member, would reverse the order and deadlock with a third write holding
     * that group and waiting for the member. Then nothing is changed and the transaction is undone
     * ({@link ConcurrentChangeException}), for the store to run it again from the start.
     */
    void deleteMember(UUID workspaceId, UUID userId, Collection<UUID> lockedGroups, Instant now);

    /**
     * Locks the custom groups {@code userId} is a member of, in the order of their ids, as a group
     * write locks its group: before a member's delete, which changes their versions. Answers their ids.
     */
    List<UUID> lockGroupsOf(UUID workspaceId, UUID userId);

    long countActiveAdmins(UUID workspaceId);

    /** The email each member's person signs in with, by member id; ids of no member of the workspace are left out. */
    Map<UUID, String> signInEmails(UUID workspaceId, Collection<UUID> userIds);

    /** A page of members, each with its custom groups. */
    Page<UserView> searchUsers(UUID workspaceId, SearchQuery query);

    /**
     * The same page, each member handed to {@code each} in the page's order as its row is read, and
     * the page answered without them. Inside a transaction a cursor page's rows arrive a batch at a
     * time, so {@code each} may pass them on while the next batch is read.
     */
    Page<UserView> searchUsers(UUID workspaceId, SearchQuery query, Consumer<UserView> each);

    Optional<Group> findGroup(UUID workspaceId, UUID groupId);

    /**
     * The group, its row locked until the transaction ends, and the workspace's role policy, locked
     * first, as {@link #findUserForUpdateWithPolicy} does: a deletion of the workspace, which waits for
     * the share lock, then takes the groups' rows as it cascades.
     */
    Optional<Policed<Group>> findGroupForUpdateWithPolicy(UUID workspaceId, UUID groupId);

    void insertGroup(UUID workspaceId, Group group);

    void updateGroup(UUID workspaceId, Group group);

    /** Writes the group's version and last modification alone: for a change of members only. */
    void updateGroupVersion(UUID workspaceId, Group group);

    boolean deleteGroup(UUID workspaceId, UUID groupId);

    Page<Group> searchGroups(UUID workspaceId, SearchQuery query);

    /**
     * The members of the groups as the rows arrive, the groups in the order given and each group's
     * members in the order they joined the workspace; never all held at once, inside
     * {@link DirectoryStore#inTransaction} (a read without a transaction gets all rows at once). The
     * stream holds the statement open until it is closed.
     */
    Stream<GroupMember> membersOfGroups(List<UUID> groupIds);

    /** Users and Groups together, for a search at the root (RFC 7644 §3.4.3). */
    Page<ResourceRef> searchResources(UUID workspaceId, SearchQuery query);

    /** The members with these ids and their custom groups, in no particular order; unknown ids are skipped. */
    List<UserView> findUsers(UUID workspaceId, Collection<UUID> userIds);

    /** The custom groups with these ids, in no particular order; unknown ids are skipped. */
    List<Group> findGroups(UUID workspaceId, Collection<UUID> groupIds);

    /** The key that signs RFC 9865 cursors, the same for every server on this database. */
    byte[] cursorSecret();

    /**
     * The database's snapshot now: every later statement of this transaction reads at least what it
     * sees. What {@link #unchangedSince} compares a later moment with.
     */
    String snapshot();

    /**
     * Whether the workspace's directory is still as {@code snapshot} saw it: its change journal holds
     * no row that snapshot could not see. Every change to a member, a group, a membership or the
     * workspace's role settings writes such a row, so a read made after {@code snapshot} was taken
     * is what a fresh read would give.
     */
    boolean unchangedSince(UUID workspaceId, String snapshot);

    /**
     * Those of {@code userIds} that are members of the workspace, whatever their status, each kept
     * from leaving it until this transaction ends: what is checked stays true until it is used.
     */
    Set<UUID> lockMembers(UUID workspaceId, Collection<UUID> userIds);

    /**
     * Adds members of the workspace to one of its groups, skipping those already in it; returns how
     * many were added. A user who is no member fails the statement (the database's key enforces it).
     */
    int addGroupMembers(UUID workspaceId, UUID groupId, Collection<UUID> userIds);

    int removeGroupMembers(UUID groupId, Collection<UUID> userIds);

    /** Removes every member of the group but {@code kept}; returns how many were removed. */
    int removeGroupMembersBut(UUID groupId, Collection<UUID> kept);

    /**
     * The workspace's role policy, the workspace row share-locked until the transaction ends (see
     * {@link #lockRolePolicy}).
     */
    RolePolicy rolePolicy(UUID workspaceId);

    /**
     * The workspace's role policy, the workspace row locked against every change that reads the
     * policy ({@link #rolePolicy}) until this transaction ends: a change of the policy waits for those
     * in flight, and those that come after it wait for it and read the new one.
     */
    RolePolicy lockRolePolicy(UUID workspaceId);

    void saveRolePolicy(UUID workspaceId, RolePolicy policy);

    /** The highest role {@code mappings} give the member through its groups; empty for none. */
    Optional<Role> groupRole(UUID workspaceId, UUID userId, List<RoleMapping> mappings);

    /**
     * Locks, for a change of their roles, the members among {@code userIds} and, when {@code group} is
     * given, the members of that group, all in the order of their ids so that two such changes never
     * wait for each other in a circle; returns those of {@code userIds} locked (the group's members,
     * however many, are never read out). A locked member can neither leave the workspace nor change
     * otherwise until this transaction ends.
     */
    Set<UUID> lockMembersForRoles(UUID workspaceId, Collection<UUID> userIds, Optional<UUID> group);

    /**
     * Gives the members {@code userIds} (every member of the workspace when empty) the role
     * {@code policy} says, in one statement; the journal records each role it changes with
     * {@code cause}. Returns how many active admins lost the admin role.
     */
    int recomputeRoles(UUID workspaceId, RolePolicy policy, Optional<Collection<UUID>> userIds, String cause,
                       Instant now);

    /** As {@link #recomputeRoles}, of {@code userIds} and every member the group has now, in one statement. */
    int recomputeRolesWithGroup(UUID workspaceId, RolePolicy policy, UUID groupId, Collection<UUID> userIds,
                                String cause, Instant now);

    /**
     * As {@link #recomputeRoles}, of the members the group has now but {@code userIds}, each given the
     * role it has once out of the group: what a change that is about to take them all out of it runs
     * before their rows go.
     */
    int recomputeRolesLeaving(UUID workspaceId, RolePolicy policy, UUID groupId, Collection<UUID> userIds,
                              String cause, Instant now);

    /**
     * The newest {@code limit} rows of the change journal about one resource of the workspace, newest
     * first ({@code resourceType} {@code User} or {@code Group}).
     */
    List<JournalEntry> journalOf(UUID workspaceId, String resourceType, UUID resourceId, int limit);

    /** How many members each of these groups has; a group without members is absent from the answer. */
    Map<UUID, Long> countGroupMembers(Collection<UUID> groupIds);
}
