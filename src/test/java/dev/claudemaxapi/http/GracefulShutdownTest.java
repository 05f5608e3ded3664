package dev.claudemaxapi.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudemaxapi.testing.Await;
import dev.claudemaxapi.testing.RawHttp;
import dev.claudemaxapi.testing.ScriptedEngine;
import dev.claudemaxapi.testing.TestServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What SIGTERM does to the HTTP side: stop accepting, let answers in flight finish. */
class GracefulShutdownTest {
    private static final String CHAT = "{\"model\":\"sonnet\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @Test
    void refusesNewConnectionsButLetsAnAnswerInFlightFinish() throws Exception {
        ScriptedEngine engine = ScriptedEngine.scripted(ScriptedEngine.reply("Hello", " world").holdingAt(3));
        try (TestServer server = TestServer.with(engine).start()) {
            CompletableFuture<HttpResponse<String>> inFlight = server.client().sendAsync(
                    server.request("/v1/chat/completions").POST(HttpRequest.BodyPublishers.ofString(CHAT)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(engine.awaitStarted(TestServer.TIMEOUT)).isTrue();

            Thread stopper = Thread.ofVirtual().start(() -> server.stop(Duration.ofSeconds(20)));
            Await.until(TestServer.TIMEOUT, "the listener is closed", () -> !accepts(server.port()));
            assertThat(inFlight).isNotDone();
            engine.release();

            HttpResponse<String> response = inFlight.get(10, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("\"content\":\"Hello world\"");
            stopper.join(Duration.ofSeconds(10));
            assertThat(stopper.isAlive()).as("stop returns once the last exchange is done").isFalse();
        }
    }

    @Test
    void cutsAStreamStillRunningAtTheEndOfTheGracePeriodInBand() throws Exception {
        ScriptedEngine engine = ScriptedEngine.scripted(ScriptedEngine.reply("Hello", " world").holdingAt(3));
        try (TestServer server = TestServer.with(engine).start();
                RawHttp client = server.openPost("/v1/chat/completions", CHAT.replace("{\"model\"",
                        "{\"stream\":true,\"model\""))) {
            assertThat(client.readHead().status()).isEqualTo(200);
            assertThat(engine.awaitStarted(TestServer.TIMEOUT)).isTrue();

            Thread stopper = Thread.ofVirtual().start(() -> server.stop(Duration.ofSeconds(2)));
            String rest = client.readChunksUntil("[DONE]");

            assertThat(rest).contains("Hello").contains("\"error\"").contains("shutting down").endsWith("data: [DONE]\n\n");
            assertThat(engine.awaitCancelled(TestServer.TIMEOUT)).as("the answer was stopped").isTrue();
            stopper.join(Duration.ofSeconds(10));
        }
    }

    @Test
    void cutsAnAnthropicStreamWithAnErrorEvent() throws Exception {
        ScriptedEngine engine = ScriptedEngine.scripted(ScriptedEngine.reply("Hello", " world").holdingAt(3));
        String ask = "{\"model\":\"sonnet\",\"max_tokens\":10,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        try (TestServer server = TestServer.with(engine).start();
                RawHttp client = server.openPost("/v1/messages", ask, "anthropic-version: 2023-06-01")) {
            assertThat(client.readHead().status()).isEqualTo(200);

            Thread stopper = Thread.ofVirtual().start(() -> server.stop(Duration.ofSeconds(2)));
            String rest = client.readChunksUntil("shutting down");

            assertThat(rest).contains("event: error").contains("overloaded_error");
            stopper.join(Duration.ofSeconds(10));
        }
    }

    @Test
    void answersANonStreamingRequestStillRunningAtTheEndWith503() throws Exception {
        ScriptedEngine engine = ScriptedEngine.scripted(ScriptedEngine.reply("Hello").holdingAt(0));
        try (TestServer server = TestServer.with(engine).start();
                RawHttp client = server.openPost("/v1/chat/completions", CHAT)) {
            assertThat(engine.awaitStarted(TestServer.TIMEOUT)).isTrue();

            Thread stopper = Thread.ofVirtual().start(() -> server.stop(Duration.ofSeconds(2)));
            RawHttp.Response response = client.readResponse();

            assertThat(response.status()).isEqualTo(503);
            assertThat(response.body()).contains("shutting down");
            stopper.join(Duration.ofSeconds(10));
        }
    }

    private static boolean accepts(int port) {
        try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException refused) {
            return false;
        }
    }
}
