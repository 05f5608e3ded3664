package dev.claudemaxapi.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudemaxapi.api.Json;
import dev.claudemaxapi.core.Admission;
import dev.claudemaxapi.core.Engine;
import dev.claudemaxapi.core.PlanLimits;
import dev.claudemaxapi.core.PlanWindow;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The status page: {@code GET /} and its script and style, from the jar, open to all because they hold no data;
 * {@code GET /status/requests}, behind the API key like the API, with the requests in flight, recent and failed. The
 * page reads that, {@code /health} and {@code /usage} with the key the user gives it (kept in the tab's session
 * storage, sent as a header: no cookie, so no other site can make a browser use it). Without JavaScript, a server
 * that needs no key shows the basics in the page itself.
 */
final class StatusRoute {
    /** Only this server's own files, nothing inline: a script injected into the page would not run. */
    private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    record RequestsReport(@JsonProperty("in_flight") List<Running> inFlight, List<Done> recent, List<Done> errors) {}

    record Running(@JsonProperty("request_id") String requestId, String method, String route, String since) {
        static Running of(RecentRequests.InFlight request) {
            return new Running(request.requestId(), request.method(), request.route(), request.since().toString());
        }
    }

    record Done(@JsonProperty("request_id") String requestId, String at, String method, String route, String model,
            int status, long millis, @JsonProperty("input_tokens") long inputTokens,
            @JsonProperty("output_tokens") long outputTokens, String engine, boolean streamed, String error) {
        static Done of(RecentRequests.Ended request) {
            return new Done(request.requestId(), request.at().toString(), request.method(), request.route(),
                    request.model(), request.status(), request.millis(), request.inputTokens(),
                    request.outputTokens(), request.engine(), request.streamed(), request.error());
        }
    }

    private final ObjectMapper json;
    private final RecentRequests recent;
    private final Engine engine;
    private final Admission admission;
    private final PlanLimits plan;
    private final String page = resource("index.html");
    private final byte[] script = resource("app.js").getBytes(StandardCharsets.UTF_8);
    private final byte[] style = resource("app.css").getBytes(StandardCharsets.UTF_8);

    StatusRoute(ObjectMapper json, RecentRequests recent, Engine engine, Admission admission, PlanLimits plan) {
        this.json = json;
        this.recent = recent;
        this.engine = engine;
        this.admission = admission;
        this.plan = plan;
    }

    void page(HttpCall call) throws IOException {
        secure(call);
        String basics = call.caller().isPresent() ? basics()
                : "<p>This server needs an API key, and signing in needs JavaScript. Without it, ask "
                        + "<code>/health</code> and <code>/usage</code> with your key.</p>";
        call.send(200, "text/html; charset=utf-8", page.replace("<!--BASICS-->", basics)
                .getBytes(StandardCharsets.UTF_8));
    }

    void script(HttpCall call) throws IOException {
        secure(call);
        call.send(200, "text/javascript; charset=utf-8", script);
    }

    void style(HttpCall call) throws IOException {
        secure(call);
        call.send(200, "text/css; charset=utf-8", style);
    }

    void requests(HttpCall call) throws IOException {
        call.sendJson(200, Json.write(json, new RequestsReport(recent.inFlight().stream().map(Running::of).toList(),
                recent.recent(50).stream().map(Done::of).toList(), recent.errors(20).stream().map(Done::of)
                        .toList())));
    }

    private static void secure(HttpCall call) {
        call.exchange.getResponseHeaders().set("Content-Security-Policy", POLICY);
        call.exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        call.exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
        call.exchange.getResponseHeaders().set("Cache-Control", "no-store");
    }

    /** The page's figures as plain HTML, for a browser without JavaScript on a server without keys. */
    private String basics() {
        Map<String, Long> stats = engine.info().stats();
        StringBuilder html = new StringBuilder("<h2>Now</h2><ul>")
                .append("<li>in flight: ").append(admission.inFlight()).append("</li>")
                .append("<li>queued: ").append(admission.queued()).append("</li>")
                .append("<li>CLI processes: ").append(stats.getOrDefault("processes", 0L))
                .append(" (warm ").append(stats.getOrDefault("warm", 0L))
                .append(", live ").append(stats.getOrDefault("live_conversations", 0L)).append(")</li></ul>");
        html.append("<h2>Plan windows</h2><ul>");
        for (PlanWindow window : plan.windows()) {
            html.append("<li>").append(escape(window.type())).append(": ").append(escape(window.status()))
                    .append(window.resetsAt().map(reset -> ", resets " + reset).orElse("")).append("</li>");
        }
        html.append("</ul><h2>Recent requests</h2><table><tr><th>time</th><th>route</th><th>model</th>"
                + "<th>status</th><th>ms</th></tr>");
        for (RecentRequests.Ended request : recent.recent(20)) {
            html.append("<tr><td>").append(request.at()).append("</td><td>").append(escape(request.method()))
                    .append(' ').append(escape(request.route())).append("</td><td>").append(escape(request.model()))
                    .append("</td><td>").append(request.status()).append("</td><td>").append(request.millis())
                    .append("</td></tr>");
        }
        return html.append("</table>").toString();
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String resource(String name) {
        try (InputStream in = StatusRoute.class.getResourceAsStream("/status/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks /status/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
