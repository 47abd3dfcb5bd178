package dev.scimserver.http.scim;

import dev.scimserver.directory.Actor;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimserver.directory.DirectoryStore;
import dev.scimserver.directory.NewPassword;
import dev.scimserver.directory.Precondition;
import dev.scimserver.directory.TransactionAbortedException;
import dev.scimserver.directory.UserService;
import dev.scimserver.scim.ClientText;
import dev.scimserver.scim.BulkOperation;
import dev.scimserver.scim.BulkRequest;
import dev.scimserver.scim.BulkSchedule;
import dev.scimserver.scim.BulkSchedule.Outcome;
import dev.scimserver.scim.CanonicalUuids;
import dev.scimserver.scim.PatchOperation;
import dev.scimserver.scim.Projection;
import dev.scimserver.scim.ScimException;
import dev.scimserver.scim.ScimType;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /Bulk} (RFC 7644 §3.7). {@link BulkSchedule} decides the order and what becomes of each
 * operation; this adapter runs them on the resource operations and writes the BulkResponse. All of
 * them share one database commit ({@link DirectoryStore#inSingleCommit}), so a crash leaves none of
 * them applied and a thousand creates pay for one commit; the passwords are hashed before it opens.
 * Consecutive creates of users that refer to nothing go to the database as one batch.
 *
 * <p>An operation that fails for a reason of our own (a bug, a database error nobody foresaw) answers
 * 500 with the request id in its place, and the others go on: its savepoint undid it, so the rest of
 * the commit is as sound as after any failed operation, whereas failing the whole Bulk would let one
 * such operation block every other one on each retry of the identity provider. What ends the whole
 * transaction (a lost connection, a deadlock the store could not rerun past) ends the whole Bulk.
 */
final class BulkEndpoint {
    /** Advertised as bulk.maxPayloadSize. */
    static final int MAX_PAYLOAD_BYTES = 4 * 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(BulkEndpoint.class);

    private final UserOperations users;
    private final ResourceOperations groups;
    private final DirectoryStore store;

    BulkEndpoint(UserOperations users, ResourceOperations groups, DirectoryStore store) {
        this.users = users;
        this.groups = groups;
        this.store = store;
    }

    void handle(Context ctx) {
        byte[] body = RequestBodies.declaredOver(ctx, MAX_PAYLOAD_BYTES) ? null : RequestBodies.all(ctx);
        if (body == null || body.length > MAX_PAYLOAD_BYTES) {
            throw ScimException.tooLarge("a Bulk request may carry at most " + MAX_PAYLOAD_BYTES
                    + " bytes (bulk.maxPayloadSize)");
        }
        BulkRequest request = BulkRequest.parse(ScimJson.parse(body));
        Actor actor = ScimApi.actor(ctx);
        Runner runner = new Runner(actor, ScimApi.baseUrl(ctx), hashPasswords(actor, request));
        List<ObjectNode> answers = store.inSingleCommit(actor, () -> BulkSchedule.run(request, runner));
        ObjectNode response = ScimApi.object();
        response.putArray("schemas").add(BulkRequest.RESPONSE_URN);
        response.putArray("Operations").addAll(answers);
        ScimApi.write(ctx, 200, response);
    }

    /** The passwords the operations on users set, hashed now, before the single commit opens. */
    private HashedPasswords hashPasswords(Actor actor, BulkRequest request) {
        HashedPasswords passwords = new HashedPasswords();
        UserService.BulkPasswords ofUsers = users.bulkPasswords(actor);
        for (BulkOperation op : request.operations()) {
            String[] segments = segments(op);
            if (segments[0].equals("Users") && !op.method().equals("DELETE")) {
                // The user as the operations name it: a POST by its bulkId, the others by their path.
                String user = segments.length > 1 ? segments[1]
                        : op.bulkId() == null ? null : BulkOperation.REFERENCE_PREFIX + op.bulkId();
                try {
                    passwords.hashed.put(op.index(), ofUsers.of(op.method(), user, op.data()));
                } catch (RuntimeException e) {
                    passwords.failures.put(op.index(), e);
                }
            }
        }
        return passwords;
    }

    /**
     * By operation index: the password hashed for it, or the failure hashing it met, which its
     * operation meets in its turn (a client's error, or ours, answered like any other of that operation).
     */
    private static final class HashedPasswords {
        final Map<Integer, NewPassword> hashed = new HashMap<>();
        final Map<Integer, RuntimeException> failures = new HashMap<>();

        NewPassword of(BulkOperation op) {
            RuntimeException failure = failures.get(op.index());
            if (failure != null) {
                throw failure;
            }
            return hashed.getOrDefault(op.index(), NewPassword.NONE);
        }
    }

    /** Runs one request's operations on the resource operations, and renders each one's result. */
    private final class Runner implements BulkSchedule.Runner<ObjectNode> {
        private final Actor actor;
        private final String baseUrl;
        private final HashedPasswords passwords;
        private final String requestId;

        Runner(Actor actor, String baseUrl, HashedPasswords passwords) {
            this.actor = actor;
            this.baseUrl = baseUrl;
            this.passwords = passwords;
            this.requestId = actor.requestId();
        }

        @Override
        public Outcome<ObjectNode> run(BulkOperation op) {
            try {
                return dispatch(op);
            } catch (ScimException | TransactionAbortedException e) {
                throw e;
            } catch (RuntimeException e) {
                LOG.error("request {}: Bulk operation {} ({}) failed", requestId, op.index(), op.method(), e);
                return Outcome.failed(failure(op, 500, null, "internal server error; request id " + requestId));
            }
        }

        @Override
        public ObjectNode refused(BulkOperation op, ScimException error) {
            return failure(op, error.status(), error.scimType().orElse(null), error.detail());
        }

        @Override
        public boolean batchable(BulkOperation op) {
            return op.method().equals("POST") && List.of(segments(op)).equals(List.of("Users"));
        }

        /**
         * Only when all of them succeed: when one cannot (a bad body, a taken name, anything else), nothing
         * is applied and the schedule runs them one at a time, so each failure is answered as its own.
         */
        @Override
        public Optional<List<Outcome<ObjectNode>>> runTogether(List<BulkOperation> ops) {
            Optional<List<ScimResponse>> created;
            try {
                created = users.createAll(actor, ops.stream().map(BulkOperation::data).toList(),
                        ops.stream().map(passwords::of).toList(), baseUrl);
            } catch (TransactionAbortedException e) {
                throw e;
            } catch (RuntimeException e) {
                return Optional.empty();
            }
            return created.map(responses -> {
                List<Outcome<ObjectNode>> outcomes = new ArrayList<>(ops.size());
                for (int k = 0; k < ops.size(); k++) {
                    outcomes.add(succeeded(ops.get(k), responses.get(k)));
                }
                return outcomes;
            });
        }

        private Outcome<ObjectNode> dispatch(BulkOperation op) {
            String[] segments = segments(op);
            boolean withId = segments.length == 2 && !segments[1].isEmpty();
            if (segments.length > 2 || withId == op.method().equals("POST")) {
                throw ScimException.invalidPath(op.method() + " cannot take the path " + ClientText.abbreviate(op.path()));
            }
            ResourceOperations target = switch (segments[0]) {
                case "Users" -> users.settingPassword(passwords.of(op));
                case "Groups" -> groups;
                default -> throw ScimException.invalidPath("a Bulk path names /Users or /Groups, not "
                        + ClientText.abbreviate(op.path()));
            };
            Projection projection = Projection.all(target.type());
            Precondition precondition = EntityTags.ifMatch(op.version());
            ScimResponse response = switch (op.method()) {
                case "POST" -> target.create(actor, op.data(), projection, baseUrl);
                case "PUT" -> target.replace(actor, segments[1], op.data(), precondition, projection, baseUrl);
                case "PATCH" -> target.patch(actor, segments[1], PatchOperation.parseRequest(op.data()), precondition,
                        projection, baseUrl);
                default -> {
                    target.delete(actor, segments[1], precondition);
                    yield null;
                }
            };
            if (response == null) {
                return Outcome.succeeded(withBulkId(ScimApi.object().put("method", op.method())
                        .put("location", baseUrl + "/" + segments[0] + "/" + segments[1]).put("status", "204"), op),
                        null);
            }
            return succeeded(op, response);
        }

        /** The result of an operation that answered with a resource, with the id its bulkId stands for. */
        private Outcome<ObjectNode> succeeded(BulkOperation op, ScimResponse response) {
            ObjectNode result = ScimApi.object().put("method", op.method()).put("location", response.location())
                    .put("version", EntityTags.of(response.version()))
                    .put("status", op.method().equals("POST") ? "201" : "200");
            return Outcome.succeeded(withBulkId(result, op), response.id());
        }

        /**
         * RFC 7644 §3.7.3: a failed operation's result names its resource, unless it was a POST's, when
         * its path names one (a User or Group by an id of ours, a reference resolved).
         */
        private ObjectNode failure(BulkOperation op, int status, ScimType scimType, String detail) {
            ObjectNode result = withBulkId(ScimApi.object().put("method", op.method()), op);
            String[] segments = op.path() == null ? new String[0] : segments(op);
            if (!"POST".equals(op.method()) && segments.length == 2 && (segments[0].equals("Users")
                    || segments[0].equals("Groups")) && CanonicalUuids.parse(segments[1]).isPresent()) {
                result.put("location", baseUrl + "/" + segments[0] + "/" + segments[1]);
            }
            result.put("status", Integer.toString(status));
            result.set("response", ScimErrors.body(status, scimType, detail));
            return result;
        }

        private static ObjectNode withBulkId(ObjectNode result, BulkOperation op) {
            return op.bulkId() == null ? result : result.put("bulkId", op.bulkId());
        }
    }

    /**
     * The path's segments after the leading slash: {@code ["Users"]}, {@code ["Groups", id]}; the
     * resource's name in any case, as the routes take it.
     */
    private static String[] segments(BulkOperation op) {
        String[] segments = op.path().replaceFirst("^/", "").split("/", -1);
        for (String name : new String[] {"Users", "Groups"}) {
            if (segments[0].equalsIgnoreCase(name)) {
                segments[0] = name;
            }
        }
        return segments;
    }
}
