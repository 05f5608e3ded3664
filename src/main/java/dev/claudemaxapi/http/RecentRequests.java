package dev.claudemaxapi.http;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the status page shows of the traffic: the requests in flight, and the last ones that ended (their route,
 * model, status, duration, tokens and how the engine served them; never their content).
 */
final class RecentRequests {
    static final int KEPT = 200;

    /** A request still running. */
    record InFlight(String requestId, String method, String route, Instant since) {}

    /** A request that ended. */
    record Ended(String requestId, Instant at, String method, String route, String model, int status,
            long millis, long inputTokens, long outputTokens, String engine, boolean streamed, String error) {}

    private final Clock clock;
    /** By the request's own log, not its id: clients choose ids, and two requests may share one. */
    private final Map<RequestLog, InFlight> inFlight = new ConcurrentHashMap<>();
    private final Deque<Ended> ended = new ArrayDeque<>();

    RecentRequests(Clock clock) {
        this.clock = clock;
    }

    /**
     * The API's traffic and refused paths; not the status page's own polling of {@code /health}, {@code /usage} and
     * {@code /status}, nor scrapes, which would crowd out what the page is for.
     */
    static boolean shown(String route) {
        return route.startsWith("/v1/") || route.equals("unmatched");
    }

    void started(RequestLog log) {
        if (!shown(log.route)) {
            return;
        }
        inFlight.put(log, new InFlight(log.requestId, log.method, log.route, clock.instant()));
    }

    void ended(RequestLog log) {
        if (!shown(log.route)) {
            return;
        }
        inFlight.remove(log);
        Ended row = new Ended(log.requestId, clock.instant(), log.method, log.route, log.model, log.status,
                (System.nanoTime() - log.startNanos) / 1_000_000, log.usage == null ? 0 : log.usage.totalInputTokens(),
                log.usage == null ? 0 : log.usage.outputTokens(), log.servedAs, log.streamed,
                log.error == null ? "" : log.error);
        synchronized (ended) {
            ended.addFirst(row);
            while (ended.size() > KEPT) {
                ended.removeLast();
            }
        }
    }

    List<InFlight> inFlight() {
        return List.copyOf(inFlight.values());
    }

    /** The last {@code limit} that ended, newest first. */
    List<Ended> recent(int limit) {
        synchronized (ended) {
            return ended.stream().limit(limit).toList();
        }
    }

    /** The last {@code limit} that ended with a status of 400 or more, newest first. */
    List<Ended> errors(int limit) {
        List<Ended> errors = new ArrayList<>();
        synchronized (ended) {
            for (Ended row : ended) {
                if (row.status() >= 400 && errors.size() < limit) {
                    errors.add(row);
                }
            }
        }
        return errors;
    }
}
