package dev.claudemaxapi.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudemaxapi.testing.FakeUpstream;
import dev.claudemaxapi.testing.LiveProxy;
import dev.claudemaxapi.testing.RealCli;
import dev.claudemaxapi.testing.UpstreamReply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Claude Code itself as the client: the pinned CLI, pointed at the proxy with {@code ANTHROPIC_BASE_URL}, completes
 * a task that needs one of its own tools. Its tools are client tools here: the proxy's CLI offers them upstream, the
 * model's call comes back to the outer CLI, which runs the tool on its own machine and sends the result.
 */
class ClaudeCodeClientEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "secret-code-4711";

    @TempDir
    Path scratch;
    LiveProxy proxy;

    @BeforeEach
    void start() throws Exception {
        proxy = LiveProxy.start(scratch);
        proxy.upstream.always(UpstreamReply.text("Nothing to do."));
    }

    @AfterEach
    void stop() {
        proxy.close();
    }

    @Test
    void claudeCodeReadsAFileWithItsOwnReadToolThroughTheProxy() throws Exception {
        Path project = Files.createDirectories(scratch.resolve("project"));
        Path notes = Files.writeString(project.resolve("notes.txt"), "The code is " + SECRET + ".\n");
        String readInput = "{\"file_path\":" + JSON.writeValueAsString(notes.toString()) + "}";
        proxy.upstream.route(request -> {
            String messages = request.path("messages").toString();
            return FakeUpstream.offeredTool(request, "Read").map(read -> messages.contains(SECRET)
                    ? UpstreamReply.text("The file says the code is " + SECRET + ".")
                    : (UpstreamReply) new UpstreamReply.ToolUse(read, readInput)).orElse(null);
        });

        Process claude = outerClaude(project, "What is the code in notes.txt?");
        String output = new String(claude.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(claude.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(claude.exitValue()).as(output).isZero();
        JsonNode result = JSON.readTree(output);
        assertThat(result.path("is_error").asBoolean()).as(output).isFalse();
        assertThat(result.path("result").asText()).isEqualTo("The file says the code is " + SECRET + ".");
        List<JsonNode> offeredTools = proxy.upstream.requests().stream().map(FakeUpstream.Captured::body)
                .filter(body -> FakeUpstream.offeredTool(body, "Read").isPresent()).toList();
        assertThat(offeredTools).as("the outer CLI's tools reached the model").isNotEmpty();
        JsonNode last = offeredTools.get(offeredTools.size() - 1);
        assertThat(last.path("messages").toString()).as("the file was read by the outer CLI, on its side")
                .contains(SECRET).contains("tool_result");
        assertThat(last.path("tools").toString()).doesNotContain("\"name\":\"Bash\"")
                .as("the proxy's own CLI offers no built-in tools, only the client's");
    }

    /** The pinned CLI as a user runs it against the proxy, with a home of its own and the prompt on stdin. */
    private Process outerClaude(Path project, String prompt) throws IOException {
        Path home = Files.createDirectories(scratch.resolve("client-home"));
        ProcessBuilder builder = new ProcessBuilder(RealCli.require().toString(), "-p", "--output-format", "json",
                "--model", "sonnet", "--allowedTools", "Read", "--max-turns", "4")
                .directory(project.toFile()).redirectErrorStream(false)
                .redirectError(scratch.resolve("client-stderr.txt").toFile());
        Map<String, String> env = builder.environment();
        env.clear();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("HOME", home.toString());
        env.put("TMPDIR", Files.createDirectories(scratch.resolve("client-tmp")).toString());
        env.put("ANTHROPIC_BASE_URL", proxy.baseUrl());
        env.put("ANTHROPIC_API_KEY", "sk-ant-any-key-the-proxy-ignores");
        env.put("CLAUDE_CODE_MAX_RETRIES", "0");
        env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
        env.put("DISABLE_AUTOUPDATER", "1");
        Process process = builder.start();
        process.getOutputStream().write(prompt.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        return process;
    }
}
