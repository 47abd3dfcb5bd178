package dev.scimserver.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimserver.scim.BulkSchedule.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The order of a Bulk request's operations, as tables: the operations on the left (in a short
 * notation, {@code METHOD path [bulkId] [-> referenced bulkIds] [fails]}), then what ran, in order, with
 * the ids each one's data references resolved to, then each operation's answer in request order.
 */
class BulkScheduleTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Arguments> schedules() {
        return Stream.of(
                arguments("operations without references run in request order", 0,
                        List.of("POST /Groups g1", "PATCH /Users/x1", "DELETE /Users/x2", "POST /Groups g2"),
                        List.of("g1", "PATCH /Users/x1", "DELETE /Users/x2", "g2"),
                        List.of("g1:201", "PATCH /Users/x1:200", "DELETE /Users/x2:204", "g2:201")),
                arguments("a forward reference in the data waits for its operation", 0,
                        List.of("POST /Groups g -> u1 u2", "POST /Users u1", "POST /Groups u2"),
                        List.of("u1", "u2", "g(id-u1,id-u2)"),
                        List.of("g:201", "u1:201", "u2:201")),
                arguments("a reference in the path resolves too", 0,
                        List.of("POST /Users u", "PATCH /Users/bulkId:u", "DELETE /Users/bulkId:u"),
                        List.of("u", "PATCH /Users/id-u", "DELETE /Users/id-u"),
                        List.of("u:201", "PATCH /Users/id-u:200", "DELETE /Users/id-u:204")),
                arguments("a chain of forward references resolves back to front", 0,
                        List.of("POST /Groups c -> b", "POST /Groups b -> a", "POST /Groups a"),
                        List.of("a", "b(id-a)", "c(id-b)"),
                        List.of("c:201", "b:201", "a:201")),
                arguments("a waiting operation runs after the ready ones on other resources that follow it", 0,
                        List.of("POST /Groups g -> u", "POST /Users u", "POST /Groups h"),
                        List.of("u", "h", "g(id-u)"),
                        List.of("g:201", "u:201", "h:201")),
                // §3.7: a reordering MUST give the result request order gives. Run while the first
                // waited, the remove of every member came before the add, and the member stayed.
                arguments("a later operation on the resource of a waiting one waits behind it", 0,
                        List.of("PATCH /Groups/g -> o", "POST /Users o", "PATCH /Groups/g", "DELETE /Groups/g",
                                "PATCH /Groups/k"),
                        List.of("o", "PATCH /Groups/k", "PATCH /Groups/g(id-o)", "PATCH /Groups/g", "DELETE /Groups/g"),
                        List.of("PATCH /Groups/g:200", "o:201", "PATCH /Groups/g:200", "DELETE /Groups/g:204",
                                "PATCH /Groups/k:200")),
                arguments("what a waiting operation needs runs though it names the same resource", 0,
                        List.of("PATCH /Users/a -> b", "PATCH /Users/a", "POST /Users b -> a2", "POST /Users a2"),
                        List.of("a2", "b(id-a2)", "PATCH /Users/a(id-b)", "PATCH /Users/a"),
                        List.of("PATCH /Users/a:200", "PATCH /Users/a:200", "b:201", "a2:201")),
                // What one waiting operation needs passes that one only: here the replace of G's members
                // ran before the add that waited for m, as another waiting operation needed it.
                arguments("an operation one waiting operation needs does not pass another on its resource", 0,
                        List.of("PATCH /Groups/a -> x", "PATCH /Groups/g -> m", "PATCH /Groups/g x", "POST /Users m"),
                        List.of("m", "PATCH /Groups/g(id-m)", "x", "PATCH /Groups/a(id-x)"),
                        List.of("PATCH /Groups/a:200", "PATCH /Groups/g:200", "x:200", "m:201")),
                arguments("a path without its leading slash names its resource too", 0,
                        List.of("PATCH Groups/g -> o", "POST /Users o", "PATCH Groups/g"),
                        List.of("o", "PATCH Groups/g(id-o)", "PATCH Groups/g"),
                        List.of("PATCH Groups/g:200", "o:201", "PATCH Groups/g:200")),
                // a needs d, which comes after b on r2; b needs e, which comes after a on r1: any order
                // swaps two operations on one resource.
                arguments("waits that block each other through resources are refused", 0,
                        List.of("PATCH /Users/r1 -> d", "PATCH /Users/r2 -> e", "PATCH /Users/r2 d",
                                "PATCH /Users/r1 e"),
                        List.of(),
                        List.of("PATCH /Users/r1:409", "PATCH /Users/r2:409", "d:409", "e:409")),
                arguments("a chain of waiting operations resolves link by link", 0,
                        List.of("POST /Groups g -> b", "POST /Users a", "POST /Groups b -> c", "POST /Users c"),
                        List.of("a", "c", "b(id-c)", "g(id-b)"),
                        List.of("g:201", "a:201", "b:201", "c:201")),
                arguments("a cycle is refused and the rest runs", 0,
                        List.of("POST /Groups a -> b", "POST /Groups b -> a", "POST /Groups c"),
                        List.of("c"),
                        List.of("a:409", "b:409", "c:201")),
                arguments("a reference to itself is a cycle", 0,
                        List.of("POST /Groups a -> a"),
                        List.of(),
                        List.of("a:409")),
                arguments("a reference no operation declares is refused", 0,
                        List.of("POST /Groups g -> nobody", "POST /Users u"),
                        List.of("u"),
                        List.of("g:409", "u:201")),
                arguments("a reference to a failed operation is refused", 0,
                        List.of("POST /Users u fails", "POST /Groups g -> u"),
                        List.of("u"),
                        List.of("u:400", "g:409")),
                arguments("failOnErrors 1 stops after the first error, the rest is not answered", 1,
                        List.of("PUT /Users/x fails", "POST /Groups g"),
                        List.of("PUT /Users/x"),
                        List.of("PUT /Users/x:400")),
                arguments("refused references count for failOnErrors", 2,
                        List.of("PUT /Users/x fails", "POST /Groups g -> nobody", "POST /Groups h"),
                        List.of("PUT /Users/x"),
                        List.of("PUT /Users/x:400", "g:409")),
                arguments("a cycle counts for failOnErrors where request order reaches it", 1,
                        List.of("POST /Groups a -> b", "POST /Groups b -> a", "PUT /Users/x fails"),
                        List.of(),
                        List.of("a:409")),
                arguments("a cycle's operations are refused, and those that refer to them", 0,
                        List.of("POST /Groups d -> a", "POST /Groups a -> b", "POST /Groups b -> c",
                                "POST /Groups c -> a", "POST /Groups e"),
                        List.of("e"),
                        List.of("d:409", "a:409", "b:409", "c:409", "e:201")),
                arguments("consecutive batchable operations run together, and later ones find their ids", 0,
                        List.of("POST /Users a", "POST /Users b", "POST /Users c", "POST /Groups g -> a c"),
                        List.of("[a,b,c]", "g(id-a,id-c)"),
                        List.of("a:201", "b:201", "c:201", "g:201")),
                arguments("a batch that cannot run together runs one at a time, never as a batch again", 0,
                        List.of("POST /Users a", "POST /Users b fails", "POST /Users c"),
                        List.of("[a,b,c] refused", "a", "b", "c"),
                        List.of("a:201", "b:400", "c:201")),
                arguments("failOnErrors counts inside a batch run one at a time", 1,
                        List.of("POST /Users a", "POST /Users b fails", "POST /Users c"),
                        List.of("[a,b,c] refused", "a", "b"),
                        List.of("a:201", "b:400")),
                arguments("an operation with a reference ends a batch", 0,
                        List.of("POST /Users a", "POST /Users b", "POST /Users c -> a", "POST /Users d"),
                        List.of("[a,b]", "c(id-a)", "d"),
                        List.of("a:201", "b:201", "c:201", "d:201")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schedules")
    void schedule(String description, int failOnErrors, List<String> operations, List<String> runs,
                  List<String> answers) {
        ScriptedRunner runner = new ScriptedRunner();
        List<String> answered = BulkSchedule.run(request(failOnErrors, operations), runner);
        assertThat(runner.runs).as("what ran").containsExactlyElementsOf(runs);
        assertThat(answered).as("the answers").containsExactlyElementsOf(answers);
    }

    @Test
    void theConflictsSayWhy() {
        List<ScimException> refusals = new ArrayList<>();
        ScriptedRunner runner = new ScriptedRunner() {
            @Override
            public String refused(BulkOperation operation, ScimException error) {
                refusals.add(error);
                return super.refused(operation, error);
            }
        };
        BulkSchedule.run(request(0, List.of("POST /Groups a -> b", "POST /Groups b -> a", "POST /Groups g -> nobody",
                "POST /Users f fails", "POST /Groups h -> f", "POST /Groups d -> a", "DELETE /Users/x gone",
                "PATCH /Groups/y -> gone")), runner);
        assertThat(refusals).extracting(ScimException::status).containsExactly(409, 409, 409, 400, 409, 409, 409);
        assertThat(refusals).filteredOn(refusal -> refusal.status() == 409).extracting(ScimException::detail)
                .containsExactly(
                "bulkId references of this operation form a cycle",
                "bulkId references of this operation form a cycle",
                "bulkId:nobody cannot be resolved: no operation of this request creates it",
                "bulkId:f cannot be resolved: the operation that was to create it failed",
                // Not part of the cycle: it refers to an operation refused for one.
                "bulkId:a cannot be resolved: the operation that was to create it failed",
                "bulkId:gone cannot be resolved: the operation that declares it made no resource");
    }

    /** A request in the notation of the tables. */
    private static BulkRequest request(int failOnErrors, List<String> operations) {
        ObjectNode body = JSON.createObjectNode();
        if (failOnErrors > 0) {
            body.put("failOnErrors", failOnErrors);
        }
        ArrayNode ops = body.putArray("Operations");
        for (String operation : operations) {
            List<String> words = new ArrayList<>(Arrays.asList(operation.split(" ")));
            ObjectNode op = ops.addObject().put("method", words.remove(0)).put("path", words.remove(0));
            if (!words.isEmpty() && !words.get(0).equals("->") && !words.get(0).equals("fails")) {
                op.put("bulkId", words.remove(0));
            }
            if (op.get("method").asText().equals("DELETE")) {
                continue;
            }
            ObjectNode data = op.putObject("data");
            ArrayNode refs = data.putArray("refs");
            boolean referring = false;
            for (String word : words) {
                if (word.equals("fails")) {
                    data.put("fails", true);
                } else if (word.equals("->")) {
                    referring = true;
                } else if (referring) {
                    refs.add("bulkId:" + word);
                }
            }
        }
        return BulkRequest.parse(body);
    }

    /**
     * Does what the table says: an operation whose data says {@code fails} throws a SCIM error; every
     * other one succeeds with the id {@code id-<bulkId>}. POSTs to /Users are batchable.
     */
    private static class ScriptedRunner implements BulkSchedule.Runner<String> {
        final List<String> runs = new ArrayList<>();

        @Override
        public Outcome<String> run(BulkOperation operation) {
            runs.add(label(operation) + resolved(operation));
            if (operation.data() != null && operation.data().path("fails").asBoolean()) {
                throw ScimException.invalidValue("scripted to fail");
            }
            String status = switch (operation.method()) {
                case "POST" -> "201";
                case "DELETE" -> "204";
                default -> "200";
            };
            // A DELETE leaves no resource for its bulkId to stand for.
            return Outcome.succeeded(label(operation) + ":" + status,
                    operation.bulkId() == null || operation.method().equals("DELETE") ? null : "id-" + operation.bulkId());
        }

        @Override
        public String refused(BulkOperation operation, ScimException error) {
            return label(operation) + ":" + error.status();
        }

        @Override
        public boolean batchable(BulkOperation operation) {
            return operation.method().equals("POST") && operation.path().equals("/Users");
        }

        @Override
        public Optional<List<Outcome<String>>> runTogether(List<BulkOperation> operations) {
            String batch = operations.stream().map(BulkOperation::bulkId).collect(Collectors.joining(",", "[", "]"));
            if (operations.stream().anyMatch(op -> op.data().path("fails").asBoolean())) {
                runs.add(batch + " refused");
                return Optional.empty();
            }
            runs.add(batch);
            return Optional.of(operations.stream()
                    .map(op -> Outcome.succeeded(op.bulkId() + ":201", "id-" + op.bulkId())).toList());
        }

        /** How runs and answers name an operation: by bulkId, else by its method and (resolved) path. */
        private static String label(BulkOperation operation) {
            return operation.bulkId() != null ? operation.bulkId() : operation.method() + " " + operation.path();
        }

        /** The ids the data's references resolved to, as {@code (id-a,id-b)}; nothing when it has none. */
        private static String resolved(BulkOperation operation) {
            JsonNode refs = operation.data() == null ? null : operation.data().get("refs");
            if (refs == null || refs.isEmpty()) {
                return "";
            }
            List<String> ids = new ArrayList<>();
            refs.forEach(ref -> ids.add(ref.asText()));
            return ids.stream().collect(Collectors.joining(",", "(", ")"));
        }
    }
}
