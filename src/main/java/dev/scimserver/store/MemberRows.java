package dev.scimserver.store;

import dev.scimserver.directory.ConcurrentChangeException;
import dev.scimserver.directory.EmailHolder;
import dev.scimserver.directory.Member;
import dev.scimserver.directory.NewMember;
import dev.scimserver.directory.Page;
import dev.scimserver.directory.Person;
import dev.scimserver.directory.PlacedMember;
import dev.scimserver.directory.Policed;
import dev.scimserver.directory.SearchQuery;
import dev.scimserver.directory.UserView;
import dev.scimserver.scim.ScimException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.generic.GenericType;

import java.util.Collection;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

import static dev.scimserver.store.StoredValues.json;
import static dev.scimserver.store.StoredValues.timestamp;
import static dev.scimserver.store.UniqueViolations.uniquely;

/**
 * The SQL of members: a person (users) and its membership of a workspace (workspace_members) as one
 * user. Writes keep both; reads are of the membership alone, the person's sign-in email apart.
 */
final class MemberRows {
    /**
     * A user with its custom groups in one statement, the groups as {id, name} pairs: reading them
     * with a second query cost a round trip per lookup. The groups are a scalar subquery, which
     * PostgreSQL evaluates only for the rows a sorted, limited page returns, each by its key. The
     * person is not read: nothing a SCIM answer holds is the person's (see {@link #signInEmails}).
     */
    private static final String SELECT = "SELECT m.user_id, m.user_name, m.external_id, m.display_name, m.role, "
            + "coalesce(m.attribute_role, m.role) AS attribute_role, m.status, "
            + "m.attributes::text AS attributes, m.version, m.created_at, m.last_modified, "
            + "(SELECT array_agg(ARRAY[g.id::text, g.name] ORDER BY g.name, g.id) FROM group_members gm "
            + "JOIN groups g ON g.id = gm.group_id WHERE gm.user_id = m.user_id AND g.workspace_id = m.workspace_id "
            + "AND g.type = 'custom') AS groups ";
    private static final String FROM = "FROM workspace_members m ";
    /** The member {@code :user} of {@code :workspace}. */
    private static final String ONE_MEMBER = "m.workspace_id = :workspace AND m.user_id = :user";
    static final TableSearch SEARCH = new TableSearch(ResourceTable.MEMBERS, SELECT.trim(),
            FROM + "WHERE m.workspace_id = ?");

    /** A new person, from the named parameters {@link #bindNewUser} binds. */
    private static final String PERSON_INSERT = "INSERT INTO users (id, email, given_name, family_name, password_hash, "
            + "created_at, updated_at) SELECT :id, :email, :givenName, :familyName, :passwordHash, :now, :now ";
    /**
     * The membership of the person in the relation the caller names next, from the same parameters, at
     * {@code version} (an SQL expression).
     */
    private static String memberInsert(String version) {
        return "INSERT INTO workspace_members (workspace_id, user_id, user_name, external_id, display_name, role, "
                + "attribute_role, status, attributes, version, created_at, last_modified) "
                + "SELECT :workspace, p.id, :userName, :externalId, :displayName, :role, :attributeRole, :status, "
                + "CAST(:attributes AS jsonb), " + version + ", :now, :now FROM ";
    }

    /** A person who comes back continues after the last version its earlier membership reached (V30). */
    private static final String VERSION_AFTER_RETIRED = ":version + coalesce((SELECT r.version "
            + "FROM retired_memberships r WHERE r.workspace_id = :workspace AND r.user_id = p.id), 0)";

    /**
     * Whether a member of the workspace shows {@code :email} as its email, other than {@code :user} when
     * {@code butTheUser}: the address is taken there, whichever person the member has. A member whose
     * new address another workspace's person held keeps a person with another address, so the persons'
     * addresses alone miss it. What a member shows is what {@code UserAttributes.emailOf} reads: its
     * primary email with a value, else its first with a value, else its userName when it has none.
     */
    private static String shownHere(boolean butTheUser) {
        String other = butTheUser ? "AND m.user_id <> :user " : "";
        return "(EXISTS (SELECT 1 FROM member_emails m WHERE m.workspace_id = :workspace " + other
                + "AND scim_fold(m.value) = scim_fold(:email) AND (m.is_primary OR NOT EXISTS (SELECT 1 "
                + "FROM member_emails o WHERE o.workspace_id = m.workspace_id AND o.user_id = m.user_id "
                + "AND o.value IS NOT NULL AND (o.is_primary OR o.position < m.position)))) "
                + "OR EXISTS (SELECT 1 FROM workspace_members m WHERE m.workspace_id = :workspace " + other
                + "AND scim_fold(m.user_name) = scim_fold(:email) AND NOT EXISTS (SELECT 1 FROM member_emails o "
                + "WHERE o.workspace_id = m.workspace_id AND o.user_id = m.user_id AND o.value IS NOT NULL)))";
    }

    /** {@link #insertWithPerson}'s statement. */
    private static final NamedSql INSERT_WITH_PERSON = NamedSql.of("WITH shown AS (SELECT " + shownHere(false)
            + " AS taken), found AS (SELECT u.id, "
            + "u.xmin AS row_version, EXISTS (SELECT 1 FROM workspace_members m "
            + "WHERE m.workspace_id = :workspace AND m.user_id = u.id) AS in_workspace, "
            + "EXISTS (SELECT 1 FROM workspace_members m WHERE m.workspace_id <> :workspace "
            + "AND m.user_id = u.id) AS elsewhere "
            + "FROM users u WHERE scim_fold(u.email) = scim_fold(:email)), "
            + "created AS (" + PERSON_INSERT + "WHERE NOT EXISTS (SELECT 1 FROM found) "
            + "AND NOT (SELECT taken FROM shown) RETURNING id), "
            + "returned AS (UPDATE users u SET email = :email, given_name = :givenName, "
            + "family_name = :familyName, password_hash = :passwordHash, updated_at = :now "
            + "FROM found f WHERE u.id = f.id AND u.xmin = f.row_version AND NOT f.in_workspace "
            + "AND NOT f.elsewhere AND NOT (SELECT taken FROM shown) "
            + "RETURNING u.id, set_config('scim.joining', u.id::text, true)), "
            + "person AS (SELECT id FROM created UNION ALL SELECT id FROM returned "
            + "UNION ALL SELECT id FROM found WHERE NOT in_workspace "
            + "AND (elsewhere OR NOT EXISTS (SELECT 1 FROM returned))) "
            + memberInsert(VERSION_AFTER_RETIRED) + "person p WHERE NOT (SELECT taken FROM shown) "
            + "RETURNING user_id, version");

    /** {@link #insertNew}'s statement, for each of the users. */
    private static final NamedSql INSERT_NEW = NamedSql.of("WITH created AS (" + PERSON_INSERT + "WHERE NOT "
            + shownHere(false) + " RETURNING id) " + memberInsert(":version") + "created p");

    /** {@link #lockGroupsOf}'s statement. */
    private static final JournalSettings.Carrier GROUPS_LOCKED = JournalSettings.Carrier.of(column ->
            "WITH workspace AS MATERIALIZED (SELECT id FROM workspaces WHERE id = :workspace " + RoleRows.SHARED
                    + ") SELECT g.id" + column + "FROM workspace w JOIN groups g ON g.workspace_id = w.id "
                    + "JOIN group_members gm ON gm.group_id = g.id AND gm.user_id = :user "
                    + "WHERE g.type = 'custom' ORDER BY g.id FOR NO KEY UPDATE OF g");

    /** {@link #findForUpdateWithPolicy}'s statement. */
    private static final JournalSettings.Carrier LOCKED_WITH_POLICY = RoleRows.lockedWithPolicy(SELECT,
            "workspace_members", "m", ONE_MEMBER);

    private final Handle handle;
    private final JournalSettings journal;
    private final PlainStatements plain;

    MemberRows(Handle handle, JournalSettings journal, PlainStatements plain) {
        this.handle = handle;
        this.journal = journal;
        this.plain = plain;
    }

    /**
     * One statement, so the insert is one round trip: find the person by email, create it or
     * take it back (updated, its password the one sent or none) when it is in no workspace, and
     * insert the membership. A person already in this workspace makes no row: nothing is written. A
     * person who is a member of another workspace joins this one as they are: no workspace changes
     * a person that another one shares (see {@link #SOLE_MEMBERSHIP}). What {@code found} read is the
     * statement's snapshot: when another workspace takes the person back first, this one's update
     * waits for it, then finds a newer row version than it read ({@code xmin}), changes nothing and
     * joins the person as that workspace left it, as if it had come second.
     */
    Optional<PlacedMember> insertWithPerson(UUID workspaceId, NewMember user) {
        return uniquely(() -> plain.first(bindNewUser(INSERT_WITH_PERSON.values(), workspaceId, user),
                rs -> new PlacedMember(rs.getObject("user_id", UUID.class), rs.getLong("version"))));
    }

    /** Creating is all the batch does, so a conflict of any of its users is a 409 for the whole of it. */
    void insertNew(UUID workspaceId, List<NewMember> users) {
        List<NamedSql.Values> rows = users.stream().map(user -> bindNewUser(INSERT_NEW.values(), workspaceId, user))
                .toList();
        int[] inserted = uniquely(() -> plain.batch(INSERT_NEW, rows));
        for (int count : inserted) {
            if (count == 0) {
                // An address a member here shows: taken, as a person's would be.
                throw ScimException.uniqueness("a user with the email of one of these users already exists in "
                        + "the workspace");
            }
        }
    }

    private static NamedSql.Values bindNewUser(NamedSql.Values statement, UUID workspaceId, NewMember user) {
        Member member = user.member();
        return statement.bind("workspace", workspaceId).bind("id", member.userId())
                .bind("email", user.person().email()).bind("givenName", user.person().givenName())
                .bind("familyName", user.person().familyName()).bind("passwordHash", user.passwordHash())
                .bind("now", timestamp(member.created())).bind("userName", member.userName())
                .bind("externalId", member.externalId()).bind("displayName", member.displayName())
                .bind("role", member.role().value()).bind("attributeRole", member.attributeRole().value())
                .bind("status", member.status().value())
                .bind("attributes", json(member.stored())).bind("version", member.version());
    }

    /**
     * The person of a membership of a workspace changes only while no other workspace shares it: one
     * person (one email) can be a member of several workspaces, and the credential of one must never
     * change the name, email or password another one's member signs in with. Binds the person's id,
     * then the workspace's.
     */
    private static final String SOLE_MEMBERSHIP = "NOT EXISTS (SELECT 1 FROM workspace_members m "
            + "WHERE m.user_id = ? AND m.workspace_id <> ?)";
    /**
     * The address a person no other workspace shares signs in with after an update: the member's, unless
     * the person keeps its own (the member's address did not change, or another person holds it); then
     * still the member's when no other person holds it. A member's address changed while another
     * workspace shared the person was the member's alone; once the person is this workspace's, it
     * follows at the member's next write, where it stayed behind for good. Binds: keep, the member's
     * address, the person's id, the member's address, the member's address.
     */
    private static final String PERSON_EMAIL = "(CASE WHEN ? THEN (CASE WHEN NOT EXISTS (SELECT 1 FROM users o "
            + "WHERE scim_fold(o.email) = scim_fold(?) AND o.id <> ?) THEN coalesce(?, u.email) "
            + "ELSE u.email END) ELSE ? END)";

    /** Whether the password changed: not while another workspace shares the person. */
    boolean updatePasswordHash(UUID workspaceId, UUID id, String passwordHash) {
        return plain.update("UPDATE users SET password_hash = ? WHERE id = ? AND password_hash IS DISTINCT FROM ? AND "
                + SOLE_MEMBERSHIP, passwordHash, id, passwordHash, id, workspaceId) > 0;
    }

    /**
     * Not a shared person's: its password is another workspace's too, never changed from here, and a
     * comparison with it would tell this workspace, by the time a write takes, whether a password it
     * sends is the one the other workspace set.
     */
    Optional<String> passwordHash(UUID workspaceId, UUID userId) {
        return handle.createQuery("SELECT u.password_hash FROM workspace_members w JOIN users u ON u.id = w.user_id "
                        + "WHERE w.workspace_id = ? AND w.user_id = ? AND u.password_hash IS NOT NULL AND "
                        + SOLE_MEMBERSHIP)
                .bind(0, workspaceId).bind(1, userId).bind(2, userId).bind(3, workspaceId)
                .mapTo(String.class).findOne();
    }

    Optional<UserView> find(UUID workspaceId, UUID userId) {
        return handle.createQuery(SELECT + FROM + "WHERE " + ONE_MEMBER)
                .bind("workspace", workspaceId).bind("user", userId).map(UserViewMapper.INSTANCE).findOne();
    }

    /**
     * The member's row locked until the transaction ends, with its workspace's role policy
     * ({@link RoleRows#lockedWithPolicy}). Every write of a member reads it first: it carries the
     * journal's settings when they are still to be sent.
     */
    Optional<Policed<UserView>> findForUpdateWithPolicy(UUID workspaceId, UUID userId) {
        return journal.carriedBy(undescribed -> plain.first(LOCKED_WITH_POLICY.values(undescribed)
                .bind("workspace", workspaceId).bind("user", userId), RoleRows.withPolicy(UserViewMapper::read)));
    }

    /**
     * The custom groups the member is in, locked FOR NO KEY UPDATE (the lock a version's update takes;
     * the groups' own writers take FOR UPDATE) in the order of their ids. The workspace is share-locked
     * first, as every write's locked read does ({@link RoleRows#lockedWithPolicy}): a workspace's delete
     * holds it and then deletes its groups. The first statement of a member's delete, so it carries the
     * journal's settings as that read would; a member in no group gives them back to it.
     */
    List<UUID> lockGroupsOf(UUID workspaceId, UUID userId) {
        return journal.carriedBy(undescribed -> {
            List<UUID> locked = plain.uuids(GROUPS_LOCKED.values(undescribed).bind("workspace", workspaceId)
                    .bind("user", userId));
            return locked.isEmpty() ? Optional.<List<UUID>>empty() : Optional.of(locked);
        }).orElse(List.of());
    }

    List<UserView> findAll(UUID workspaceId, Collection<UUID> userIds) {
        return handle.createQuery(SELECT + FROM + "WHERE m.workspace_id = :workspace AND m.user_id = ANY(:users)")
                .bind("workspace", workspaceId).bind("users", userIds.toArray(new UUID[0]))
                .map(UserViewMapper.INSTANCE).list();
    }

    /**
     * The email each of the members' persons signs in with, by member id; an id that is no member of
     * the workspace is not in it. Only the console shows it, so the SCIM reads leave the person out.
     */
    Map<UUID, String> signInEmails(UUID workspaceId, Collection<UUID> userIds) {
        return handle.createQuery("SELECT m.user_id, u.email FROM workspace_members m JOIN users u ON u.id = m.user_id "
                        + "WHERE m.workspace_id = :workspace AND m.user_id = ANY(:users)")
                .bind("workspace", workspaceId).bind("users", userIds.toArray(new UUID[0]))
                .setMapKeyColumn("user_id").setMapValueColumn("email")
                .collectInto(new GenericType<Map<UUID, String>>() { });
    }

    /**
     * The member's row and, unless another workspace shares it, its person, in one statement: one
     * round trip for every update. Most updates (a deactivation, a role, a phone number) leave the
     * person as it is: then no new row version of it is written, with its index entries and WAL.
     */
    void update(UUID workspaceId, Member member, Person person, boolean keepPersonEmail) {
        OffsetDateTime lastModified = timestamp(member.lastModified());
        // The address is worked out once, in its own CTE: written into both the SET and the test of
        // whether anything changes, its probe of the email index ran twice.
        uniquely(() -> plain.update("WITH wanted AS (SELECT u.id, " + PERSON_EMAIL + " AS email FROM users u "
                        + "WHERE u.id = ?), person AS (UPDATE users SET email = w.email, given_name = ?, "
                        + "family_name = ?, updated_at = ? FROM wanted w WHERE users.id = w.id AND " + SOLE_MEMBERSHIP
                        + " AND (users.email, users.given_name, users.family_name) IS DISTINCT FROM "
                        + "(w.email, ?, ?)) "
                        + "UPDATE workspace_members SET user_name = ?, external_id = ?, display_name = ?, role = ?, "
                        + "attribute_role = ?, status = ?, attributes = CAST(? AS jsonb), version = ?, "
                        + "last_modified = ? WHERE workspace_id = ? AND user_id = ?",
                keepPersonEmail, person.email(), member.userId(), person.email(), person.email(), member.userId(),
                person.givenName(), person.familyName(), lastModified,
                member.userId(), workspaceId,
                person.givenName(), person.familyName(),
                member.userName(), member.externalId(), member.displayName(), member.role().value(),
                member.attributeRole().value(), member.status().value(), json(member.stored()),
                member.version(), lastModified, workspaceId, member.userId()));
    }

    /**
     * The member's role, status, version and change time alone, for an update that leaves its
     * attributes as they were (a deactivation, a role): its names and its person follow from the
     * attributes, so they are as they were too. PostgreSQL then neither parses the attributes' JSON
     * again nor runs the person's statement.
     */
    void updateStanding(UUID workspaceId, Member member) {
        plain.update("UPDATE workspace_members SET role = ?, attribute_role = ?, status = ?, version = ?, "
                        + "last_modified = ? WHERE workspace_id = ? AND user_id = ?",
                member.role().value(), member.attributeRole().value(), member.status().value(), member.version(),
                timestamp(member.lastModified()), workspaceId, member.userId());
    }

    /**
     * An address another member of the workspace shows is taken there, whoever's person holds it. Else
     * two statements: the person holding the address is locked first (against a change of its
     * address, not of its memberships, which only share-lock it), then, in a snapshot taken after the
     * lock, whether it is a member here or anywhere, and, when it is in no workspace and the member's
     * person is its own (a shared person keeps its address anyway), the address taken from it with
     * its password. Read in the first statement's snapshot, a member that came back to another
     * workspace while the lock was awaited would have looked gone.
     */
    EmailHolder claimPersonEmail(UUID workspaceId, UUID userId, String email, Instant now) {
        boolean shownHere = handle.createQuery("SELECT " + shownHere(true))
                .bind("workspace", workspaceId).bind("email", email).bind("user", userId).mapTo(Boolean.class).one();
        if (shownHere) {
            return EmailHolder.THIS_WORKSPACE;
        }
        Optional<UUID> holder = handle.createQuery("SELECT id FROM users WHERE scim_fold(email) = scim_fold(:email) "
                        + "AND id <> :user FOR NO KEY UPDATE")
                .bind("email", email).bind("user", userId).mapTo(UUID.class).findOne();
        if (holder.isEmpty()) {
            return EmailHolder.NOBODY;
        }
        return handle.createQuery("WITH holder AS (SELECT "
                        + "EXISTS (SELECT 1 FROM workspace_members m WHERE m.user_id = :holder "
                        + "AND m.workspace_id = :workspace) AS here, "
                        + "EXISTS (SELECT 1 FROM workspace_members m WHERE m.user_id = :holder) AS member), "
                        + "released AS (UPDATE users u SET email = NULL, password_hash = NULL, updated_at = :now "
                        + "FROM holder h WHERE u.id = :holder AND NOT h.member AND NOT EXISTS (SELECT 1 "
                        + "FROM workspace_members m WHERE m.user_id = :user AND m.workspace_id <> :workspace)) "
                        + "SELECT here, member FROM holder")
                .bind("workspace", workspaceId).bind("user", userId).bind("holder", holder.get())
                .bind("now", timestamp(now))
                .map((rs, ctx) -> rs.getBoolean("here") ? EmailHolder.THIS_WORKSPACE
                        : rs.getBoolean("member") ? EmailHolder.OTHER_WORKSPACES : EmailHolder.NOBODY)
                .one();
    }

    /**
     * The member's groups go with it: group_members references the membership ON DELETE CASCADE. Each
     * custom group it leaves so gets a new version, as its members are part of its representation (an
     * entity tag must not name two of them, RFC 7644 section 3.14). The membership's last version is kept for
     * its return ({@link #VERSION_AFTER_RETIRED}).
     */
    void delete(UUID workspaceId, UUID userId, Collection<UUID> lockedGroups, Instant now) {
        // The statement's snapshot is taken after the member's lock: it sees every membership committed
        // before, and none can be added since. One beyond the locked groups stops every change in it.
        boolean joined = handle.createQuery("WITH beyond AS (SELECT EXISTS (SELECT 1 FROM group_members gm "
                        + "JOIN groups g ON g.id = gm.group_id WHERE gm.user_id = :user "
                        + "AND g.workspace_id = :workspace AND g.type = 'custom' "
                        + "AND gm.group_id <> ALL(:locked)) AS joined), "
                        + "left_groups AS (UPDATE groups g SET version = g.version + 1, "
                        + "last_modified = greatest(g.last_modified + interval '1 microsecond', :now) "
                        + "FROM group_members gm, beyond b WHERE gm.user_id = :user AND gm.group_id = g.id "
                        + "AND g.workspace_id = :workspace AND g.type = 'custom' AND NOT b.joined), "
                        + "gone AS (DELETE FROM workspace_members m USING beyond b WHERE m.workspace_id = :workspace "
                        + "AND m.user_id = :user AND NOT b.joined RETURNING m.workspace_id, m.user_id, m.version), "
                        + "retired AS (INSERT INTO retired_memberships (workspace_id, user_id, version) "
                        + "SELECT * FROM gone ON CONFLICT (workspace_id, user_id) "
                        + "DO UPDATE SET version = EXCLUDED.version) "
                        + "SELECT joined FROM beyond")
                .bind("workspace", workspaceId).bind("user", userId).bind("now", timestamp(now))
                .bind("locked", lockedGroups.toArray(new UUID[0])).mapTo(Boolean.class).one();
        if (joined) {
            throw new ConcurrentChangeException("the member joined a group while its delete waited for its lock",
                    null);
        }
    }

    long countActiveAdmins(UUID workspaceId) {
        return handle.createQuery("SELECT count(*) FROM workspace_members WHERE workspace_id = :workspace "
                + "AND role = 'admin' AND status = 'active'").bind("workspace", workspaceId).mapTo(Long.class).one();
    }

    Page<UserView> search(UUID workspaceId, SearchQuery query, KnownTotals totals) {
        return SqlFaults.refusingFilterValues(() -> SEARCH.run(handle, totals, workspaceId, query, UserViewMapper::read));
    }

    Page<UserView> search(UUID workspaceId, SearchQuery query, KnownTotals totals, Consumer<UserView> each) {
        return SqlFaults.refusingFilterValues(() -> SEARCH.stream(handle, totals, workspaceId, query,
                UserViewMapper::read, each));
    }
}
