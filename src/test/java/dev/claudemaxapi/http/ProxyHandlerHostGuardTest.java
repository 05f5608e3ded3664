package dev.claudemaxapi.http;

import static dev.claudemaxapi.testing.Wire.tree;
import static org.assertj.core.api.Assertions.assertThat;

import dev.claudemaxapi.testing.RawHttp;
import dev.claudemaxapi.testing.ScriptedEngine;
import dev.claudemaxapi.testing.TestServer;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The DNS-rebinding guard of a loopback-bound server, over raw sockets (java.net.http will not set Host);
 * {@code HostHeaderCheckTest} covers the name check itself.
 */
class ProxyHandlerHostGuardTest {
    private static final String CHAT = """
            {"model":"sonnet","messages":[{"role":"user","content":"Say hello"}]}""";

    private final ScriptedEngine engine = ScriptedEngine.replying("Hello");
    private final TestServer server = TestServer.with(engine).start();

    @AfterEach
    void stopServer() {
        server.close();
    }

    private RawHttp.Response getModels(String host) throws IOException {
        return server.rawExchange(List.of("GET /v1/models HTTP/1.1", "Host: " + host), "");
    }

    private RawHttp.Response post(String path, String host, String body) throws IOException {
        return server.rawExchange(List.of("POST " + path + " HTTP/1.1", "Host: " + host,
                "Content-Type: application/json", "Content-Length: " + body.length()), body);
    }

    @Test
    void refusesAForeignHostBeforeCallingTheEngine() throws IOException {
        RawHttp.Response response = post("/v1/chat/completions", "attacker.example", CHAT);

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        assertThat(tree(response.body())).isEqualTo(tree("""
                {"error":{"message":"Host 'attacker.example' is not allowed: \
                this server only answers to loopback names.",
                          "type":"permission_error","param":null,"code":"permission_denied"}}"""));
        assertThat(engine.turns()).isEmpty();
    }

    @Test
    void refusesAForeignHostInAnthropicShapeOnMessages() throws IOException {
        RawHttp.Response response = post("/v1/messages", "attacker.example:" + server.port(), """
                {"model":"sonnet","max_tokens":64,"messages":[{"role":"user","content":"Hi"}]}""");

        assertThat(response.status()).isEqualTo(403);
        assertThat(tree(response.body()).at("/error/type").asText()).isEqualTo("permission_error");
        assertThat(tree(response.body()).get("type").asText()).isEqualTo("error");
        assertThat(engine.turns()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"attacker.example", "attacker.example:{port}", "127.0.0.1.nip.io:{port}",
            "localhost.attacker.example", "0.0.0.0:{port}", "[::2]:{port}",
            "127.0.0.256:{port}", "10.0.0.1"})
    void refusesNonLoopbackNames(String host) throws IOException {
        RawHttp.Response response = getModels(host.replace("{port}", Integer.toString(server.port())));

        assertThat(response.status()).isEqualTo(403);
        assertThat(tree(response.body()).at("/error/code").asText()).isEqualTo("permission_denied");
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "localhost:{port}", "LocalHost:{port}", "127.0.0.1:{port}",
            "127.0.0.1", "[::1]:{port}", "[::1]"})
    void acceptsLoopbackNames(String host) throws IOException {
        RawHttp.Response response = getModels(host.replace("{port}", Integer.toString(server.port())));

        assertThat(response.status()).isEqualTo(200);
        assertThat(tree(response.body()).get("object").asText()).isEqualTo("list");
    }

    @Test
    void refusesARequestWithoutHost() throws IOException {
        RawHttp.Response response = server.rawExchange(List.of("GET /v1/models HTTP/1.0"), "");

        assertThat(response.status()).isEqualTo(403);
    }
}
