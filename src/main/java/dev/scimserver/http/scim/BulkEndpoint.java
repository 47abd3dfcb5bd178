package dev.scimserver.http.scim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimserver.directory.DirectoryStore;
import dev.scimserver.directory.Precondition;
import dev.scimserver.scim.BulkOperation;
import dev.scimserver.scim.BulkRequest;
import dev.scimserver.scim.PatchOperation;
import dev.scimserver.scim.Projection;
import dev.scimserver.scim.ScimException;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /Bulk} (RFC 7644 §3.7). Operations run in request order, except that one waits for
 * the operations whose bulkIds it refers to, so forward references resolve. A cycle of references
 * is refused with 409, as §3.7.1 allows. Each operation is atomic on its own; all of them share
 * one database commit, so a crash leaves none of them applied and a thousand creates pay for one
 * commit. Consecutive creates of users that refer to nothing go to the database as one batch, in
 * their place in the order, when all of them succeed; else one at a time.
 */
final class BulkEndpoint {
    /** Advertised as bulk.maxPayloadSize. */
    static final int MAX_PAYLOAD_BYTES = 4 * 1024 * 1024;

    private final ResourceOperations users;
    private final ResourceOperations groups;
    private final DirectoryStore store;

    BulkEndpoint(ResourceOperations users, ResourceOperations groups, DirectoryStore store) {
        this.users = users;
        this.groups = groups;
        this.store = store;
    }

    void handle(Context ctx) {
        byte[] body = ctx.bodyAsBytes();
        if (body.length > MAX_PAYLOAD_BYTES || ctx.contentLength() > MAX_PAYLOAD_BYTES) {
            throw ScimException.tooLarge("a Bulk request may carry at most " + MAX_PAYLOAD_BYTES
                    + " bytes (bulk.maxPayloadSize)");
        }
        BulkRequest request = BulkRequest.parse(ScimJson.parse(body));
        String baseUrl = ScimApi.baseUrl(ctx);
        ObjectNode[] results = store.inSingleCommit(() -> new Job(request, baseUrl).run());
        ObjectNode response = ScimApi.object();
        response.putArray("schemas").add(BulkRequest.RESPONSE_URN);
        ArrayNode operations = response.putArray("Operations");
        for (ObjectNode result : results) {
            if (result != null) {
                operations.add(result);
            }
        }
        ScimApi.write(ctx, 200, response);
    }

    /** One request's execution state: created ids by bulkId, failures, and results by position. */
    private final class Job {
        private final BulkRequest request;
        private final String baseUrl;
        private final Map<String, String> createdIds = new HashMap<>();
        private final Set<String> failedBulkIds = new HashSet<>();
        private final Set<String> declaredBulkIds = new HashSet<>();
        private final ObjectNode[] results;
        private int errors;

        Job(BulkRequest request, String baseUrl) {
            this.request = request;
            this.baseUrl = baseUrl;
            this.results = new ObjectNode[request.operations().size()];
            request.operations().forEach(op -> {
                if (op.bulkId() != null) {
                    declaredBulkIds.add(op.bulkId());
                }
            });
        }

        ObjectNode[] run() {
            List<BulkOperation> pending = new ArrayList<>(request.operations());
            boolean progress = true;
            while (!pending.isEmpty() && progress && !stopped()) {
                progress = false;
                for (int i = 0; i < pending.size() && !stopped(); ) {
                    BulkOperation op = pending.get(i);
                    Set<String> refs = op.references();
                    String broken = refs.stream().filter(r -> !declaredBulkIds.contains(r) || failedBulkIds.contains(r))
                            .findFirst().orElse(null);
                    if (broken != null) {
                        fail(op, ScimException.conflict("bulkId:" + broken + " cannot be resolved: no operation "
                                + "of this request created it"));
                        pending.remove(i);
                    } else if (!createdIds.keySet().containsAll(refs)) {
                        i++;
                        continue;
                    } else {
                        List<BulkOperation> creates = pending.subList(i, i + userCreatesFrom(pending, i));
                        if (creates.size() > 1 && createTogether(creates)) {
                            creates.clear();
                        } else {
                            execute(op.resolved(createdIds));
                            pending.remove(i);
                        }
                    }
                    progress = true;
                }
            }
            for (BulkOperation op : pending) {
                if (!stopped()) {
                    fail(op, ScimException.conflict("bulkId references of this operation form a cycle"));
                }
            }
            return results;
        }

        /** How many operations from {@code start} on are, one after another, creates of users that refer to nothing. */
        private static int userCreatesFrom(List<BulkOperation> pending, int start) {
            int end = start;
            while (end < pending.size() && pending.get(end).method().equals("POST")
                    && Arrays.equals(segments(pending.get(end)), new String[] {"Users"})
                    && pending.get(end).references().isEmpty()) {
                end++;
            }
            return end - start;
        }

        /**
         * Consecutive user creates in one batch of statements, in their place in the request's order.
         * Only when all of them succeed: when one cannot (a bad body, a taken name), nothing is applied
         * and they run one at a time, so errors and failOnErrors count as they always do.
         */
        private boolean createTogether(List<BulkOperation> creates) {
            Optional<List<ScimResponse>> created = users.createAll(creates.stream().map(BulkOperation::data).toList(),
                    baseUrl);
            if (created.isEmpty()) {
                return false;
            }
            for (int k = 0; k < creates.size(); k++) {
                BulkOperation op = creates.get(k);
                results[op.index()] = withBulkId(succeeded(op, created.get().get(k)), op);
            }
            return true;
        }

        private boolean stopped() {
            return request.failOnErrors() > 0 && errors >= request.failOnErrors();
        }

        private void execute(BulkOperation op) {
            try {
                results[op.index()] = withBulkId(dispatch(op), op);
            } catch (ScimException e) {
                fail(op, e);
            }
        }

        private static ObjectNode withBulkId(ObjectNode result, BulkOperation op) {
            return op.bulkId() == null ? result : result.put("bulkId", op.bulkId());
        }

        private void fail(BulkOperation op, ScimException e) {
            errors++;
            if (op.bulkId() != null) {
                failedBulkIds.add(op.bulkId());
            }
            ObjectNode result = ScimApi.object().put("method", op.method());
            if (op.bulkId() != null) {
                result.put("bulkId", op.bulkId());
            }
            result.put("status", Integer.toString(e.status()));
            result.set("response", ScimErrors.body(e.status(), e.scimType().orElse(null), e.detail()));
            results[op.index()] = result;
        }

        private ObjectNode dispatch(BulkOperation op) {
            String[] segments = segments(op);
            ResourceOperations target = switch (segments[0]) {
                case "Users" -> users;
                case "Groups" -> groups;
                default -> throw ScimException.invalidPath("a Bulk path names /Users or /Groups, not "
                        + abbreviate(op.path()));
            };
            boolean withId = segments.length == 2 && !segments[1].isEmpty();
            if (segments.length > 2 || withId == op.method().equals("POST")) {
                throw ScimException.invalidPath(op.method() + " cannot take the path " + abbreviate(op.path()));
            }
            Projection projection = Projection.all(target.type());
            Precondition precondition = EntityTags.ifMatch(op.version());
            ScimResponse response = switch (op.method()) {
                case "POST" -> target.create(op.data(), projection, baseUrl);
                case "PUT" -> target.replace(segments[1], op.data(), precondition, projection, baseUrl);
                case "PATCH" -> target.patch(segments[1], PatchOperation.parseRequest(op.data()), precondition,
                        projection, baseUrl);
                default -> {
                    target.delete(segments[1], precondition);
                    yield null;
                }
            };
            if (response == null) {
                return ScimApi.object().put("method", op.method())
                        .put("location", baseUrl + "/" + segments[0] + "/" + segments[1]).put("status", "204");
            }
            return succeeded(op, response);
        }

        /** The result of an operation that answered with a resource, noting the id its bulkId stands for. */
        private ObjectNode succeeded(BulkOperation op, ScimResponse response) {
            if (op.bulkId() != null) {
                createdIds.put(op.bulkId(), response.resource().path("id").asText());
            }
            return ScimApi.object().put("method", op.method()).put("location", response.location())
                    .put("version", EntityTags.of(response.version()))
                    .put("status", op.method().equals("POST") ? "201" : "200");
        }

        /** The path's segments after the leading slash: {@code ["Users"]}, {@code ["Groups", id]}. */
        private static String[] segments(BulkOperation op) {
            return op.path().replaceFirst("^/", "").split("/", -1);
        }

        private static String abbreviate(String text) {
            return text.length() <= 80 ? text : text.substring(0, 80) + "…";
        }
    }
}
