package dev.claudemaxapi.http;

import static dev.claudemaxapi.testing.Wire.tree;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.claudemaxapi.testing.Await;
import dev.claudemaxapi.testing.ScriptedEngine;
import dev.claudemaxapi.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code GET /usage}: every answer request is counted, refusals included, and summed by the group asked for. */
class UsageRouteTest {
    private static final String KEY = "Bearer usage-key";
    private final TestServer server = TestServer.with(ScriptedEngine.replying("Hello", " there"))
            .apiKeys("usage-key").start();

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void answersAndRefusalsAreCountedByModelWithTheirTokens() {
        server.post("/v1/chat/completions", "{\"model\":\"sonnet\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
                "Authorization", KEY);
        server.post("/v1/messages", "{\"model\":\"sonnet\",\"max_tokens\":9,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}", "Authorization", KEY);
        server.post("/v1/chat/completions", "{\"model\":\"gpt-4o\",\"messages\":[]}", "Authorization", KEY);
        server.get("/v1/models", "Authorization", KEY);
        // a request's usage is written as it ends, just after its client has the answer
        Await.until(Duration.ofSeconds(5), "three answers in the usage history", () -> tree(server.get("/usage",
                "Authorization", KEY).body()).path("total").path("requests").asLong() == 3);

        HttpResponse<String> response = server.get("/usage?group_by=model", "Authorization", KEY);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode report = tree(response.body());
        assertThat(report.path("group_by").asText()).isEqualTo("model");
        JsonNode total = report.path("total");
        assertThat(total.path("requests").asLong()).as("the models list is no answer").isEqualTo(3);
        assertThat(total.path("errors").asLong()).isEqualTo(1);
        assertThat(total.path("output_tokens").asLong()).isEqualTo(2 * ScriptedEngine.FINAL_USAGE.outputTokens());
        assertThat(report.path("groups")).hasSize(2);
        JsonNode sonnet = report.path("groups").get(1);
        assertThat(sonnet.path("group").asText()).isEqualTo(ScriptedEngine.MODEL);
        assertThat(sonnet.path("requests").asLong()).isEqualTo(2);
    }

    @Test
    void theWindowAndTheGroupAreCheckedAndTheKeyIsRequired() throws Exception {
        assertThat(server.get("/usage?group_by=week", "Authorization", KEY).statusCode()).isEqualTo(400);
        assertThat(server.rawExchange(List.of("GET /usage?since=%zz HTTP/1.1", "Host: 127.0.0.1:" + server.port(),
                "Authorization: " + KEY), "").status()).as("a query that does not decode").isEqualTo(400);
        assertThat(server.get("/usage?since=yesterday", "Authorization", KEY).statusCode()).isEqualTo(400);
        assertThat(server.get("/usage?since=2026-12-02&until=2026-12-01", "Authorization", KEY).statusCode())
                .isEqualTo(400);
        assertThat(server.get("/usage").statusCode()).isEqualTo(401);
        JsonNode empty = tree(server.get("/usage?since=1700000000&until=2023-11-15T00:00:00Z&group_by=day",
                "Authorization", KEY).body());
        assertThat(empty.path("groups")).isEmpty();
        assertThat(empty.path("total").path("requests").asLong()).isZero();
    }
}
