package dev.claudemaxapi.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudemaxapi.engine.pool.PoolSettings;
import dev.claudemaxapi.testing.Await;
import dev.claudemaxapi.testing.FakeUpstream;
import dev.claudemaxapi.testing.LiveProxy;
import dev.claudemaxapi.testing.UpstreamReply;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Warm spares and live conversations with the real CLI. */
class PoolEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PoolSettings POOL =
            new PoolSettings(4, 1, Duration.ofMinutes(5), Duration.ofHours(1), 100, PoolSettings.DEFAULT_MAX_GROWTH_BYTES, PoolSettings.Recycling.OFF, PoolSettings.DEFAULT_TOOL_WAIT);

    @TempDir
    Path scratch;
    LiveProxy proxy;
    final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        proxy.close();
        Await.until(Duration.ofSeconds(5), "no claude process is left", () -> LiveProxy.claudeDescendants() == 0);
    }

    private void start(PoolSettings pool) throws Exception {
        proxy = LiveProxy.start(scratch, 4, Duration.ofSeconds(60), pool);
    }

    private JsonNode chat(String messages) throws Exception {
        return chatWith("sonnet", messages);
    }

    private JsonNode chatWith(String model, String messages) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create(proxy.baseUrl() + "/v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"messages\":" + messages + "}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static String answer(JsonNode completion) {
        return completion.path("choices").get(0).path("message").path("content").asText();
    }

    @Test
    void aFollowUpContinuesTheLiveProcessWithOnlyTheNewMessage() throws Exception {
        start(POOL);
        proxy.upstream.always(new UpstreamReply.Echo());
        String first = "{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"first question\"}";

        String firstAnswer = answer(chat("[" + first + "]"));
        proxy.upstream.awaitRequest(Duration.ofSeconds(5));
        long spawnedBefore = proxy.stat("spawned");
        String secondAnswer = answer(chat("[" + first + ",{\"role\":\"assistant\",\"content\":\"" + firstAnswer
                + "\"},{\"role\":\"user\",\"content\":\"second question\"}]"));

        assertThat(secondAnswer).isEqualTo("second question");
        assertThat(proxy.stat("live_reused")).isEqualTo(1);
        FakeUpstream.Captured followUp = proxy.upstream.awaitRequest(Duration.ofSeconds(5));
        // The upstream sees the real turns: the first question as sent, the answer, then only the new message.
        List<JsonNode> turns = conversationTurns(followUp.body());
        assertThat(turns).hasSize(3);
        assertThat(turns.get(0).path("role").asText()).isEqualTo("user");
        assertThat(texts(turns.get(0))).contains("first question");
        assertThat(turns.get(1).path("role").asText()).isEqualTo("assistant");
        assertThat(texts(turns.get(1))).isEqualTo("first question");
        assertThat(turns.get(2).path("role").asText()).isEqualTo("user");
        assertThat(texts(turns.get(2))).isEqualTo("second question");
        assertThat(followUp.body().path("system").get(followUp.body().path("system").size() - 1).path("text").asText())
                .isEqualTo("Be brief.");
        assertThat(proxy.stat("spawned") - spawnedBefore).as("no process spawned for the follow-up, beyond spares")
                .isLessThanOrEqualTo(1);
    }

    @Test
    void liveAndStatelessPathsGiveTheModelTheSameConversation() throws Exception {
        List<List<String>> live = secondTurnAsTheModelSeesIt(POOL, "live");
        List<List<String>> stateless = secondTurnAsTheModelSeesIt(PoolSettings.off(), "stateless");

        assertThat(live).containsExactly(List.of("user", "first question"), List.of("assistant", "first question"),
                List.of("user", "second question"));
        assertThat(stateless).isEqualTo(live);
    }

    /** Runs a two-turn conversation and returns the second upstream request's turns as (role, text) pairs. */
    private List<List<String>> secondTurnAsTheModelSeesIt(PoolSettings pool, String name) throws Exception {
        proxy = LiveProxy.start(java.nio.file.Files.createDirectories(scratch.resolve(name)), 4,
                Duration.ofSeconds(60), pool);
        try {
            proxy.upstream.always(new UpstreamReply.Echo());
            String firstAnswer = answer(chat("[{\"role\":\"user\",\"content\":\"first question\"}]"));
            proxy.upstream.awaitRequest(Duration.ofSeconds(5));
            chat("[{\"role\":\"user\",\"content\":\"first question\"},{\"role\":\"assistant\",\"content\":\""
                    + firstAnswer + "\"},{\"role\":\"user\",\"content\":\"second question\"}]");
            List<JsonNode> turns = conversationTurns(proxy.upstream.awaitRequest(Duration.ofSeconds(5)).body());
            List<List<String>> pairs = new java.util.ArrayList<>();
            if (turns.size() == 1) {
                // The stateless form: earlier turns as JSON inside the one user message, then the new text.
                JsonNode content = turns.get(0).path("content");
                String history = content.get(0).path("text").asText();
                JsonNode earlier = JSON.readTree(history.substring(history.indexOf("<conversation_history>") + 22,
                        history.indexOf("</conversation_history>")));
                earlier.forEach(turn -> pairs.add(List.of(turn.path("role").asText(), texts(turn))));
                pairs.add(List.of("user", content.get(content.size() - 1).path("text").asText()));
            } else {
                turns.forEach(turn -> pairs.add(List.of(turn.path("role").asText(), texts(turn))));
            }
            return pairs;
        } finally {
            proxy.close();
        }
    }

    @Test
    void withRecyclingAnEndedConversationsProcessServesTheNextNewOne() throws Exception {
        start(new PoolSettings(2, 1, Duration.ofMinutes(5), Duration.ofHours(1), 100, PoolSettings.DEFAULT_MAX_GROWTH_BYTES, PoolSettings.Recycling.REWIND, PoolSettings.DEFAULT_TOOL_WAIT));
        proxy.upstream.always(new UpstreamReply.Echo());
        String system = "{\"role\":\"system\",\"content\":\"Same prompt.\"},";

        chat("[" + system + "{\"role\":\"user\",\"content\":\"conversation one\"}]");
        chat("[" + system + "{\"role\":\"user\",\"content\":\"conversation two\"}]");
        Await.until(Duration.ofSeconds(10), "an ended conversation's process is recycled",
                () -> proxy.stat("recycled") >= 1);
        long recycledBefore = proxy.stat("recycled_used");
        String third = answer(chat("[" + system + "{\"role\":\"user\",\"content\":\"conversation three\"}]"));

        assertThat(third).endsWith("conversation three");
        assertThat(proxy.stat("recycled_used") - recycledBefore).isEqualTo(1);
        List<FakeUpstream.Captured> requests = proxy.upstream.requests();
        JsonNode last = requests.get(requests.size() - 1).body();
        List<JsonNode> turns = conversationTurns(last);
        assertThat(turns).as("a new conversation: nothing of conversation one").hasSize(1);
        assertThat(last.toString()).doesNotContain("conversation one");
        assertThat(last.path("system").get(last.path("system").size() - 1).path("text").asText())
                .isEqualTo("Same prompt.");
    }

    @Test
    void withRecyclingADisconnectInterruptsTheTurnAndKeepsTheProcess() throws Exception {
        start(new PoolSettings(2, 1, Duration.ofMinutes(5), Duration.ofHours(1), 100, PoolSettings.DEFAULT_MAX_GROWTH_BYTES, PoolSettings.Recycling.REWIND, PoolSettings.DEFAULT_TOOL_WAIT));
        proxy.upstream.enqueue(new UpstreamReply.Hang());
        hangUpMidStream("{\"model\":\"sonnet\",\"max_tokens\":50,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"wait\"}]}");
        Await.until(Duration.ofSeconds(10), "the turn is interrupted and its process recycled",
                () -> proxy.stat("interrupted") == 1 && proxy.stat("recycled") == 1);
        Await.until(Duration.ofSeconds(5), "the upstream call is dropped", () -> proxy.upstream.openHangs() == 0);
        proxy.upstream.always(new UpstreamReply.Echo());
        long recycledBefore = proxy.stat("recycled_used");

        String answer = answer(chat("[{\"role\":\"user\",\"content\":\"a new question\"}]"));

        assertThat(answer).endsWith("a new question");
        assertThat(proxy.stat("recycled_used") - recycledBefore).isEqualTo(1);
        JsonNode last = proxy.upstream.requests().get(proxy.upstream.requests().size() - 1).body();
        assertThat(last.toString()).as("nothing of the interrupted turn").doesNotContain("wait\"");
    }

    @Test
    void aRecycledProcessTakesAnyModelAndSystemPrompt() throws Exception {
        start(new PoolSettings(2, 1, Duration.ofMinutes(5), Duration.ofHours(1), 100, PoolSettings.DEFAULT_MAX_GROWTH_BYTES, PoolSettings.Recycling.REWIND, PoolSettings.DEFAULT_TOOL_WAIT));
        proxy.upstream.always(new UpstreamReply.Echo());
        chat("[{\"role\":\"system\",\"content\":\"Prompt A.\"},{\"role\":\"user\",\"content\":\"one\"}]");
        chat("[{\"role\":\"system\",\"content\":\"Prompt A.\"},{\"role\":\"user\",\"content\":\"two\"}]");
        Await.until(Duration.ofSeconds(10), "a process is recycled", () -> proxy.stat("recycled") >= 1);
        long recycledBefore = proxy.stat("recycled_used");

        chatWith("opus", "[{\"role\":\"system\",\"content\":\"Prompt B.\"},{\"role\":\"user\",\"content\":\"three\"}]");

        assertThat(proxy.stat("recycled_used") - recycledBefore).isEqualTo(1);
        List<FakeUpstream.Captured> requests = proxy.upstream.requests();
        JsonNode last = requests.get(requests.size() - 1).body();
        assertThat(last.path("system").get(last.path("system").size() - 1).path("text").asText()).isEqualTo("Prompt B.");
        assertThat(last.path("model").asText()).isEqualTo("claude-opus-5-5");
        assertThat(conversationTurns(last)).hasSize(1);
    }

    @Test
    void aRecycledProcessSendsTheSameFirstRequestAsAFreshOne() throws Exception {
        String conversation = "[{\"role\":\"system\",\"content\":\"You are SB.\"},"
                + "{\"role\":\"user\",\"content\":\"What is 2+2?\"}]";
        proxy = LiveProxy.start(scratch, 4, Duration.ofSeconds(60), PoolSettings.off());
        proxy.upstream.always(new UpstreamReply.Echo());
        chat(conversation);
        JsonNode fresh = proxy.upstream.requests().get(0).body();
        proxy.close();

        // the same HOME and working directory, so the CLI's environment note is the same
        proxy = LiveProxy.start(scratch, 4, Duration.ofSeconds(60),
                new PoolSettings(1, 0, Duration.ofSeconds(1), Duration.ofHours(1), 100, PoolSettings.DEFAULT_MAX_GROWTH_BYTES, PoolSettings.Recycling.REWIND, PoolSettings.DEFAULT_TOOL_WAIT));
        proxy.upstream.always(new UpstreamReply.Echo());
        chat("[{\"role\":\"system\",\"content\":\"You are SA.\"},"
                + "{\"role\":\"user\",\"content\":\"old conversation secret 123\"}]");
        Await.until(Duration.ofSeconds(15), "the conversation expired and its process was rewound",
                () -> proxy.stat("recycled") == 1);
        chat(conversation);
        List<FakeUpstream.Captured> requests = proxy.upstream.requests();
        JsonNode recycled = requests.get(requests.size() - 1).body();

        assertThat(proxy.stat("recycled_used")).isEqualTo(1);
        assertThat(recycled.toString()).doesNotContain("secret 123").doesNotContain("You are SA.")
                .doesNotContain("local-command-caveat");
        assertThat(withoutSessionIdentity(recycled)).isEqualTo(withoutSessionIdentity(fresh));
    }

    /** The request without {@code metadata.user_id}, which names the session (and differs in every process). */
    private static JsonNode withoutSessionIdentity(JsonNode request) {
        ObjectNode copy = request.deepCopy();
        copy.remove("metadata");
        return copy;
    }

    @Test
    void anEditOrARegenerateOfTheLastMessageRewindsTheLiveProcessAndTheUpstreamSeesTheEarlierTurnsPlusIt()
            throws Exception {
        start(POOL);
        proxy.upstream.always(new UpstreamReply.Echo());
        String system = "{\"role\":\"system\",\"content\":\"Be brief.\"},";
        String firstTurn = system + "{\"role\":\"user\",\"content\":\"first question\"},"
                + "{\"role\":\"assistant\",\"content\":\"" + answer(chat("[" + system
                + "{\"role\":\"user\",\"content\":\"first question\"}]")) + "\"}";
        chat("[" + firstTurn + ",{\"role\":\"user\",\"content\":\"second question\"}]");
        JsonNode original = last(proxy.upstream.requests());
        long spawned = proxy.stat("spawned");

        String edited = answer(chat("[" + firstTurn + ",{\"role\":\"user\",\"content\":\"second, edited\"}]"));
        JsonNode edit = last(proxy.upstream.requests());
        chat("[" + firstTurn + ",{\"role\":\"user\",\"content\":\"second question\"}]");
        JsonNode regenerate = last(proxy.upstream.requests());

        assertThat(edited).isEqualTo("second, edited");
        assertThat(proxy.stat("rewound")).as("both continued the live process").isEqualTo(2);
        assertThat(proxy.stat("spawned") - spawned).as("beyond a spare topped up").isLessThanOrEqualTo(1);
        assertThat(conversationTurns(edit).stream().map(PoolEndToEndTest::texts).toList()).as("no trace of the answer"
                + " rewound away").containsExactly("first question", "first question", "second, edited");
        assertThat(withoutLastMessage(edit)).isEqualTo(withoutLastMessage(original));
        assertThat(regenerate).as("a regenerate sends the same request again").isEqualTo(original);
    }

    private static JsonNode last(List<FakeUpstream.Captured> requests) {
        return requests.get(requests.size() - 1).body();
    }

    private static JsonNode withoutLastMessage(JsonNode request) {
        ObjectNode copy = request.deepCopy();
        ((com.fasterxml.jackson.databind.node.ArrayNode) copy.path("messages")).remove(copy.path("messages").size() - 1);
        return copy;
    }

    @Test
    void aHundredConversationsRunThroughOneProcessAndEachStartsClean() throws Exception {
        start(new PoolSettings(1, 0, Duration.ofMinutes(5), Duration.ofHours(1), 1000,
                PoolSettings.DEFAULT_MAX_GROWTH_BYTES, PoolSettings.Recycling.REWIND, PoolSettings.DEFAULT_TOOL_WAIT));
        proxy.upstream.always(new UpstreamReply.Echo());

        for (int i = 0; i < 100; i++) {
            String secret = "secret " + i;
            assertThat(answer(chat("[{\"role\":\"system\",\"content\":\"Prompt " + i + ".\"},"
                    + "{\"role\":\"user\",\"content\":\"" + secret + "\"}]"))).isEqualTo(secret);
            JsonNode request = last(proxy.upstream.requests());
            assertThat(conversationTurns(request)).as("conversation %d holds only its own message", i).hasSize(1);
            assertThat(request.toString()).contains(secret).doesNotContain("secret " + (i - 1) + "\"")
                    .doesNotContain("local-command-caveat");
            assertThat(request.path("system").get(request.path("system").size() - 1).path("text").asText())
                    .isEqualTo("Prompt " + i + ".");
        }

        assertThat(proxy.stat("spawned")).as("one process served them all").isEqualTo(1);
        assertThat(proxy.stat("recycled_used")).isEqualTo(99);
    }

    @Test
    void anEditedHistoryNeverContinuesTheLiveProcess() throws Exception {
        start(POOL);
        proxy.upstream.always(new UpstreamReply.Echo());
        String firstAnswer = answer(chat("[{\"role\":\"user\",\"content\":\"first question\"}]"));
        proxy.upstream.awaitRequest(Duration.ofSeconds(5));

        chat("[{\"role\":\"user\",\"content\":\"first question\"},{\"role\":\"assistant\",\"content\":\""
                + firstAnswer + " (edited)\"},{\"role\":\"user\",\"content\":\"second question\"}]");

        assertThat(proxy.stat("live_reused")).isZero();
        JsonNode request = proxy.upstream.awaitRequest(Duration.ofSeconds(5)).body();
        List<JsonNode> turns = conversationTurns(request);
        assertThat(turns).as("a fresh process with the whole history in one message").hasSize(1);
        assertThat(texts(turns.get(0))).contains("(edited)").contains("<conversation_history>");
    }

    @Test
    void aWarmSpareAnswersANewConversationOnAnotherModel() throws Exception {
        start(POOL);
        Await.until(Duration.ofSeconds(20), "a spare is warm", () -> proxy.stat("warm") == 1);
        proxy.upstream.always(UpstreamReply.text("warm hello"));

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(proxy.baseUrl() + "/v1/messages"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"haiku\",\"max_tokens\":10,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.body()).contains("warm hello");
        assertThat(proxy.stat("warm_used")).isEqualTo(1);
        assertThat(proxy.upstream.awaitRequest(Duration.ofSeconds(5)).body().path("model").asText())
                .isEqualTo("claude-haiku-5-5");
        Await.until(Duration.ofSeconds(20), "the spare is replaced", () -> proxy.stat("warm") == 1);
    }

    @Test
    void aSpareThatDiedIsReplacedNotHandedOut() throws Exception {
        start(POOL);
        Await.until(Duration.ofSeconds(20), "a spare is warm", () -> proxy.stat("warm") == 1);
        // A spare starts as nice, which then becomes the CLI: wait for that
        Await.until(Duration.ofSeconds(10), "the spare runs the CLI", () -> ProcessHandle.current().descendants()
                .filter(p -> p.info().command().orElse("").contains("claude")).count() == 1);
        List<ProcessHandle> spares = ProcessHandle.current().descendants()
                .filter(p -> p.info().command().orElse("").contains("claude")).toList();
        assertThat(spares).hasSize(1);
        spares.forEach(ProcessHandle::destroyForcibly);
        Await.until(Duration.ofSeconds(5), "the spare is dead", () -> spares.stream().noneMatch(ProcessHandle::isAlive));
        proxy.upstream.always(UpstreamReply.text("still fine"));

        assertThat(answer(chat("[{\"role\":\"user\",\"content\":\"hi\"}]"))).isEqualTo("still fine");
        assertThat(proxy.stat("died_idle")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void keepsWithinItsBoundsUnderManyConversations() throws Exception {
        start(new PoolSettings(2, 1, Duration.ofMinutes(5), Duration.ofHours(1), 100, PoolSettings.DEFAULT_MAX_GROWTH_BYTES, PoolSettings.Recycling.OFF, PoolSettings.DEFAULT_TOOL_WAIT));
        proxy.upstream.always(new UpstreamReply.Echo());

        for (int i = 0; i < 4; i++) {
            chat("[{\"role\":\"user\",\"content\":\"conversation " + i + "\"}]");
            assertThat(proxy.stat("live_conversations")).isLessThanOrEqualTo(1);
            assertThat(proxy.stat("warm") + proxy.stat("live_conversations")).isLessThanOrEqualTo(2);
        }
        assertThat(proxy.stat("evicted")).isGreaterThanOrEqualTo(3);
        Await.until(Duration.ofSeconds(5), "evicted processes are gone",
                () -> LiveProxy.claudeDescendants() == proxy.cliProcesses() && proxy.busyProcesses() == 0);
    }

    @Test
    void aDisconnectMidAnswerLeavesNoOrphanAndAHealthyPool() throws Exception {
        start(POOL);
        proxy.upstream.enqueue(new UpstreamReply.Hang());
        String body = "{\"model\":\"sonnet\",\"max_tokens\":50,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"wait\"}]}";
        hangUpMidStream(body);

        Await.until(Duration.ofSeconds(5), "the abandoned answer's CLI is stopped", () -> proxy.busyProcesses() == 0
                && proxy.upstream.openHangs() == 0);
        proxy.upstream.always(UpstreamReply.text("next one works"));

        assertThat(answer(chat("[{\"role\":\"user\",\"content\":\"again\"}]"))).isEqualTo("next one works");
        Await.until(Duration.ofSeconds(5), "only pooled processes remain",
                () -> LiveProxy.claudeDescendants() == proxy.cliProcesses() && proxy.busyProcesses() == 0);
    }

    /** Sends a streamed Messages request on a raw socket and hangs up once {@code message_start} arrived. */
    private void hangUpMidStream(String body) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/messages HTTP/1.1\r\nHost: localhost\r\nContent-Length: "
                    + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            out.flush();
            byte[] buffer = new byte[4096];
            StringBuilder seen = new StringBuilder();
            while (!seen.toString().contains("message_start")) {
                int read = socket.getInputStream().read(buffer);
                assertThat(read).isPositive();
                seen.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
            }
        }
    }

    /** The upstream request's messages without the CLI's own environment note. */
    private static List<JsonNode> conversationTurns(JsonNode request) {
        List<JsonNode> turns = new java.util.ArrayList<>();
        request.path("messages").forEach(message -> {
            if (!message.path("role").asText().equals("system")) {
                turns.add(message);
            }
        });
        return turns;
    }

    private static String texts(JsonNode message) {
        if (message.path("content").isTextual()) {
            return message.path("content").asText();
        }
        StringBuilder out = new StringBuilder();
        message.path("content").forEach(block -> out.append(block.path("text").asText()));
        return out.toString();
    }
}
