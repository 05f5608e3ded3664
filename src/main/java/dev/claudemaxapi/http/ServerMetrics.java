package dev.claudemaxapi.http;

import dev.claudemaxapi.core.Admission;
import dev.claudemaxapi.core.Engine;
import dev.claudemaxapi.core.ModelCatalog;
import dev.claudemaxapi.core.PlanLimits;
import dev.claudemaxapi.core.PlanWindow;
import dev.claudemaxapi.core.Usage;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmCompilationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryPoolAllocationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The server's Prometheus metrics, in a registry of its own (so two servers in one JVM, as in tests, do not mix):
 * requests by route, model, status and key; their duration and time to first token; tokens by kind; CLI processes by
 * state; the queue; the pool's hits and misses and the engine's other counters; the plan's windows; and the JVM's.
 * Engine, queue and plan figures are read when scraped, so nothing needs updating between scrapes.
 */
final class ServerMetrics {
    private static final String PREFIX = "claude_max_api_";
    /** Seconds: an answer takes from tens of milliseconds (a live process) to minutes (a long agentic turn). */
    private static final double[] DURATION_BUCKETS = {0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};
    /** The pool's counters that mean a request found a process ready: warm, live, recycled, or waiting on tools. */
    private static final List<String> POOL_HITS = List.of("warm_used", "live_reused", "recycled_used", "tool_rounds");

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Counter requests;
    private final Histogram duration;
    private final Histogram firstToken;
    private final Counter tokens;
    private final Counter cost;

    private final ModelCatalog catalog;

    ServerMetrics(Engine engine, Admission admission, PlanLimits plan, ModelCatalog catalog) {
        this.catalog = catalog;
        requests = Counter.builder().name(PREFIX + "requests_total")
                .help("Requests answered, by route, model, HTTP status and API key (its id, never the key)")
                .labelNames("route", "model", "status", "key").register(registry);
        duration = Histogram.builder().name(PREFIX + "request_duration_seconds")
                .help("Time from a request's arrival to the end of its response").labelNames("route")
                .classicUpperBounds(DURATION_BUCKETS).classicOnly().withoutExemplars().register(registry);
        firstToken = Histogram.builder().name(PREFIX + "time_to_first_token_seconds")
                .help("Time from a streamed answer's arrival to its first text, thinking or tool input")
                .labelNames("route").classicUpperBounds(DURATION_BUCKETS).classicOnly().withoutExemplars()
                .register(registry);
        tokens = Counter.builder().name(PREFIX + "tokens_total")
                .help("Tokens as the upstream reported them, by model and kind: input (uncached), output, cache_read,"
                        + " cache_write")
                .labelNames("model", "kind").register(registry);
        cost = Counter.builder().name(PREFIX + "cost_usd_total")
                .help("What the answers cost as the CLI reported it (USD), by model; the CLI reports it at the end of"
                        + " its turn, so a tool round's cost comes with the answer that ends the turn")
                .labelNames("model").register(registry);
        GaugeWithCallback.builder().name(PREFIX + "cli_processes")
                .help("CLI processes by state: warm (a spare), live (holding a conversation), awaiting_tools, busy"
                        + " (answering or being recycled)")
                .labelNames("state").callback(callback -> {
                    Map<String, Long> stats = engine.info().stats();
                    long warm = stats.getOrDefault("warm", 0L);
                    long live = stats.getOrDefault("live_conversations", 0L);
                    long tools = stats.getOrDefault("awaiting_tools", 0L);
                    callback.call(warm, "warm");
                    callback.call(live, "live");
                    callback.call(tools, "awaiting_tools");
                    callback.call(Math.max(0, stats.getOrDefault("processes", 0L) - warm - live - tools), "busy");
                }).register(registry);
        GaugeWithCallback.builder().name(PREFIX + "requests_in_flight").help("Answers running now")
                .callback(callback -> callback.call(admission.inFlight())).register(registry);
        GaugeWithCallback.builder().name(PREFIX + "queue_depth").help("Requests waiting for an answer slot")
                .callback(callback -> callback.call(admission.queued())).register(registry);
        CounterWithCallback.builder().name(PREFIX + "engine_events_total")
                .help("The engine's counters since start: spawned, cold_starts, warm_used, live_reused, evicted...")
                .labelNames("event").callback(callback -> engine.info().stats().forEach((name, value) -> {
                    if (!List.of("processes", "pool_size", "warm", "live_conversations", "awaiting_tools")
                            .contains(name)) {
                        callback.call(value, name);
                    }
                })).register(registry);
        CounterWithCallback.builder().name(PREFIX + "pool_hits_total")
                .help("Answers that found a process ready: a warm spare, a live conversation, a recycled one, or one"
                        + " waiting for tool results")
                .callback(callback -> callback.call(POOL_HITS.stream()
                        .mapToLong(name -> engine.info().stats().getOrDefault(name, 0L)).sum()))
                .register(registry);
        CounterWithCallback.builder().name(PREFIX + "pool_misses_total")
                .help("Answers that had to start a CLI (a cold start)")
                .callback(callback -> callback.call(engine.info().stats().getOrDefault("cold_starts", 0L)))
                .register(registry);
        GaugeWithCallback.builder().name(PREFIX + "plan_utilization")
                .help("The share of a plan window used, 0 to 1, as last reported (only once a warning threshold"
                        + " is passed)")
                .labelNames("window").callback(callback -> {
                    for (PlanWindow window : plan.windows()) {
                        window.utilization().ifPresent(used -> callback.call(used, window.type()));
                    }
                }).register(registry);
        GaugeWithCallback.builder().name(PREFIX + "plan_rejected")
                .help("1 while a plan window refuses requests, else 0").labelNames("window").callback(callback -> {
                    for (PlanWindow window : plan.windows()) {
                        callback.call(window.rejects(plan.clock().instant()) ? 1 : 0, window.type());
                    }
                }).register(registry);
        GaugeWithCallback.builder().name(PREFIX + "plan_resets_at_seconds")
                .help("When a plan window starts over, in Unix seconds").labelNames("window").callback(callback -> {
                    for (PlanWindow window : plan.windows()) {
                        window.resetsAt().ifPresent(reset -> callback.call(reset.getEpochSecond(), window.type()));
                    }
                }).register(registry);
        registerJvmMetrics(registry);
    }

    /**
     * The JVM's metrics, as {@code JvmMetrics} registers them, less native memory: that group reads Native Memory
     * Tracking (off here) through the platform MBean server, and starting that server loads JMX and JFR, which cost
     * a third of the start-up time and megabytes that a small always-on service keeps for nothing.
     */
    private static void registerJvmMetrics(PrometheusRegistry registry) {
        JvmThreadsMetrics.builder().register(registry);
        JvmBufferPoolMetrics.builder().register(registry);
        JvmClassLoadingMetrics.builder().register(registry);
        JvmCompilationMetrics.builder().register(registry);
        JvmGarbageCollectorMetrics.builder().register(registry);
        JvmMemoryPoolAllocationMetrics.builder().register(registry);
        JvmMemoryMetrics.builder().register(registry);
        JvmRuntimeInfoMetric.builder().register(registry);
        ProcessMetrics.builder().register(registry);
    }

    /** One request's figures, once its response has ended. */
    void requestEnded(RequestLog log, String key) {
        // a model a client named but that never ran (an unknown name, a refusal) is no label, nor is an exact id the
        // catalog does not list: clients choose those, and every new value would be a new series
        String model = log.servedAs.equals("-") ? "-" : catalog.lists(log.model) ? log.model : "other";
        requests.labelValues(log.route, model, Integer.toString(log.status), key).inc();
        duration.labelValues(log.route).observe((System.nanoTime() - log.startNanos) / 1e9);
        log.firstTokenNanos.ifPresent(first -> firstToken.labelValues(log.route)
                .observe((first - log.startNanos) / 1e9));
        if (log.usage != null) {
            Usage usage = log.usage;
            tokens.labelValues(model, "input").inc(usage.inputTokens());
            tokens.labelValues(model, "output").inc(usage.outputTokens());
            tokens.labelValues(model, "cache_read").inc(usage.cacheReadInputTokens());
            tokens.labelValues(model, "cache_write").inc(usage.cacheCreationInputTokens());
        }
        log.costUsd.ifPresent(usd -> cost.labelValues(model).inc(usd));
    }

    String contentType() {
        return writer.getContentType();
    }

    byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory does not fail", e);
        }
        return out.toByteArray();
    }
}
