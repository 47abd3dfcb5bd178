package dev.scimserver.scim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The order in which a BulkRequest's operations run, and what becomes of each (RFC 7644 §3.7), without
 * doing any of them: a {@link Runner} does. Operations run in request order, except that one referring
 * to a bulkId not yet created waits until the operation declaring it has run (a group created with
 * members created later in the same request). While one waits, a later operation that names a resource
 * it names (the resource of its path, a bulkId, an id in its data) waits behind it, unless the waiting
 * one needs it to run first: two operations on one resource never swap, and §3.7's rule that a
 * reordering gives the result request order gives holds for each resource. A reference that no
 * operation declares, or whose operation failed or made no resource, is answered 409, and so are the
 * operations whose references form a cycle (§3.7.1 lets the service provider refuse a circular
 * reference it cannot resolve). Once {@code failOnErrors} operations have failed, the rest neither run
 * nor appear in the response (§3.7.3).
 *
 * @param <R> the answer of one operation
 */
public final class BulkSchedule<R> {
    private static final String CYCLE = "bulkId references of this operation form a cycle";

    private final BulkRequest request;
    private final Runner<R> runner;
    private final Map<String, BulkOperation> declaring = new HashMap<>();
    private final Map<String, String> createdIds = new HashMap<>();
    private final Set<String> failedBulkIds = new HashSet<>();
    private final Set<Integer> inCycles;
    private final Map<Integer, Set<String>> references = new HashMap<>();
    private final Map<Integer, Set<String>> resources = new HashMap<>();
    private final Map<Integer, Set<Integer>> needs = new HashMap<>();
    private final List<R> answers;
    private int errors;

    /** What running one operation came to: its answer, whether it failed, and the id its bulkId stands for. */
    public record Outcome<R>(R answer, boolean failed, String id) {
        public Outcome {
            Objects.requireNonNull(answer, "answer");
        }

        /** {@code id} is the resource the operation created or changed; null when there is none (a DELETE). */
        public static <R> Outcome<R> succeeded(R answer, String id) {
            return new Outcome<>(answer, false, id);
        }

        public static <R> Outcome<R> failed(R answer) {
            return new Outcome<>(answer, true, null);
        }
    }

    /** Does the work the schedule decides on. */
    public interface Runner<R> {
        /** Runs one operation, every bulkId reference in it replaced by its id; a {@link ScimException} is its error. */
        Outcome<R> run(BulkOperation operation);

        /** The answer of an operation refused with {@code error}, by the schedule or by {@link #run}. */
        R refused(BulkOperation operation, ScimException error);

        /** Whether {@code operation}, which refers to no bulkId, may run together with like operations next to it. */
        boolean batchable(BulkOperation operation);

        /**
         * Runs consecutive batchable operations together, all of them or none: empty when they cannot all
         * succeed that way, and each then runs alone, so that errors and failOnErrors count as they always do.
         */
        Optional<List<Outcome<R>>> runTogether(List<BulkOperation> operations);
    }

    private BulkSchedule(BulkRequest request, Runner<R> runner) {
        this.request = request;
        this.runner = runner;
        this.answers = new ArrayList<>(Collections.nCopies(request.operations().size(), null));
        request.operations().forEach(op -> {
            if (op.bulkId() != null) {
                declaring.put(op.bulkId(), op);
            }
        });
        this.inCycles = new ReferenceCycles().members();
    }

    /** Runs the request; the answers of the operations that ran or were refused, in request order. */
    public static <R> List<R> run(BulkRequest request, Runner<R> runner) {
        return new BulkSchedule<>(request, runner).run();
    }

    private List<R> run() {
        List<BulkOperation> pending = new ArrayList<>(request.operations());
        boolean progress = true;
        while (!pending.isEmpty() && progress && !stopped()) {
            progress = pass(pending);
        }
        for (BulkOperation op : pending) {
            if (!stopped()) {
                // Waits that block each other through resources, not references (two waiting operations,
                // each naming a resource that the other's needed operation names): no order keeps both
                // resources' operations in request order.
                refuse(op, ScimException.conflict("bulkId references of this operation cannot be resolved "
                        + "without reordering operations on one resource"));
            }
        }
        return answers.stream().filter(Objects::nonNull).toList();
    }

    /**
     * One walk through the pending operations in request order: each runs or is refused when it can,
     * else waits for the next walk. Answers whether any ran or was refused.
     */
    private boolean pass(List<BulkOperation> pending) {
        boolean progress = false;
        Map<String, List<BulkOperation>> waitingByName = new HashMap<>();
        for (int i = 0; i < pending.size() && !stopped(); ) {
            BulkOperation op = pending.get(i);
            Optional<ScimException> refusal = refusal(op);
            if (refusal.isPresent()) {
                refuse(op, refusal.get());
                pending.remove(i);
                progress = true;
            } else if (ready(op, waitingByName)) {
                int ran = runFrom(pending, i, waitingByName);
                pending.subList(i, i + ran).clear();
                progress = true;
            } else {
                for (String name : resources(op)) {
                    waitingByName.computeIfAbsent(name, key -> new ArrayList<>()).add(op);
                }
                i++;
            }
        }
        return progress;
    }

    /** Why {@code op} can never run: it is in a cycle, or a bulkId it refers to will stand for no resource. */
    private Optional<ScimException> refusal(BulkOperation op) {
        if (inCycles.contains(op.index())) {
            return Optional.of(ScimException.conflict(CYCLE));
        }
        for (String reference : references(op)) {
            BulkOperation declared = declaring.get(reference);
            String why = declared == null ? "no operation of this request creates it"
                    : failedBulkIds.contains(reference) ? "the operation that was to create it failed"
                    : answers.get(declared.index()) != null && !createdIds.containsKey(reference)
                    ? "the operation that declares it made no resource" : null;
            if (why != null) {
                return Optional.of(ScimException.conflict("bulkId:" + ClientText.abbreviate(reference)
                        + " cannot be resolved: " + why));
            }
        }
        return Optional.empty();
    }

    /**
     * Whether {@code op} may run now: its references resolve, and each operation before it that waits
     * and names a resource it names needs {@code op} to run first.
     */
    private boolean ready(BulkOperation op, Map<String, List<BulkOperation>> waitingByName) {
        if (!createdIds.keySet().containsAll(references(op))) {
            return false;
        }
        for (String name : waitingByName.isEmpty() ? Set.<String>of() : resources(op)) {
            for (BulkOperation waiting : waitingByName.getOrDefault(name, List.of())) {
                if (!needs(waiting).contains(op.index())) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The operations {@code op} refers to, and those they refer to in turn: worked out once for each. */
    private Set<Integer> needs(BulkOperation op) {
        Set<Integer> known = needs.get(op.index());
        if (known != null) {
            return known;
        }
        Set<Integer> found = new HashSet<>();
        // Put first: an operation in a cycle (refused, never run) finds its own set, not an endless walk.
        needs.put(op.index(), found);
        for (String reference : references(op)) {
            BulkOperation declared = declaring.get(reference);
            if (declared != null && found.add(declared.index())) {
                found.addAll(needs(declared));
            }
        }
        return found;
    }

    /** {@link BulkOperation#references()}, read from the operation's data once. */
    private Set<String> references(BulkOperation op) {
        return references.computeIfAbsent(op.index(), index -> op.references());
    }

    /** {@link BulkOperation#resources()}, read from the operation's data once. */
    private Set<String> resources(BulkOperation op) {
        return resources.computeIfAbsent(op.index(), index -> op.resources());
    }

    /**
     * Runs the ready operation at {@code start}, together with the batchable ones right after it when
     * there are several; returns how many ran. When they cannot run together, each runs alone, and the
     * rest of that run is not offered as a batch again: one bad create among a thousand would otherwise
     * cost a thousand shrinking batches.
     */
    private int runFrom(List<BulkOperation> pending, int start, Map<String, List<BulkOperation>> waitingByName) {
        int end = start;
        while (end < pending.size() && references(pending.get(end)).isEmpty() && runner.batchable(pending.get(end))
                && ready(pending.get(end), waitingByName)) {
            end++;
        }
        if (end - start < 2) {
            runAlone(pending.get(start));
            return 1;
        }
        List<BulkOperation> batch = List.copyOf(pending.subList(start, end));
        Optional<List<Outcome<R>>> together = runner.runTogether(batch);
        if (together.isPresent()) {
            for (int k = 0; k < batch.size(); k++) {
                record(batch.get(k), together.get().get(k));
            }
            return batch.size();
        }
        int ran = 0;
        while (ran < batch.size() && !stopped()) {
            runAlone(batch.get(ran++));
        }
        return ran;
    }

    private void runAlone(BulkOperation op) {
        Outcome<R> outcome;
        BulkOperation target = op;
        try {
            target = op.resolved(createdIds);
            outcome = runner.run(target);
        } catch (ScimException e) {
            // Refused as resolved: its result names the resource its reference stood for.
            outcome = Outcome.failed(runner.refused(target, e));
        }
        record(op, outcome);
    }

    private void refuse(BulkOperation op, ScimException error) {
        record(op, Outcome.failed(runner.refused(op, error)));
    }

    private void record(BulkOperation op, Outcome<R> outcome) {
        answers.set(op.index(), outcome.answer());
        if (outcome.failed()) {
            errors++;
            if (op.bulkId() != null) {
                failedBulkIds.add(op.bulkId());
            }
        } else if (op.bulkId() != null && outcome.id() != null) {
            createdIds.put(op.bulkId(), outcome.id());
        }
    }

    private boolean stopped() {
        return request.failOnErrors() > 0 && errors >= request.failOnErrors();
    }

    /**
     * The operations whose references lead back to themselves (Tarjan's strongly connected components of
     * the graph from each operation to those declaring the bulkIds it refers to): a component of several,
     * or one that refers to itself. Found before any runs, so that each is refused where request order
     * reaches it.
     */
    private final class ReferenceCycles {
        private final Map<Integer, Integer> order = new HashMap<>();
        private final Map<Integer, Integer> lowest = new HashMap<>();
        private final Deque<BulkOperation> stack = new ArrayDeque<>();
        private final Set<Integer> onStack = new HashSet<>();
        private final Set<Integer> members = new HashSet<>();

        Set<Integer> members() {
            for (BulkOperation op : request.operations()) {
                if (!references(op).isEmpty() && !order.containsKey(op.index())) {
                    visit(op);
                }
            }
            return members;
        }

        private void visit(BulkOperation op) {
            order.put(op.index(), order.size());
            lowest.put(op.index(), order.get(op.index()));
            stack.push(op);
            onStack.add(op.index());
            for (BulkOperation next : referred(op)) {
                if (!order.containsKey(next.index())) {
                    visit(next);
                    lowest.merge(op.index(), lowest.get(next.index()), Math::min);
                } else if (onStack.contains(next.index())) {
                    lowest.merge(op.index(), order.get(next.index()), Math::min);
                }
            }
            if (lowest.get(op.index()).equals(order.get(op.index()))) {
                List<BulkOperation> component = new ArrayList<>();
                BulkOperation member;
                do {
                    member = stack.pop();
                    onStack.remove(member.index());
                    component.add(member);
                } while (member != op);
                if (component.size() > 1 || referred(op).contains(op)) {
                    component.forEach(m -> members.add(m.index()));
                }
            }
        }

        private List<BulkOperation> referred(BulkOperation op) {
            return references(op).stream().map(declaring::get).filter(Objects::nonNull).distinct().toList();
        }
    }
}
