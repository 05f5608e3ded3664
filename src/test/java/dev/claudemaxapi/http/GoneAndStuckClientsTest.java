package dev.claudemaxapi.http;

import static dev.claudemaxapi.testing.Wire.tree;
import static org.assertj.core.api.Assertions.assertThat;

import dev.claudemaxapi.testing.Await;
import dev.claudemaxapi.testing.RawHttp;
import dev.claudemaxapi.testing.ScriptedEngine;
import dev.claudemaxapi.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Clients that leave before anything was sent to them, or that stop reading: their answers are stopped and their
 * request slots freed, without waiting for the model to finish.
 */
class GoneAndStuckClientsTest {
    private static final String ASK = """
            {"model":"sonnet","messages":[{"role":"user","content":"Say hello"}]}""";
    private static final String ASK_STREAMED = """
            {"model":"sonnet","stream":true,"messages":[{"role":"user","content":"Say hello"}]}""";

    private TestServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void stopsANonStreamingAnswerWhoseClientHungUp() throws Exception {
        ScriptedEngine engine = ScriptedEngine.scripted(ScriptedEngine.reply("Hello").holdingAt(0));
        server = TestServer.with(engine).heartbeat(Duration.ofMillis(100)).start();
        RawHttp client = server.openPost("/v1/chat/completions", ASK);
        assertThat(engine.awaitStarted(TestServer.TIMEOUT)).isTrue();

        client.close();

        assertThat(engine.awaitCancelled(Duration.ofSeconds(5))).as("the answer is stopped").isTrue();
        Await.until(TestServer.TIMEOUT, "the request slot is free", () -> inFlight() == 0);
    }

    @Test
    void stopsAStreamWhoseClientHungUpWhileTheFirstEventWasAwaited() throws Exception {
        ScriptedEngine engine = ScriptedEngine.scripted(ScriptedEngine.reply("Hello").holdingAt(0));
        server = TestServer.with(engine).heartbeat(Duration.ofMillis(100)).firstEventWait(Duration.ofSeconds(60))
                .start();
        RawHttp client = server.openPost("/v1/messages", ASK_STREAMED.replace("\"stream\"",
                "\"max_tokens\":100,\"stream\""), "anthropic-version: 2023-06-01");
        assertThat(engine.awaitStarted(TestServer.TIMEOUT)).isTrue();

        client.close();

        assertThat(engine.awaitCancelled(Duration.ofSeconds(5)))
                .as("noticed long before the 60 s wait for the first event ends").isTrue();
    }

    @Test
    void dropsAClientThatStopsReadingAndFreesItsSlot() throws Exception {
        List<String> deltas = new ArrayList<>();
        String block = "x".repeat(64 * 1024);
        for (int i = 0; i < 800; i++) {
            deltas.add(block);
        }
        ScriptedEngine engine = ScriptedEngine.scripted(ScriptedEngine.reply(deltas.toArray(String[]::new)).steps());
        server = TestServer.with(engine)
                .limits(new HttpSettings.Limits(Duration.ofSeconds(1), Duration.ofSeconds(60), 512))
                .start();

        // Sends its request, then reads nothing while 50 MB are written to it.
        try (RawHttp stuck = server.openPost("/v1/chat/completions", ASK_STREAMED)) {
            assertThat(engine.awaitStarted(TestServer.TIMEOUT)).isTrue();

            assertThat(engine.awaitCancelled(Duration.ofSeconds(15))).as("the answer is stopped").isTrue();
            Await.until(TestServer.TIMEOUT, "the request slot is free", () -> inFlight() == 0);
        }
    }

    private int inFlight() {
        return tree(server.get("/health").body()).get("requests").get("in_flight").asInt();
    }
}
