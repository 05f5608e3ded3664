package dev.claudemaxapi.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.claudemaxapi.core.Caller;
import dev.claudemaxapi.core.ErrorKind;
import dev.claudemaxapi.core.PlanLimits;
import dev.claudemaxapi.core.ProxyException;
import dev.claudemaxapi.core.Usage;
import dev.claudemaxapi.store.StoreException;
import dev.claudemaxapi.store.UsageRecord;
import dev.claudemaxapi.store.UsageStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The request pipeline, in order: Host guard, CORS, API key, route. Every failure is funnelled here and answered in
 * the caller's dialect, or, once a stream has started, left to the stream's own in-band error. One log line per
 * request, under the request's id.
 */
final class ProxyHandler implements HttpHandler {
    private static final Logger LOG = Logger.getLogger("dev.claudemaxapi.requests");
    /** Paths answered without a key. */
    private static final Set<String> OPEN_PATHS = Set.of("/health", "/", "/status/app.js", "/status/app.css");

    private final HttpSettings settings;
    private final Router router;
    /** Replaced whole on a configuration reload; a request keeps the check it started with. */
    private volatile ApiKeyCheck keys;
    /** The key that opens {@code /metrics} alone, when the operator set one. */
    private final ApiKeyCheck metricsKeys;
    private final CorsPolicy cors;
    private final ObjectMapper json;
    private final BodyBudget bodyBudget;
    private final WriteTimeout writeTimeout;
    private final PeerProbe peers = new PeerProbe();
    private final UsageStore usage;
    private final PlanLimits plan;
    private final ServerMetrics metrics;
    private final RecentRequests recent;
    private final Clock clock;

    ProxyHandler(HttpSettings settings, Router router, ObjectMapper json, BodyBudget bodyBudget,
            WriteTimeout writeTimeout, UsageStore usage, PlanLimits plan, ServerMetrics metrics,
            RecentRequests recent, Clock clock) {
        this.metrics = metrics;
        this.recent = recent;
        this.usage = usage;
        this.plan = plan;
        this.clock = clock;
        this.settings = settings;
        this.router = router;
        this.keys = new ApiKeyCheck(settings.apiKeys());
        this.metricsKeys = new ApiKeyCheck(settings.metricsKey().map(key -> new ApiKey("metrics", key)).stream()
                .toList());
        this.cors = new CorsPolicy(settings.corsOrigins());
        this.json = json;
        this.bodyBudget = bodyBudget;
        this.writeTimeout = writeTimeout;
    }

    @Override
    public void handle(HttpExchange exchange) {
        HttpCall call = new HttpCall(exchange, settings.maxBodyBytes(), bodyBudget, writeTimeout, peers);
        call.log.requestId = RequestIds.of(call.header("x-request-id"));
        exchange.getResponseHeaders().set("x-request-id", call.log.requestId);
        exchange.getResponseHeaders().set("request-id", call.log.requestId);
        // The exchange is closed in finally, not by try-with-resources, which would close it before the catch
        // blocks could send the error.
        try {
            pipeline(call);
        } catch (ProxyException failure) {
            reply(call, failure);
        } catch (InterruptedException e) {
            reply(call, new ProxyException(ErrorKind.UNAVAILABLE, "The server is shutting down."));
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            call.log.error = "connection: " + e.getMessage();
        } catch (RuntimeException | StackOverflowError e) {
            // a defect; the client still gets an answer in its API's shape (a deep recursion is one such defect)
            LOG.log(Level.SEVERE, "unexpected failure on " + call.path(), e);
            reply(call, new ProxyException(ErrorKind.INTERNAL, "Internal server error."));
        } finally {
            call.close();
            if (LOG.isLoggable(Level.INFO)) {
                // the fields ride along for JSON log lines; text lines use the message
                LogRecord line = new LogRecord(Level.INFO, call.log.line());
                line.setLoggerName(LOG.getName());
                line.setParameters(new Object[] {call.log.fields()});
                LOG.log(line);
            }
            // labels from the server's own vocabulary: route patterns, models that ran, key ids
            metrics.requestEnded(call.log, call.caller().orElse(Caller.ANONYMOUS).name());
            recent.ended(call.log);
            if (call.log.answer) {
                recordUsage(call);
            }
        }
    }

    boolean needsKeys() {
        return keys.enabled();
    }

    /** Takes a new set of API keys (a configuration reload): requests from here on are checked against them. */
    void replaceKeys(List<ApiKey> apiKeys) {
        keys = new ApiKeyCheck(apiKeys);
    }

    private void pipeline(HttpCall call) throws IOException, InterruptedException {
        if (settings.loopbackOnly() && !HostHeaderCheck.isLoopbackHost(call.header("Host"))) {
            throw new ProxyException(ErrorKind.PERMISSION,
                    "Host '" + call.header("Host") + "' is not allowed: this server only answers to loopback names.");
        }
        String origin = call.header("Origin");
        if (!cors.allows(origin)) {
            throw new ProxyException(ErrorKind.PERMISSION,
                    "Origin '" + origin + "' is not allowed. Start the server with --cors-origin to allow it.");
        }
        cors.addHeaders(origin, call.exchange.getResponseHeaders());
        if (call.method().equals("OPTIONS")) {
            cors.addPreflightHeaders(call.exchange.getResponseHeaders());
            call.sendEmpty(204);
            return;
        }
        ApiKeyCheck keys = this.keys;
        Optional<Caller> caller = keys.caller(call.header("Authorization"), call.header("x-api-key"));
        if (call.path().equals("/metrics") && metricsKeys.enabled()) {
            // the scraper's own key, or an API key when the server has those; never open to all
            boolean scraper = metricsKeys.allows(call.header("Authorization"), call.header("x-api-key"));
            caller = scraper || (keys.enabled() && caller.isPresent()) ? Optional.of(Caller.ANONYMOUS)
                    : Optional.empty();
        }
        caller.ifPresent(call::authenticated);
        caller.ifPresent(who -> call.log.key = who.name());
        // /health stays open for monitors, showing details only to callers with a key; the status page's files hold
        // no data (they fetch it with the key the user gives them)
        if (caller.isEmpty() && !OPEN_PATHS.contains(call.path())) {
            throw new ProxyException(ErrorKind.AUTHENTICATION,
                    "Invalid or missing API key. Send it as 'Authorization: Bearer <key>' or 'x-api-key: <key>'.");
        }
        call.log.route = router.pattern(call.path()).orElse("unmatched");
        recent.started(call.log);
        Route route = router.find(call.method(), call.path());
        if (call.caller().isPresent() && call.path().startsWith("/v1/messages")) {
            // as the API does, every answer of the Messages route says where the plan stands, to its callers only
            PlanHeaders.apply(plan, call.exchange.getResponseHeaders());
        }
        route.handle(call);
    }

    /** After the response: a database that fails costs the history one row, never the client its answer. */
    private void recordUsage(HttpCall call) {
        RequestLog log = call.log;
        try {
            usage.record(new UsageRecord(clock.instant(), log.path, log.model,
                    call.caller().orElse(Caller.ANONYMOUS).name(), log.status,
                    log.usage == null ? Usage.ZERO : log.usage,
                    log.costUsd, Duration.ofNanos(System.nanoTime() - log.startNanos),
                    log.streamed ? UsageRecord.Streamed.YES : UsageRecord.Streamed.NO, log.servedAs));
        } catch (StoreException e) {
            LOG.warning(() -> "usage of request " + log.requestId + " not recorded: " + e.getMessage());
        }
    }

    private void reply(HttpCall call, ProxyException failure) {
        // A write with the interrupt flag set would close the connection unsent (an interruptible channel).
        boolean interrupted = Thread.interrupted();
        try {
            send(call, failure);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void send(HttpCall call, ProxyException failure) {
        call.log.error = failure.getMessage();
        if (call.committed()) {
            call.log.status = call.log.status == 0 ? failure.status() : call.log.status;
            return;
        }
        try {
            failure.retryAfter().ifPresent(after -> call.exchange.getResponseHeaders()
                    .set("Retry-After", Long.toString(Math.max(1, (after.toMillis() + 999) / 1000))));
            if (failure.kind() == ErrorKind.METHOD_NOT_ALLOWED) {
                call.exchange.getResponseHeaders().set("Allow", router.allowed(call.path()));
            }
            Dialect dialect = Dialect.of(call.path(), call.header("anthropic-version"));
            call.sendJson(failure.status(), dialect.errorBody(json, failure));
        } catch (IOException e) {
            call.log.error += " (and the client was gone)";
        }
    }
}
