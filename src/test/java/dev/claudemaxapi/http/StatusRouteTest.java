package dev.claudemaxapi.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudemaxapi.testing.Await;
import dev.claudemaxapi.testing.ScriptedEngine;
import dev.claudemaxapi.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The status page's files and data over HTTP, without a browser. */
class StatusRouteTest {
    private TestServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void withoutKeysThePageItselfShowsTheBasicsForABrowserWithoutJavaScript() {
        server = TestServer.with(ScriptedEngine.replying("Hi")).start();
        server.post("/v1/chat/completions", "{\"model\":\"sonnet\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        // a request is listed as it ends, just after its client has the answer
        Await.until(Duration.ofSeconds(5), "the request listed",
                () -> server.get("/").body().contains("POST /v1/chat/completions"));

        HttpResponse<String> page = server.get("/");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("script-src 'self'").contains("frame-ancestors 'none'");
        assertThat(page.body()).contains("<noscript>").contains("POST /v1/chat/completions")
                .contains("claude-sonnet-5-5").contains("in flight: 0");
    }

    @Test
    void withKeysThePageHoldsNoDataAndItsDataNeedsAKey() {
        server = TestServer.with(ScriptedEngine.replying("Hi")).apiKeys("status-key").start();
        server.post("/v1/chat/completions", "{\"model\":\"sonnet\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
                "Authorization", "Bearer status-key");
        Await.until(Duration.ofSeconds(5), "the request listed", () -> server.get("/status/requests",
                "Authorization", "Bearer status-key").body().contains("/v1/chat/completions"));

        HttpResponse<String> page = server.get("/");
        HttpResponse<String> script = server.get("/status/app.js");
        HttpResponse<String> style = server.get("/status/app.css");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).doesNotContain("/v1/chat/completions").contains("needs an API key");
        assertThat(script.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(style.headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
        assertThat(server.get("/status/requests").statusCode()).isEqualTo(401);
        HttpResponse<String> requests = server.get("/status/requests", "Authorization", "Bearer status-key");
        assertThat(requests.statusCode()).isEqualTo(200);
        assertThat(requests.body()).contains("\"route\":\"/v1/chat/completions\"").doesNotContain("/status/");
    }

    @Test
    void clientTextIsEscapedInThePage() {
        assertThat(StatusRoute.escape("<script>\"x\"&'y'</script>"))
                .isEqualTo("&lt;script&gt;&quot;x&quot;&amp;&#39;y&#39;&lt;/script&gt;");
    }
}
