package dev.claudemaxapi.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudemaxapi.testing.Await;
import dev.claudemaxapi.testing.LiveProxy;
import dev.claudemaxapi.testing.UpstreamReply;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What happens to the real CLI process when clients leave, the model stalls, or answers finish. */
class CliLifecycleEndToEndTest {
    @TempDir
    Path scratch;
    LiveProxy proxy;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        Await.until(Duration.ofSeconds(5), "no claude process is left", () -> LiveProxy.claudeDescendants() == 0);
    }

    @Test
    void aClientThatDisconnectsMidStreamStopsItsCli() throws Exception {
        proxy = LiveProxy.start(scratch);
        proxy.upstream.always(new UpstreamReply.Hang());
        String body = "{\"model\":\"sonnet\",\"max_tokens\":50,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"wait\"}]}";

        try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            readUntil(socket.getInputStream(), "event: message_start");
            assertThat(proxy.busyProcesses()).isEqualTo(1);
        }

        Await.until(Duration.ofSeconds(5), "the CLI of the gone client is stopped",
                () -> proxy.busyProcesses() == 0 && LiveProxy.claudeDescendants() == proxy.cliProcesses());
        Await.until(Duration.ofSeconds(5), "the upstream call is dropped", () -> proxy.upstream.openHangs() == 0);
    }

    @Test
    void aSilentCliIsStoppedAfterTheStallTimeout() throws Exception {
        proxy = LiveProxy.start(scratch, 4, Duration.ofSeconds(3));
        proxy.upstream.always(new UpstreamReply.Hang());

        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(proxy.baseUrl() + "/v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"sonnet\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(response.body()).contains("\"type\":\"server_error\"").contains("printed nothing for 3 s");
        Await.until(Duration.ofSeconds(5), "the stalled CLI is gone", () -> proxy.busyProcesses() == 0);
    }

    @Test
    void aFinishedAnswerLeavesNoProcessBehind() throws Exception {
        proxy = LiveProxy.start(scratch);
        proxy.upstream.always(UpstreamReply.text("done"));

        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(proxy.baseUrl() + "/v1/messages"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"haiku\",\"max_tokens\":5,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"text\":\"done\"");
        if (proxy.poolEnabled()) {
            assertThat(proxy.stat("live_conversations")).isEqualTo(1);
        }
        Await.until(Duration.ofSeconds(5), "the CLI exits after its turn, or waits for the next one in the pool",
                () -> proxy.busyProcesses() == 0);
    }

    private static void readUntil(InputStream in, String marker) throws Exception {
        StringBuilder seen = new StringBuilder();
        byte[] buffer = new byte[1024];
        while (!seen.toString().contains(marker)) {
            int read = in.read(buffer);
            if (read < 0) {
                throw new AssertionError("connection closed before '" + marker + "': " + seen);
            }
            seen.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
        }
    }
}
