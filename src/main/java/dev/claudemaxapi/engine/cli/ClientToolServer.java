package dev.claudemaxapi.engine.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.claudemaxapi.core.ContentBlock;
import dev.claudemaxapi.core.ProxyException;
import dev.claudemaxapi.core.Tool;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A conversation's client tools, offered to the CLI as an in-band MCP server (the "sdk" transport: JSON-RPC inside
 * control requests on the CLI's own stdin and stdout, no endpoint, no idle limit). Each is listed under a name the
 * API accepts ({@link #listedName}), which the CLI sends upstream as {@code mcp__<server>__<name>}; the client only
 * ever sees its own names.
 *
 * <p>The CLI keeps every tool a connected server has ever listed for the life of its session, even across a rewind,
 * so a process alternates between two server names from one conversation to the next: connecting the new one
 * disconnects the old one, and with it the old tools. Both names are allowed at spawn ({@link #ALLOWED}).
 *
 * <p>Of the four messages the CLI sends, {@code initialize}, {@code notifications/initialized} and
 * {@code tools/list} are answered here; a {@code tools/call} is the model calling a tool, which the client answers
 * in its next request. That is why this is a small handler and not an MCP SDK: the transport is the CLI's control
 * protocol, the server state is one immutable tool list, and a call must be held, not run.
 */
public final class ClientToolServer {
    static final List<String> NAMES = List.of("client_a", "client_b");
    static final String ALLOWED = "mcp__client_a,mcp__client_b";
    static final String ERROR_WITH_IMAGES = "The tool failed (is_error); its error output follows.";
    /** What the CLI keeps of a tool name upstream; the rest becomes {@code _}. */
    private static final Pattern UPSTREAM_UNSAFE = Pattern.compile("[^A-Za-z0-9_-]");
    /** The longest tool name the Messages API takes ({@code ^[a-zA-Z0-9_-]{1,64}$}), the CLI's prefix included. */
    private static final int UPSTREAM_MAX = 64;
    /** What is left of those 64 characters after {@code mcp__client_a__}, the same for both server names. */
    private static final int LISTED_MAX = UPSTREAM_MAX - ("mcp__" + NAMES.get(0) + "__").length();

    private final ObjectMapper json;
    private final String name;
    private final List<Tool> tools;
    private final Map<String, String> byUpstreamName = new HashMap<>();

    /**
     * The server for {@code tools} under the first name, checked before any process is taken.
     *
     * @throws ProxyException (400) when two of the tools would get the same name upstream
     */
    public static ClientToolServer forTools(ObjectMapper json, List<Tool> tools) {
        return new ClientToolServer(json, NAMES.get(0), tools);
    }

    /** The same tools under the server name {@code other}. */
    public ClientToolServer named(String other) {
        return new ClientToolServer(json, other, tools);
    }

    private ClientToolServer(ObjectMapper json, String name, List<Tool> tools) {
        this.json = json;
        this.name = name;
        this.tools = List.copyOf(tools);
        for (Tool tool : tools) {
            String other = byUpstreamName.put(listedName(tool.name()), tool.name());
            if (other != null) {
                throw ProxyException.invalid("The tool names '" + other + "' and '" + tool.name()
                        + "' are the same to the model; rename one.");
            }
        }
    }

    /** The server name to use after {@code current}: the other one of the two. */
    public static String nextName(Optional<String> current) {
        return current.filter(NAMES.get(0)::equals).map(ignored -> NAMES.get(1)).orElse(NAMES.get(0));
    }

    public String name() {
        return name;
    }

    public List<Tool> tools() {
        return tools;
    }

    /** The client's name of a tool the model called; empty when it is none of this server's. */
    public Optional<String> clientName(String upstream) {
        String prefix = "mcp__" + name + "__";
        if (!upstream.startsWith(prefix)) {
            return Optional.empty();
        }
        return Optional.ofNullable(byUpstreamName.get(upstream.substring(prefix.length())));
    }

    /**
     * The name a tool is listed under, which the CLI prefixes with {@code mcp__<server>__} and sends upstream as it
     * is: characters the API refuses become {@code _}, and a name too long for the API once prefixed keeps its start
     * and ends with a hash of the whole name, so two long names stay apart. The client never sees it.
     */
    static String listedName(String clientName) {
        String safe = UPSTREAM_UNSAFE.matcher(clientName).replaceAll("_");
        if (safe.length() <= LISTED_MAX) {
            return safe;
        }
        String hash = HexFormat.of().formatHex(sha256(clientName), 0, 4);
        return safe.substring(0, LISTED_MAX - hash.length() - 1) + "_" + hash;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The control request that connects this server (and disconnects any other). */
    public String connectLine(String requestId) {
        ObjectNode servers = json.createObjectNode();
        servers.putObject(name).put("type", "sdk").put("name", name);
        return setServersLine(json, requestId, servers);
    }

    /** The control request that disconnects every server, for a conversation without tools. */
    public static String disconnectLine(ObjectMapper json, String requestId) {
        return setServersLine(json, requestId, json.createObjectNode());
    }

    private static String setServersLine(ObjectMapper json, String requestId, ObjectNode servers) {
        ControlRequest control = ControlRequest.of(json, requestId, "mcp_set_servers");
        control.request().set("servers", servers);
        return control.line().toString();
    }

    /**
     * The answer to an MCP message of this server's handshake; empty for a tool call, which waits for the client.
     * A message for another server, or a method this server does not have, gets a JSON-RPC error.
     */
    public Optional<String> answer(CliLine.McpRequest request) {
        CliLine.McpMessage message = request.message();
        if (!name.equals(request.serverName())) {
            return Optional.of(error(request, -32601, "No such server: " + request.serverName()));
        }
        return switch (message.method()) {
            case "initialize" -> {
                ObjectNode result = json.createObjectNode();
                result.put("protocolVersion", message.params().path("protocolVersion").asText("2025-11-25"));
                result.putObject("capabilities").putObject("tools").put("listChanged", true);
                result.putObject("serverInfo").put("name", "claude-max-api").put("version", "1");
                yield Optional.of(result(request, result));
            }
            case "notifications/initialized" -> Optional.of(result(request, json.createObjectNode()));
            case "tools/list" -> Optional.of(result(request, toolList()));
            case "tools/call" -> Optional.empty();
            default -> Optional.of(error(request, -32601, "Method not found: " + message.method()));
        };
    }

    /** The upstream id of the call a {@code tools/call} request makes, as the CLI gives it in {@code _meta}. */
    public static Optional<String> toolUseId(CliLine.McpRequest request) {
        JsonNode id = request.message().params().path("_meta").path("claudecode/toolUseId");
        return id.isTextual() ? Optional.of(id.asText()) : Optional.empty();
    }

    /**
     * The answer to a {@code tools/call}: the client's result, text and images, flagged as an error when the client
     * said so (the model then gets a {@code tool_result} with {@code is_error}). The CLI keeps only the text of an
     * error result, so an error that carries images goes as a plain result that says in words it is an error: the
     * model keeps both the images and the fact.
     */
    public String callResult(CliLine.McpRequest request, ContentBlock.ToolResult result) {
        ObjectNode answer = json.createObjectNode();
        ArrayNode content = answer.putArray("content");
        boolean images = result.content().stream().anyMatch(ContentBlock.Image.class::isInstance);
        if (result.isError() && images) {
            content.addObject().put("type", "text").put("text", ERROR_WITH_IMAGES);
        }
        for (ContentBlock block : result.content()) {
            switch (block) {
                case ContentBlock.Text text -> content.addObject().put("type", "text").put("text", text.text());
                case ContentBlock.Image image -> content.addObject().put("type", "image")
                        .put("data", image.base64Data()).put("mimeType", image.mediaType());
                default -> content.addObject().put("type", "text").put("text", block.toString());
            }
        }
        answer.put("isError", result.isError() && !images);
        return result(request, answer);
    }

    private ObjectNode toolList() {
        ObjectNode result = json.createObjectNode();
        ArrayNode list = result.putArray("tools");
        for (Tool tool : tools) {
            ObjectNode entry = list.addObject();
            entry.put("name", listedName(tool.name()));
            tool.description().ifPresent(description -> entry.put("description", description));
            try {
                entry.set("inputSchema", json.readTree(tool.inputSchema()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a tool schema is JSON the decoder wrote", e);
            }
        }
        return result;
    }

    private String result(CliLine.McpRequest request, ObjectNode result) {
        ObjectNode mcp = rpc(request);
        mcp.set("result", result);
        return response(request, mcp);
    }

    private String error(CliLine.McpRequest request, int code, String text) {
        ObjectNode mcp = rpc(request);
        mcp.putObject("error").put("code", code).put("message", text);
        return response(request, mcp);
    }

    /** A JSON-RPC reply; a notification has no id, and the CLI takes 0 in its place. */
    private ObjectNode rpc(CliLine.McpRequest request) {
        ObjectNode mcp = json.createObjectNode();
        mcp.put("jsonrpc", "2.0");
        request.message().id().ifPresentOrElse(id -> mcp.set("id", id), () -> mcp.put("id", 0));
        return mcp;
    }

    private String response(CliLine.McpRequest request, ObjectNode mcp) {
        ObjectNode line = json.createObjectNode();
        line.put("type", "control_response");
        ObjectNode response = line.putObject("response");
        response.put("subtype", "success");
        response.put("request_id", request.requestId());
        response.putObject("response").set("mcp_response", mcp);
        return line.toString();
    }
}
