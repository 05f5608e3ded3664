package dev.claudemaxapi.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudemaxapi.testing.FakeUpstream;
import dev.claudemaxapi.testing.RawHttp;
import dev.claudemaxapi.testing.RealCli;
import dev.claudemaxapi.testing.ServerUnderTest;
import dev.claudemaxapi.testing.UpstreamReply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Requests, replies and shape checks shared by the fault-matrix tests. */
final class Faults {
    private Faults() {}

    static final String CHAT = """
            {"model":"sonnet","messages":[{"role":"user","content":"Say hello"}]}""";
    static final String CHAT_STREAMED = """
            {"model":"sonnet","stream":true,"messages":[{"role":"user","content":"Say hello"}]}""";
    static final String MESSAGES_STREAMED = """
            {"model":"sonnet","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"Say hello"}]}""";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The server's environment: the test CLI environment (fake upstream, private HOME) plus the server's PATH. */
    static Map<String, String> environment(FakeUpstream upstream, Path scratch) throws IOException {
        Map<String, String> env = new HashMap<>(RealCli.environment(upstream, scratch));
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        return env;
    }

    /** An answer that takes about ten seconds, so there is time to do something in the middle of it. */
    static UpstreamReply slowText() {
        return new UpstreamReply.Text("word ".repeat(40), 40, 12, 40, Duration.ofMillis(250));
    }

    /** One request on its own connection, read to the end. */
    static RawHttp.Response post(ServerUnderTest server, String path, String json) throws IOException {
        try (RawHttp client = open(server, path, json)) {
            return client.readResponse();
        }
    }

    /** Sends a request and leaves the response to the caller. */
    static RawHttp open(ServerUnderTest server, String path, String json) throws IOException {
        RawHttp client = RawHttp.connect(server.address(), Duration.ofSeconds(60));
        List<String> head = new ArrayList<>(List.of("POST " + path + " HTTP/1.1", "Host: 127.0.0.1",
                "Content-Type: application/json", "Connection: close",
                "Content-Length: " + json.getBytes(StandardCharsets.UTF_8).length));
        if (path.startsWith("/v1/messages")) {
            head.add("anthropic-version: 2023-06-01");
        }
        client.send(head, json);
        return client;
    }

    /** The {@code error} object of an OpenAI error body, after checking its shape. */
    static JsonNode openAiError(String body) throws IOException {
        JsonNode error = JSON.readTree(body).path("error");
        assertThat(error.path("message").isTextual()).as("OpenAI error shape: %s", body).isTrue();
        assertThat(error.path("type").isTextual()).as("OpenAI error shape: %s", body).isTrue();
        assertThat(error.has("param") && error.has("code")).as("OpenAI error shape: %s", body).isTrue();
        return error;
    }

    /** The {@code error} object of an Anthropic error body, after checking its shape. */
    static JsonNode anthropicError(String body) throws IOException {
        JsonNode root = JSON.readTree(body);
        assertThat(root.path("type").asText()).as("Anthropic error shape: %s", body).isEqualTo("error");
        JsonNode error = root.path("error");
        assertThat(error.path("type").isTextual() && error.path("message").isTextual())
                .as("Anthropic error shape: %s", body).isTrue();
        return error;
    }
}
