package dev.scimserver.app;

import dev.scimserver.access.Workspace;
import dev.scimserver.activity.ObservedRequest;
import dev.scimserver.activity.ProvisioningLogRecorder;
import dev.scimserver.activity.RequestTarget;
import dev.scimserver.http.scim.ReadAheadOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * The metrics {@code GET /metrics} shows, in the Prometheus text format: every SCIM and token request
 * by operation (endpoint and method), status class and workspace, with its latency in fixed buckets;
 * failed authentications and throttled requests; the provisioning log's queue and what it lost; the
 * database pool (HikariCP reports to the same registry); the JVM and the process.
 *
 * <p>Every label value comes from a fixed set ({@link RequestTarget}'s endpoints, the methods, the
 * status classes) or from {@link WorkspaceLabels}, which is bounded: never an id, a userName, a path
 * or anything else a client chooses.
 */
final class ServerMetrics implements Consumer<ObservedRequest>, AutoCloseable {
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");
    private static final Duration[] BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final WorkspaceLabels workspaces = new WorkspaceLabels();
    /**
     * The request timers by their labels: the registry finds a meter by building and sorting its id,
     * which showed in the request path's profile; this is one hash lookup. Bounded as the labels are.
     */
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    ServerMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    /** Where the pool and the other parts of the server report. */
    MeterRegistry registry() {
        return registry;
    }

    /** The provisioning log's queue depth and its losses, read at each scrape. */
    void watch(ProvisioningLogRecorder recorder) {
        Gauge.builder("scim.provisioning.log.queue.depth", recorder, ProvisioningLogRecorder::queueDepth)
                .description("Provisioning log entries waiting for the writer").register(registry);
        lost(recorder, "bodies_dropped", r -> r.drops().bodiesDropped());
        lost(recorder, "entries_dropped", r -> r.drops().entriesDropped());
        lost(recorder, "entries_lost", r -> r.drops().entriesLost());
    }

    /** One family, so one description for every cause: Prometheus shows a family's first alone. */
    private void lost(ProvisioningLogRecorder recorder, String cause, ToDoubleFunction<ProvisioningLogRecorder> count) {
        FunctionCounter.builder("scim.provisioning.log.losses", recorder, count).tag("cause", cause)
                .description("Provisioning log losses by cause: bodies_dropped, entries kept without their bodies "
                        + "(the queue's body budget was spent); entries_dropped, entries not kept (the queue was "
                        + "full); entries_lost, entries that could not be stored")
                .register(registry);
    }

    @Override
    public void accept(ObservedRequest request) {
        String endpoint = RequestTarget.of(request.path()).endpoint();
        String door = endpoint.equals("token") ? "token" : "scim";
        String method = METHODS.contains(request.method()) ? request.method() : "other";
        String status = statusClass(request.status());
        String workspace = workspaces.of(request.workspaceId());
        String key = endpoint + ' ' + method + ' ' + status + ' ' + workspace;
        timers.computeIfAbsent(key, unused -> Timer.builder("scim.requests")
                        .description("Requests to the SCIM API and the token endpoint")
                        .tag("operation", endpoint).tag("method", method).tag("status", status)
                        .tag("workspace", workspace).serviceLevelObjectives(BUCKETS).register(registry))
                .record(request.durationMicros(), TimeUnit.MICROSECONDS);
        refused(door, request.status());
    }

    /**
     * Learns the workspaces again ({@link WorkspaceLabels#refresh}) and removes the request series
     * of every slug that is no longer a label: without this, each workspace ever deleted or renamed
     * would keep its series in every scrape until the process restarts. A slug that another workspace
     * took meanwhile (freed by a delete or a rename) has its series removed too: they counted the
     * requests of the workspace that held it before, which the new holder never made. A request that
     * read a label just before may register its series again: the next refresh removes it when the
     * label has gone, but a label reassigned is current then, and that one request stays counted under
     * the new holder. Closing that window would put a lock on every request's path for a count off by
     * one on the rare slug taken again.
     */
    void learnWorkspaces(List<Workspace> current) {
        Set<String> reassigned = workspaces.refresh(current);
        timers.values().removeIf(timer -> {
            String label = timer.getId().getTag("workspace");
            boolean gone = !workspaces.isCurrent(label) || reassigned.contains(label);
            if (gone) {
                registry.remove(timer);
            }
            return gone;
        });
    }

    /** A request to {@code door} answered {@code status}: counted when it was refused for its credentials or throttled. */
    void refused(String door, int status) {
        if (status == 401) {
            Counter.builder("scim.authentication.failures").description("Requests refused for their credentials")
                    .tag("door", door).register(registry).increment();
        } else if (status == 429) {
            Counter.builder("scim.throttled.requests").description("Requests refused by a throttle (429)")
                    .tag("door", door).register(registry).increment();
        }
    }

    /** A page of a walk read ahead, by what became of it; named when only cursor walks were read ahead. */
    void readAhead(ReadAheadOutcome outcome) {
        Counter.builder("scim.cursor.read.ahead")
                .description("Pages of a walk, by cursor or by startIndex, read ahead of their request, by outcome")
                .tag("outcome", outcome.name().toLowerCase(Locale.ROOT)).register(registry).increment();
    }

    private static String statusClass(int status) {
        return status >= 100 && status < 600 ? status / 100 + "xx" : "other";
    }

    /** The whole registry in the Prometheus text format. */
    String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
