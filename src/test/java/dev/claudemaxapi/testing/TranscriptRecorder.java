package dev.claudemaxapi.testing;

import dev.claudemaxapi.core.Message;
import dev.claudemaxapi.core.Turn;
import dev.claudemaxapi.engine.cli.CliEnvironment;
import dev.claudemaxapi.engine.cli.CliTranscripts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Records the real CLI's NDJSON output for the scenarios the engine's unit tests replay, with exactly the flags and
 * stdin the engine uses, against {@link FakeUpstream}. Re-run it when the pinned CLI version moves:
 * {@code bin/record-transcripts} (writes {@code src/test/resources/transcripts/}).
 */
public final class TranscriptRecorder {

    /** The reset the recorded plan transcripts name. */
    private static final Instant RECORDED_RESET = Instant.ofEpochSecond(1764676800);

    record Scenario(String name, Map<String, String> extraEnv, Map<String, String> upstreamHeaders,
            UpstreamReply... replies) {
        Scenario(String name, Map<String, String> extraEnv, UpstreamReply... replies) {
            this(name, extraEnv, Map.of(), replies);
        }
    }

    /** The plan-window headers a subscription's answers carry, with the five-hour window at {@code status}. */
    public static Map<String, String> planHeaders(String status, String fiveHourUtilization,
            Instant fiveHourResetsAt) {
        String fiveHourReset = Long.toString(fiveHourResetsAt.getEpochSecond());
        String weekReset = Long.toString(fiveHourResetsAt.getEpochSecond() + 4 * 86400);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("anthropic-ratelimit-unified-status", status);
        headers.put("anthropic-ratelimit-unified-reset", fiveHourReset);
        headers.put("anthropic-ratelimit-unified-representative-claim", "five_hour");
        headers.put("anthropic-ratelimit-unified-fallback", "available");
        headers.put("anthropic-ratelimit-unified-5h-status", status);
        headers.put("anthropic-ratelimit-unified-5h-reset", fiveHourReset);
        headers.put("anthropic-ratelimit-unified-5h-utilization", fiveHourUtilization);
        if (status.equals("allowed_warning")) {
            // the CLI warns only when the upstream says which threshold was passed
            headers.put("anthropic-ratelimit-unified-5h-surpassed-threshold", "0.9");
        }
        headers.put("anthropic-ratelimit-unified-7d-status", "allowed");
        headers.put("anthropic-ratelimit-unified-7d-reset", weekReset);
        headers.put("anthropic-ratelimit-unified-7d-utilization", "0.31");
        headers.put("anthropic-ratelimit-unified-overage-status", "rejected");
        headers.put("anthropic-ratelimit-unified-overage-disabled-reason", "org_level_disabled");
        return headers;
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "src/test/resources/transcripts");
        Files.createDirectories(out);
        Path cli = Path.of(System.getProperty("claude.cli.dir", ".cli"))
                .resolve("node_modules/@anthropic-ai/claude-code-linux-x64/claude");
        UpstreamReply hello = UpstreamReply.text("Hello from the fake upstream");
        List<Scenario> scenarios = List.of(
                new Scenario("text", Map.of(), hello),
                new Scenario("thinking", Map.of(), new UpstreamReply.ThinkingThenText("Let me think.", "Answer.")),
                new Scenario("error_401", Map.of(), new UpstreamReply.Error(401, "authentication_error", "bad key", null)),
                new Scenario("error_403", Map.of(), new UpstreamReply.Error(403, "permission_error", "denied", null)),
                new Scenario("error_429", Map.of(),
                        new UpstreamReply.Error(429, "rate_limit_error", "plan limit reached", 7)),
                new Scenario("error_500", Map.of(), new UpstreamReply.Error(500, "api_error", "internal", null)),
                new Scenario("error_529", Map.of(), new UpstreamReply.Error(529, "overloaded_error", "Overloaded", null)),
                new Scenario("retried_stream", Map.of("CLAUDE_CODE_MAX_RETRIES", "2"),
                        new UpstreamReply.Truncated("Hello again from upstream"),
                        UpstreamReply.text("Hello again from upstream")),
                new Scenario("stream_error_fallback", Map.of("CLAUDE_CODE_MAX_RETRIES", "2"),
                        new UpstreamReply.StreamError("Recovered answer text")),
                new Scenario("tool_use_without_tools", Map.of(),
                        new UpstreamReply.ToolUse("Bash", "{\"command\":\"ls\"}"), UpstreamReply.text("No tools here.")),
                new Scenario("not_logged_in", Map.of("CLAUDE_CODE_OAUTH_TOKEN", ""), hello),
                new Scenario("plan_allowed", Map.of(), planHeaders("allowed", "0.42", RECORDED_RESET), hello),
                new Scenario("plan_warning", Map.of(), planHeaders("allowed_warning", "0.91", RECORDED_RESET), hello),
                new Scenario("plan_rejected", Map.of(), planHeaders("rejected", "1.0", RECORDED_RESET),
                        new UpstreamReply.Error(429, "rate_limit_error", "plan limit reached", 600)));
        for (Scenario scenario : scenarios) {
            try (FakeUpstream upstream = new FakeUpstream()) {
                upstream.responseHeaders(scenario.upstreamHeaders());
                // The last reply answers every further request (the CLI retries some errors once even with retries off).
                UpstreamReply[] replies = scenario.replies();
                upstream.enqueue(java.util.Arrays.copyOf(replies, replies.length - 1));
                upstream.always(replies[replies.length - 1]);
                Path scratch = Files.createTempDirectory("record-");
                Map<String, String> env = new LinkedHashMap<>(CliEnvironment.from(RealCli.environment(upstream, scratch)));
                env.putAll(scenario.extraEnv());
                env.values().removeIf(String::isEmpty);
                Turn turn = new Turn("sonnet", Optional.of("You are a test fixture."), List.of(Message.user("Say hi")));
                List<String> lines = CliTranscripts.record(cli.toString(), scratch, env, turn);
                Files.write(out.resolve(scenario.name() + ".ndjson"), lines);
                System.out.println(scenario.name() + ": " + lines.size() + " lines");
            }
        }
    }
}
