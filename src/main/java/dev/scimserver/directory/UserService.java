package dev.scimserver.directory;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimserver.scim.CanonicalUuids;
import dev.scimserver.scim.CaseFold;
import dev.scimserver.scim.ImmutableAttributes;
import dev.scimserver.scim.PatchEngine;
import dev.scimserver.scim.PatchOperation;
import dev.scimserver.scim.ResourceNormalizer;
import dev.scimserver.scim.ResourceType;
import dev.scimserver.scim.ScimException;
import dev.scimserver.scim.ScimSchemas;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/** The SCIM User operations on the actor's workspace, each one transaction. */
public final class UserService {
    private static final ResourceType USERS = ScimSchemas.get().users();
    private static final LockedWrite<UserView> LOCKED = new LockedWrite<>(USERS,
            DirectoryTransaction::findUserForUpdateWithPolicy, user -> user.member().version());
    private final DirectoryStore store;
    private final Clock clock;
    private final PasswordHasher hasher;

    /** With bcrypt, as the server runs. */
    public UserService(DirectoryStore store, Clock clock) {
        this(store, clock, PasswordHasher.bcrypt());
    }

    public UserService(DirectoryStore store, Clock clock, PasswordHasher hasher) {
        this.store = store;
        this.clock = clock;
        this.hasher = hasher;
    }

    /**
     * The password a create or PUT body sets, hashed now: a caller asks for it before the write, so the
     * hash is made outside the write's transaction, and once however often the write runs.
     */
    public NewPassword passwordOf(JsonNode body) {
        return NewPassword.hashed(hasher, passwordIn(body));
    }

    /** The password a PUT of the user {@code id} sets: {@link #passwordFor}. */
    public NewPassword passwordOf(Actor actor, String id, JsonNode body) {
        return passwordFor(actor, id, passwordIn(body));
    }

    private static String passwordIn(JsonNode body) {
        return UserAttributes.split(ResourceNormalizer.normalize(USERS, body)).password;
    }

    /**
     * The password a PATCH of the user {@code id} sets: {@link #passwordFor}; see {@link PatchedPassword} for
     * why it is known before the PATCH runs.
     */
    public NewPassword passwordOf(Actor actor, String id, List<PatchOperation> operations) {
        return passwordFor(actor, id, PatchedPassword.of(operations).orElse(null));
    }

    /**
     * The password a write of the user {@code id} (null for a create) sets, found or hashed before the
     * write's transaction: {@link NewPassword#kept} when it is the one the user has. Okta, syncing
     * passwords, sends the password with every push; the one already set is no change, no new version and
     * no event (an application that signs a user out when its password changes would otherwise do it on
     * every sync).
     */
    private NewPassword passwordFor(Actor actor, String id, String password) {
        if (password == null) {
            return NewPassword.NONE;
        }
        Optional<String> stored = Optional.ofNullable(id).flatMap(CanonicalUuids::parse)
                .flatMap(userId -> store.read(tx -> tx.passwordHash(actor.workspaceId(), userId)));
        if (stored.isPresent() && hasher.matches(password, stored.get())) {
            return NewPassword.kept(stored.get());
        }
        return NewPassword.hashed(hasher, password);
    }

    /** The passwords of one Bulk's operations on users, asked for in the order the operations come. */
    public BulkPasswords bulkPasswords(Actor actor) {
        return new BulkPasswords(actor);
    }

    /**
     * A Bulk's passwords, found or hashed before its single commit: a password the user has as the Bulk
     * begins is {@linkplain NewPassword#kept kept}, and so is one the operation before it on the same user
     * sets (named by the same id or bulkId): that operation stores its hash, so the same password again
     * is no change either.
     */
    public final class BulkPasswords {
        private final Actor actor;
        /** By user as the operations name it: the password the latest operation on it sets, and its hash. */
        private final Map<String, Map.Entry<String, NewPassword>> latest = new HashMap<>();

        private BulkPasswords(Actor actor) {
            this.actor = actor;
        }

        /**
         * The password an operation sets: {@code method} POST, PUT or PATCH, {@code user} the id or
         * {@code bulkId:…} its path names (for a POST, its own bulkId as such a reference; null without one).
         */
        public NewPassword of(String method, String user, JsonNode data) {
            String password = method.equals("PATCH")
                    ? PatchedPassword.of(PatchOperation.parseRequest(data)).orElse(null)
                    : passwordIn(data);
            if (password == null) {
                return NewPassword.NONE;
            }
            String key = user == null ? null : CanonicalUuids.parse(user).map(UUID::toString).orElse(user);
            Map.Entry<String, NewPassword> before = key == null ? null : latest.get(key);
            if (before != null && before.getKey().equals(password)) {
                return before.getValue();
            }
            NewPassword set = passwordFor(actor, method.equals("POST") ? null : user, password);
            if (key != null) {
                latest.put(key, Map.entry(password, set));
            }
            return set;
        }
    }

    /** A create with its password hashed before the transaction. */
    public UserView create(Actor actor, JsonNode body) {
        return create(actor, body, passwordOf(body));
    }

    /** A create that sets {@code password}, which {@link #passwordOf(JsonNode)} made of the same body. */
    public UserView create(Actor actor, JsonNode body, NewPassword password) {
        NewMember user = newMember(body, password, Timestamps.now(clock));
        return store.inTransaction(actor, tx -> {
            UUID workspace = actor.workspaceId();
            NewMember placed = withPolicy(user, tx.rolePolicy(workspace));
            // A person removed from the workspace comes back with the same id (ToolJet keeps users).
            PlacedMember member = tx.insertMemberWithPerson(workspace, placed).orElseThrow(() ->
                    ScimException.uniqueness("a user with the email of this user already exists in the workspace"));
            return new UserView(placed.member().placedAs(member), List.of());
        });
    }

    /**
     * Creates every user of {@code bodies} with one batch of statements, or none of them: empty when
     * a body is invalid or a user meets an existing one (a taken userName or email, a person coming
     * back), and the caller then creates them one at a time, each with its own answer. What lets a
     * Bulk of 1,000 creates cost a few round trips instead of a thousand. {@code passwords} go with
     * {@code bodies}, one for one.
     */
    public Optional<List<UserView>> createAll(Actor actor, List<JsonNode> bodies, List<NewPassword> passwords) {
        Instant now = Timestamps.now(clock);
        List<NewMember> users = new ArrayList<>(bodies.size());
        try {
            for (int i = 0; i < bodies.size(); i++) {
                users.add(newMember(bodies.get(i), passwords.get(i), now));
            }
            List<NewMember> placed = store.inTransaction(actor, tx -> {
                RolePolicy policy = tx.rolePolicy(actor.workspaceId());
                List<NewMember> withRoles = users.stream().map(u -> withPolicy(u, policy)).toList();
                tx.insertNewMembers(actor.workspaceId(), withRoles);
                return withRoles;
            });
            return Optional.of(placed.stream().map(u -> new UserView(u.member(), List.of())).toList());
        } catch (ScimException e) {
            return Optional.empty();
        }
    }

    /** A new member belongs to no group yet: its role is what {@code policy} gives the attribute alone. */
    private static NewMember withPolicy(NewMember user, RolePolicy policy) {
        Member m = user.member();
        Role role = policy.source().effective(m.attributeRole(), Optional.empty());
        return role == m.role() ? user : new NewMember(user.person(), user.passwordHash(), new Member(m.userId(),
                m.userName(), m.externalId(), m.displayName(), role, m.status(), m.attributes(),
                m.version(), m.created(), m.lastModified(), m.attributeRole()));
    }

    /** The person and membership a create body asks for, with a new id; the role defaults to end-user. */
    private static NewMember newMember(JsonNode body, NewPassword password, Instant now) {
        UserAttributes input = UserAttributes.split(ResourceNormalizer.normalize(USERS, body));
        String passwordHash = password.hash();
        Person person = input.person();
        MemberStatus status = Boolean.FALSE.equals(input.active) ? MemberStatus.ARCHIVED : MemberStatus.ACTIVE;
        Role role = input.role == null ? Role.END_USER : input.role;
        return new NewMember(person, passwordHash, new Member(UUID.randomUUID(), input.userName, input.externalId,
                input.displayName, role, status, input.stored, 1, now, now));
    }

    public UserView get(Actor actor, String id) {
        UUID userId = ResourceIds.parse(USERS, id);
        return store.read(tx -> tx.findUser(actor.workspaceId(), userId)
                .orElseThrow(() -> ResourceIds.notFound(USERS, id)));
    }

    /**
     * The email each member's person signs in with, by member id, for the console; no SCIM answer
     * holds it. A member deleted since its page was read is not in it.
     */
    public Map<UUID, String> signInEmails(Actor actor, Collection<UUID> userIds) {
        if (userIds.isEmpty()) {
            return Map.of();
        }
        return store.read(tx -> tx.signInEmails(actor.workspaceId(), userIds));
    }

    /** The newest changes the journal recorded of the user {@code id}. */
    public UserHistory history(Actor actor, String id) {
        UUID userId = ResourceIds.parse(USERS, id);
        // One row more than shown tells whether older changes exist.
        List<JournalEntry> rows = store.read(tx -> tx.journalOf(actor.workspaceId(), "User", userId,
                UserHistory.SHOWN + 1));
        return new UserHistory(rows.subList(0, Math.min(UserHistory.SHOWN, rows.size())),
                rows.size() > UserHistory.SHOWN);
    }

    public SearchResult<UserView> search(Actor actor, SearchQuery query) {
        return store.read(tx -> CursorPaging.search(tx, clock, actor.workspaceId(), "User", query,
                q -> tx.searchUsers(actor.workspaceId(), q)));
    }

    /**
     * A page, each user handed to {@code each} in the page's order (the result holds none of them),
     * with the snapshot taken before it was read: while {@link #unchangedSince} holds for that
     * snapshot, the page is what a fresh read would give. A cursor page is read in a transaction,
     * where its rows come a batch at a time, so {@code each} can pass one batch on to be written while
     * PostgreSQL reads the next. An index page is read as {@link #search} reads it, each statement on
     * its own, so that the row it ends at is kept for the page after it (the store's positions are
     * kept only outside a transaction); its users are handed on once read.
     */
    public SearchResultAsOf<UserView> searchAsOf(Actor actor, SearchQuery query, Consumer<UserView> each) {
        Function<DirectoryTransaction, SearchResultAsOf<UserView>> read = tx -> {
            String snapshot = tx.snapshot();
            return new SearchResultAsOf<>(CursorPaging.search(tx, clock, actor.workspaceId(), "User", query,
                    q -> tx.searchUsers(actor.workspaceId(), q, each)), snapshot);
        };
        return query.cursorPaging() ? store.readStreaming(read) : store.read(read);
    }

    /**
     * Whether the actor's workspace is still as {@code snapshot} saw it
     * ({@link DirectoryTransaction#unchangedSince}).
     */
    public boolean unchangedSince(Actor actor, String snapshot) {
        return store.read(tx -> tx.unchangedSince(actor.workspaceId(), snapshot));
    }


    /**
     * PUT: every attribute is replaced; the role and {@code active} are kept when the body omits them,
     * so that a client that does not map roles never demotes an admin, and the password is kept
     * when none is sent. {@code password} is what {@link #passwordOf(JsonNode)} made of the same body.
     */
    public UserView replace(Actor actor, String id, JsonNode body, Precondition precondition, NewPassword password) {
        // A body that is no user is refused whatever the id names, so it is read before the id.
        UserAttributes input = UserAttributes.split(ResourceNormalizer.normalize(USERS, body));
        ResourceIds.checkBodyId(body, id);
        return update(actor, id, precondition, password, (current, policy) -> {
            ImmutableAttributes.checkReplacement(USERS, current.attributes(), input.stored);
            return input.withoutRoleShown(current, policy);
        });
    }

    /** {@code password} is what {@link #passwordOf(Actor, String, List)} made of the same operations. */
    public UserView patch(Actor actor, String id, List<PatchOperation> operations, Precondition precondition,
                          NewPassword password) {
        if (PatchEngine.nameOnly(USERS, "active", operations)) {
            return update(actor, id, precondition, password, (current, policy) -> UserAttributes.activeOf(current,
                    PatchEngine.apply(USERS, current.userId().toString(), UserAttributes.activeTree(current), operations)));
        }
        return update(actor, id, precondition, password, (current, policy) -> UserAttributes.split(
                PatchEngine.apply(USERS, current.userId().toString(), UserAttributes.joined(current), operations)).withRoleOrDefault());
    }

    /**
     * Whether the member's person keeps the address it signs in with. It follows the member's email
     * when that changes. An unchanged one lets the person keep an address of its own (the member's was
     * held elsewhere when it was given, or was given while another workspace shared the person) only
     * while another person holds the member's: the update's statement looks (a person created with that
     * address at the same moment makes the later of the two commits a 409, as any taken address does). A
     * new address is unique in the workspace (409), and one that members of other workspaces hold stays
     * theirs without this workspace learning that they do (a 409 here would tell it).
     */
    private static boolean keepsPersonEmail(DirectoryTransaction tx, UUID workspace, Member current, Person person,
                                            Instant now) {
        String before = UserAttributes.emailOf(current.attributes());
        if (Objects.equals(before, person.email())) {
            return true;
        }
        if (person.email() == null || before != null && CaseFold.of(before).equals(CaseFold.of(person.email()))) {
            return false;
        }
        return switch (tx.claimPersonEmail(workspace, current.userId(), person.email(), now)) {
            case THIS_WORKSPACE -> throw ScimException.uniqueness("the email is already used by another user in the "
                    + "workspace");
            case OTHER_WORKSPACES -> true;
            case NOBODY -> false;
        };
    }

    /**
     * The password comes hashed: bcrypt never runs here, under the row lock. The password {@code change}
     * leaves in its attributes is the plain one the hash was made of, and is not looked at again.
     */
    private UserView update(Actor actor, String id, Precondition precondition, NewPassword password,
                            BiFunction<Member, RolePolicy, UserAttributes> change) {
        return LOCKED.run(store, actor, id, precondition, (tx, workspace, found, policy) -> {
            Member current = found.member();
            UUID userId = current.userId();
            UserAttributes input = change.apply(current, policy);
            Role attributeRole = input.role == null ? current.attributeRole() : input.role;
            Role role = effectiveRole(tx, workspace, userId, attributeRole, policy);
            MemberStatus status = input.active == null ? current.status()
                    : input.active ? MemberStatus.ACTIVE : MemberStatus.ARCHIVED;
            boolean attributesChanged = input.differFromStored(current);
            boolean standingChanged = attributesChanged || role != current.role()
                    || attributeRole != current.attributeRole() || status != current.status();
            if (!standingChanged && !password.isSet()) {
                return found;
            }
            // A person another workspace shares keeps its password. A request that changes nothing else
            // then changes nothing, its version and lastModified included: the journal has no row for it,
            // and what is kept by the journal (totals, positions) must agree with the member's meta.
            boolean passwordAlone = !standingChanged;
            if (passwordAlone && !tx.updatePasswordHash(workspace, userId, password.hash())) {
                return found;
            }
            checkAdminRemains(tx, workspace, current, role, status);
            Instant now = Timestamps.after(current.lastModified(), clock);
            // Attributes as stored keep the bytes the database returned: the answer is written from them.
            Member updated = new Member(userId, input.userName, input.externalId, input.displayName, role, status,
                    attributesChanged ? StoredAttributes.of(input.stored) : current.stored(), current.version() + 1,
                    current.created(), now, attributeRole);
            if (attributesChanged) {
                Person person = input.person();
                tx.updateMember(workspace, updated, person, keepsPersonEmail(tx, workspace, current, person, now));
            } else {
                tx.updateMemberStanding(workspace, updated);
            }
            if (password.isSet() && !passwordAlone) {
                tx.updatePasswordHash(workspace, userId, password.hash());
            }
            // A user's update never changes its groups: the answer carries those its locking read
            // saw (a membership change committed while it waited for the lock shows on the next read).
            return new UserView(updated, found.groups());
        });
    }

    /**
     * The role the member has once its attribute is {@code attributeRole}: with roles from groups, read
     * after the member's row lock, which every membership change that can change the role takes first
     * too, so the groups read are those the role must follow.
     */
    private static Role effectiveRole(DirectoryTransaction tx, UUID workspace, UUID userId, Role attributeRole,
                                      RolePolicy policy) {
        if (!policy.source().usesGroups()) {
            return attributeRole;
        }
        return policy.source().effective(attributeRole, tx.groupRole(workspace, userId, policy.mappings()));
    }

    /**
     * DELETE: the member leaves the workspace and its groups; the person stays, for a later return. The
     * groups it leaves get new versions: it locks them before the member, in the order of every group
     * write, which locks its group, then the members it changes; the delete itself refuses to touch a
     * group the member joined after they were locked (see {@link DirectoryTransaction#deleteMember}).
     */
    public void delete(Actor actor, String id, Precondition precondition) {
        List<UUID> lockedGroups = new ArrayList<>();
        new LockedWrite<UserView>(USERS, (tx, workspace, userId) -> {
            lockedGroups.clear();
            lockedGroups.addAll(tx.lockGroupsOf(workspace, userId));
            return tx.findUserForUpdateWithPolicy(workspace, userId);
        }, user -> user.member().version()).run(store, actor, id, precondition, (tx, workspace, found, policy) -> {
            checkAdminRemains(tx, workspace, found.member(), null, null);
            tx.deleteMember(workspace, found.member().userId(), lockedGroups, Timestamps.now(clock));
            return null;
        });
    }

    /**
     * {@code role}/{@code status} null mean the member leaves the workspace. Only a change that takes
     * an active admin away locks the workspace, so ordinary updates never wait for each other; the
     * lock order is always member row, then workspace, and the count after the lock sees every
     * admin change committed before it.
     */
    private static void checkAdminRemains(DirectoryTransaction tx, UUID workspace, Member current, Role role,
                                          MemberStatus status) {
        boolean wasActiveAdmin = current.role() == Role.ADMIN && current.status() == MemberStatus.ACTIVE;
        boolean staysActiveAdmin = role == Role.ADMIN && status == MemberStatus.ACTIVE;
        if (!wasActiveAdmin || staysActiveAdmin) {
            return;
        }
        tx.lockWorkspace(workspace);
        if (tx.countActiveAdmins(workspace) <= 1) {
            String change = role == null ? "deleted" : status != MemberStatus.ACTIVE ? "archived" : "demoted";
            throw ScimException.invalidValue("the workspace must keep at least one active admin: "
                    + current.userName() + " is the last one and cannot be " + change);
        }
    }
}
