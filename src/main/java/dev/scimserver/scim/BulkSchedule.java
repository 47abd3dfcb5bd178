package dev.scimserver.scim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The order in which a BulkRequest's operations run, and what becomes of each (RFC 7644 §3.7), without
 * doing any of them: a {@link Runner} does. Operations run in request order, except that one waits for
 * the operations whose bulkIds it refers to, so that forward references resolve (a group created with
 * members created later in the same request). A reference that no operation declares, or whose operation
 * failed, is answered 409, and so are references that form a cycle (§3.7.1 lets the service provider
 * refuse a circular reference it cannot resolve). Once {@code failOnErrors} operations have failed, the
 * rest neither run nor appear in the response (§3.7.3).
 *
 * @param <R> the answer of one operation
 */
public final class BulkSchedule<R> {
    private final BulkRequest request;
    private final Runner<R> runner;
    private final Set<String> declaredBulkIds = new HashSet<>();
    private final Map<String, String> createdIds = new HashMap<>();
    private final Set<String> failedBulkIds = new HashSet<>();
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
                declaredBulkIds.add(op.bulkId());
            }
        });
    }

    /** Runs the request; the answers of the operations that ran or were refused, in request order. */
    public static <R> List<R> run(BulkRequest request, Runner<R> runner) {
        return new BulkSchedule<>(request, runner).run();
    }

    private List<R> run() {
        List<BulkOperation> pending = new ArrayList<>(request.operations());
        boolean progress = true;
        while (!pending.isEmpty() && progress && !stopped()) {
            progress = false;
            for (int i = 0; i < pending.size() && !stopped(); ) {
                BulkOperation op = pending.get(i);
                Optional<String> broken = op.references().stream()
                        .filter(r -> !declaredBulkIds.contains(r) || failedBulkIds.contains(r)).findFirst();
                if (broken.isPresent()) {
                    refuse(op, ScimException.conflict("bulkId:" + ClientText.abbreviate(broken.get())
                            + " cannot be resolved: " + (failedBulkIds.contains(broken.get())
                            ? "the operation that was to create it failed" : "no operation of this request creates it")));
                    pending.remove(i);
                } else if (createdIds.keySet().containsAll(op.references())) {
                    int ran = runFrom(pending, i);
                    pending.subList(i, i + ran).clear();
                } else {
                    i++;
                    continue;
                }
                progress = true;
            }
        }
        for (BulkOperation op : pending) {
            if (!stopped()) {
                refuse(op, ScimException.conflict("bulkId references of this operation form a cycle"));
            }
        }
        return answers.stream().filter(Objects::nonNull).toList();
    }

    /**
     * Runs the ready operation at {@code start}, together with the batchable ones right after it when
     * there are several; returns how many ran. When they cannot run together, each runs alone, and the
     * rest of that run is not offered as a batch again: one bad create among a thousand would otherwise
     * cost a thousand shrinking batches.
     */
    private int runFrom(List<BulkOperation> pending, int start) {
        int end = start;
        while (end < pending.size() && pending.get(end).references().isEmpty() && runner.batchable(pending.get(end))) {
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
}
