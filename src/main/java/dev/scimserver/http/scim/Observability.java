package dev.scimserver.http.scim;

import dev.scimserver.access.AdminToken;
import dev.scimserver.activity.ObservedRequest;

import java.util.function.Consumer;
import java.util.function.ObjIntConsumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What the web adapter reports and shows about itself: every request to the SCIM API and the token
 * endpoint goes to {@code requests} once answered (with its bodies when {@code bodies}), how each
 * cursor page read ahead fared goes to {@code readAheads} ({@link ReadAheadOutcome}), a request to
 * another door refused for its credentials (401) or by the throttle (429) goes to {@code refusals}
 * with its door ({@code admin}, {@code console}, {@code events} or {@code metrics}) and status, and
 * {@code GET /metrics} answers {@code metrics}' text, behind {@code metricsToken} when that is set.
 * {@code holdsSecret} tells a text that holds a secret of the server's configuration, which the provisioning
 * log withholds: no request id a client sends may be one, as the log lines, the journal and the events
 * would repeat it.
 */
public record Observability(Consumer<ObservedRequest> requests, boolean bodies, Consumer<ReadAheadOutcome> readAheads,
                            ObjIntConsumer<String> refusals, Supplier<String> metrics, AdminToken metricsToken,
                            Predicate<String> holdsSecret) {
    /** Nothing observed, no metrics: for a web adapter assembled without the rest of the server. */
    public static Observability none() {
        return new Observability(request -> { }, false, outcome -> { }, (door, status) -> { }, () -> "",
                new AdminToken(null), text -> false);
    }
}
