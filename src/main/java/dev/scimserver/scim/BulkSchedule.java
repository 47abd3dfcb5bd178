package dev.scimserver.scim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
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
 * to the bulkId of a later operation runs right after it: that operation (with those it refers to in
 * turn) is brought forward, as the forward reference says its resource is to exist first (a group
 * created with members created later in the same request). Nothing else overtakes an operation, so the
 * result is the one request order gives, as §3.7 requires of any reordering. A reference that no
 * operation declares, or whose operation failed or made no resource, is answered 409, and so are the
 * operations whose references form a cycle (§3.7.1 lets the service provider refuse a circular
 * reference it cannot resolve), each where request order reaches it. Once {@code failOnErrors}
 * operations have failed, the rest neither run nor appear in the response (§3.7.3).
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
    private final Set<Integer> answered = new HashSet<>();
    private final Set<Integer> inCycles;
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
        runInOrder(request.operations());
        return answers.stream().filter(Objects::nonNull).toList();
    }

    /** Runs those of {@code operations} not yet answered, in their order. */
    private void runInOrder(List<BulkOperation> operations) {
        for (int i = 0; i < operations.size() && !stopped(); ) {
            BulkOperation op = operations.get(i);
            if (answered.contains(op.index())) {
                i++;
            } else if (op.references().isEmpty()) {
                i += runFrom(operations, i);
            } else {
                runWithReferences(op);
                i++;
            }
        }
    }

    /** Runs the operations {@code op} refers to that have not run yet, then {@code op}, its references resolved. */
    private void runWithReferences(BulkOperation op) {
        if (inCycles.contains(op.index())) {
            refuse(op, ScimException.conflict(CYCLE));
            return;
        }
        runInOrder(op.references().stream().map(declaring::get).filter(Objects::nonNull).distinct()
                .sorted(Comparator.comparingInt(BulkOperation::index)).toList());
        if (stopped()) {
            return;
        }
        Optional<String> broken = op.references().stream().filter(r -> !createdIds.containsKey(r)).findFirst();
        if (broken.isPresent()) {
            String reference = broken.get();
            refuse(op, ScimException.conflict("bulkId:" + ClientText.abbreviate(reference) + " cannot be resolved: "
                    + (!declaring.containsKey(reference) ? "no operation of this request creates it"
                    : failedBulkIds.contains(reference) ? "the operation that was to create it failed"
                    : "the operation that declares it made no resource")));
            return;
        }
        runAlone(op);
    }

    /**
     * Runs the ready operation at {@code start}, together with the batchable ones right after it when
     * there are several; returns how many ran. When they cannot run together, each runs alone, and the
     * rest of that run is not offered as a batch again: one bad create among a thousand would otherwise
     * cost a thousand shrinking batches.
     */
    private int runFrom(List<BulkOperation> operations, int start) {
        int end = start;
        while (end < operations.size() && !answered.contains(operations.get(end).index())
                && operations.get(end).references().isEmpty() && runner.batchable(operations.get(end))) {
            end++;
        }
        if (end - start < 2) {
            runAlone(operations.get(start));
            return 1;
        }
        List<BulkOperation> batch = List.copyOf(operations.subList(start, end));
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
        answered.add(op.index());
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
                if (!op.references().isEmpty() && !order.containsKey(op.index())) {
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
            return op.references().stream().map(declaring::get).filter(Objects::nonNull).distinct().toList();
        }
    }
}
