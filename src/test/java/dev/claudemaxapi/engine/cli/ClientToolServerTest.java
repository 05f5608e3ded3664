package dev.claudemaxapi.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudemaxapi.core.ContentBlock;
import dev.claudemaxapi.core.ProxyException;
import dev.claudemaxapi.core.Tool;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The in-band MCP server of a conversation's client tools, as the CLI talks to it. */
class ClientToolServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LONG = "org.example.inventory-service:warehouse.items.search_by_sku_and_location";

    private final CliLineParser parser = new CliLineParser(JSON);

    private static ClientToolServer server(String... names) {
        return ClientToolServer.forTools(JSON, java.util.Arrays.stream(names)
                .map(name -> new Tool(name, Optional.of("does " + name), "{\"type\":\"object\"}")).toList());
    }

    private CliLine.McpRequest mcp(String server, String message) throws Exception {
        return (CliLine.McpRequest) parser.parse("{\"type\":\"control_request\",\"request_id\":\"r1\",\"request\":"
                + "{\"subtype\":\"mcp_message\",\"server_name\":\"" + server + "\",\"message\":" + message + "}}");
    }

    private static JsonNode mcpResponse(String line) throws Exception {
        return JSON.readTree(line).path("response").path("response").path("mcp_response");
    }

    @Test
    void listsEveryToolUnderANameTheApiAcceptsOnceTheCliPrefixesIt() throws Exception {
        ClientToolServer server = server("get_weather", "github.create-issue", LONG);

        JsonNode listed = mcpResponse(server.answer(mcp("client_a",
                "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/list\"}")).orElseThrow());

        List<String> names = listed.path("result").path("tools").findValuesAsText("name");
        assertThat(names.subList(0, 2)).containsExactly("get_weather", "github_create-issue");
        assertThat(names.get(2)).startsWith("org_example_inventory-service_warehouse").hasSize(64 - 15);
        for (String name : names) {
            assertThat("mcp__client_a__" + name).matches("[a-zA-Z0-9_-]{1,64}");
        }
        assertThat(listed.path("result").path("tools").get(0).path("inputSchema"))
                .isEqualTo(JSON.readTree("{\"type\":\"object\"}"));
    }

    @Test
    void mapsEveryUpstreamNameBackToTheClientsOwn() {
        ClientToolServer server = server("github.create-issue", LONG).named("client_b");

        assertThat(server.clientName("mcp__client_b__github_create-issue")).contains("github.create-issue");
        assertThat(server.clientName("mcp__client_b__" + ClientToolServer.listedName(LONG))).contains(LONG);
        assertThat(server.clientName("mcp__client_a__github_create-issue")).as("the other server's").isEmpty();
        assertThat(server.clientName("Bash")).isEmpty();
    }

    @Test
    void twoLongNamesWithTheSameStartStayApart() {
        String other = LONG.replace("location", "region");

        assertThat(ClientToolServer.listedName(LONG)).isNotEqualTo(ClientToolServer.listedName(other));
        assertThat(server(LONG, other).clientName("mcp__client_a__" + ClientToolServer.listedName(other)))
                .contains(other);
    }

    @Test
    void namesTheModelWouldSeeAlikeAreRefused() {
        assertThatThrownBy(() -> server("a.b", "a_b")).isInstanceOf(ProxyException.class)
                .hasMessageContaining("'a.b' and 'a_b'");
    }

    @Test
    void answersTheHandshakeAndHoldsACall() throws Exception {
        ClientToolServer server = server("get_weather");

        JsonNode init = mcpResponse(server.answer(mcp("client_a", "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":"
                + "\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\"}}")).orElseThrow());
        JsonNode notified = mcpResponse(server.answer(mcp("client_a",
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}")).orElseThrow());
        Optional<String> call = server.answer(mcp("client_a", "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":"
                + "\"tools/call\",\"params\":{\"name\":\"get_weather\",\"arguments\":{},"
                + "\"_meta\":{\"claudecode/toolUseId\":\"toolu_1\"}}}"));

        assertThat(init.path("result").path("protocolVersion").asText()).isEqualTo("2025-11-25");
        assertThat(init.path("id").asInt()).isZero();
        assertThat(notified.path("id").asInt()).as("a notification is answered with id 0").isZero();
        assertThat(call).as("a call waits for the client").isEmpty();
        assertThat(ClientToolServer.toolUseId(mcp("client_a", "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":"
                + "\"tools/call\",\"params\":{\"_meta\":{\"claudecode/toolUseId\":\"toolu_1\"}}}"))).contains("toolu_1");
    }

    @Test
    void aMessageForAnotherServerOrAnUnknownMethodIsAJsonRpcError() throws Exception {
        ClientToolServer server = server("get_weather");

        JsonNode other = mcpResponse(server.answer(mcp("client_b",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}")).orElseThrow());
        JsonNode unknown = mcpResponse(server.answer(mcp("client_a",
                "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"resources/list\"}")).orElseThrow());

        assertThat(other.path("error").path("code").asInt()).isEqualTo(-32601);
        assertThat(unknown.path("error").path("message").asText()).contains("resources/list");
    }

    @Test
    void anErrorResultKeepsItsFlagAndOneWithImagesSaysInWordsThatItFailed() throws Exception {
        ClientToolServer server = server("get_weather");
        CliLine.McpRequest call = mcp("client_a", "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\"}");

        JsonNode plain = mcpResponse(server.callResult(call, new ContentBlock.ToolResult("t1",
                List.of(new ContentBlock.Text("no such city")), true))).path("result");
        JsonNode withImage = mcpResponse(server.callResult(call, new ContentBlock.ToolResult("t1",
                List.of(new ContentBlock.Text("radar down"), new ContentBlock.Image("image/png", "AAAA")), true)))
                .path("result");

        assertThat(plain.path("isError").asBoolean()).isTrue();
        assertThat(plain.path("content")).isEqualTo(JSON.readTree("[{\"type\":\"text\",\"text\":\"no such city\"}]"));
        assertThat(withImage.path("isError").asBoolean()).isFalse();
        assertThat(withImage.path("content").get(0).path("text").asText()).contains("The tool failed");
        assertThat(withImage.path("content").get(2)).isEqualTo(JSON.readTree(
                "{\"type\":\"image\",\"data\":\"AAAA\",\"mimeType\":\"image/png\"}"));
    }
}
