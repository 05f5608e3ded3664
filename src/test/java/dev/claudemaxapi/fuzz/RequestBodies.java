package dev.claudemaxapi.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Valid request bodies for each endpoint, covering every kind of content the decoders read: the starting points
 * the mutations in {@link JsonMutations} break. Tool names, ids and texts are often odd Unicode, which the server
 * must pass on untouched.
 */
final class RequestBodies {
    private RequestBodies() {}

    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** A 1x1 PNG. */
    static final String PNG =
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

    static Arbitrary<String> models() {
        return Arbitraries.of("sonnet", "opus", "haiku", "fable", "opusplan", "sonnet[1m]", "claude-sonnet-4",
                "claude-opus-4-20250514", "claude-code-cli/claude-haiku-4", "claude-sonnet-5-5", "SONNET", " haiku ");
    }

    static Arbitrary<String> texts() {
        return Arbitraries.oneOf(Arbitraries.of("Hi", "", "What is 2+2?", "/help"), OddText.oddString(),
                Arbitraries.strings().ofMaxLength(40));
    }

    /** A tool call's arguments, which the CLI engine parses as JSON again: nested deep, broken, or not JSON at all. */
    static Arbitrary<String> toolArguments() {
        return Arbitraries.oneOf(
                Arbitraries.of("{}", "{\"city\":\"Paris\"}", "", "not json", "[1,2]", "null", "\"text\"", "{\"a\":"),
                // deep, but well within the body limit, so the request stays valid
                Combinators.combine(Arbitraries.of(OddText.Nesting.class), OddText.depth().filter(d -> d <= 5000))
                        .as(OddText::nested),
                OddText.oddString());
    }

    /** A JSON object nested {@code depth} levels deep, written as it is. */
    static JsonNode nestedObject(int depth) {
        return NODES.rawValueNode(new RawValue(OddText.nested(OddText.Nesting.OBJECTS, depth)));
    }

    // ---------------------------------------------------------------- OpenAI chat completions

    static Arbitrary<ObjectNode> chatRequests() {
        Arbitrary<List<JsonNode>> system = Arbitraries.oneOf(
                Arbitraries.just(List.<JsonNode>of()),
                texts().map(text -> List.of(message("system", NODES.textNode(text)))),
                texts().map(text -> List.of(message("developer", textParts(text)))));
        Arbitrary<List<JsonNode>> turns = chatExchange().list().ofMinSize(0).ofMaxSize(3)
                .map(exchanges -> exchanges.stream().flatMap(List::stream).toList());
        Arbitrary<JsonNode> last = Arbitraries.oneOf(chatUser(), texts().map(text -> {
            ObjectNode tool = message("tool", NODES.textNode(text));
            tool.put("tool_call_id", "call_1");
            return tool;
        }));
        Arbitrary<ObjectNode> stream = Arbitraries.of(0, 1, 2, 3).map(kind -> {
            ObjectNode flags = NODES.objectNode();
            switch (kind) {
                case 1 -> flags.put("stream", false);
                case 2 -> flags.put("stream", true);
                case 3 -> {
                    flags.put("stream", true);
                    flags.putObject("stream_options").put("include_usage", true);
                }
                default -> {
                    // absent: not streamed
                }
            }
            return flags;
        });
        return Combinators.combine(models(), system, turns, last, stream, chatExtras())
                .as((model, sys, earlier, lastMessage, flags, extras) -> {
                    ObjectNode root = NODES.objectNode();
                    root.put("model", model);
                    ArrayNode messages = root.putArray("messages");
                    sys.forEach(messages::add);
                    earlier.forEach(messages::add);
                    messages.add(lastMessage);
                    root.setAll(flags);
                    root.setAll(extras);
                    return root;
                });
    }

    /** A user message, then the assistant's reply, with tool calls and their results when it made some. */
    private static Arbitrary<List<JsonNode>> chatExchange() {
        Arbitrary<List<JsonNode>> plain = Combinators.combine(chatUser(), texts())
                .as((user, reply) -> List.of(user, message("assistant", NODES.textNode(reply))));
        Arbitrary<List<JsonNode>> tools = Combinators.combine(chatUser(), toolCall().list().ofMinSize(1).ofMaxSize(3),
                Arbitraries.of(true, false), texts()).as((user, calls, nullContent, result) -> {
                    List<JsonNode> out = new ArrayList<>();
                    out.add(user);
                    ObjectNode assistant = NODES.objectNode().put("role", "assistant");
                    if (nullContent) {
                        assistant.putNull("content");
                    } else {
                        assistant.put("content", "Let me check.");
                    }
                    ArrayNode toolCalls = assistant.putArray("tool_calls");
                    calls.forEach(toolCalls::add);
                    out.add(assistant);
                    for (ObjectNode call : calls) {
                        ObjectNode tool = message("tool", NODES.textNode(result));
                        tool.put("tool_call_id", call.get("id").asText());
                        out.add(tool);
                    }
                    return out;
                });
        return Arbitraries.oneOf(plain, tools);
    }

    private static Arbitrary<ObjectNode> toolCall() {
        return Combinators.combine(OddText.name(), OddText.name(), toolArguments()).as((id, name, arguments) -> {
            ObjectNode call = NODES.objectNode().put("id", id).put("type", "function");
            call.putObject("function").put("name", name).put("arguments", arguments);
            return call;
        });
    }

    private static Arbitrary<JsonNode> chatUser() {
        Arbitrary<JsonNode> part = Arbitraries.oneOf(
                texts().map(text -> NODES.objectNode().put("type", "text").put("text", text)),
                Arbitraries.of("image/png", "image/jpeg", "IMAGE/WEBP", "image/gif").map(type -> {
                    ObjectNode image = NODES.objectNode().put("type", "image_url");
                    image.putObject("image_url").put("url", "data:" + type + ";base64," + PNG).put("detail", "auto");
                    return image;
                }),
                Arbitraries.just(NODES.objectNode().put("type", "image_url")
                        .put("image_url", "data:image/png;charset=utf-8;base64," + PNG)),
                OddText.dataUrlWithParameters().filter(url -> url.endsWith(PNG)).map(url -> {
                    ObjectNode image = NODES.objectNode().put("type", "image_url");
                    image.putObject("image_url").put("url", url);
                    return image;
                }));
        return Arbitraries.oneOf(
                texts().map(text -> message("user", NODES.textNode(text))),
                part.list().ofMinSize(1).ofMaxSize(4).map(parts -> {
                    ArrayNode content = NODES.arrayNode();
                    parts.forEach(p -> content.add(p.deepCopy()));
                    return message("user", content);
                }));
    }

    private static Arbitrary<ObjectNode> chatExtras() {
        return Arbitraries.of(0, 1, 2, 3).map(kind -> {
            ObjectNode extras = NODES.objectNode();
            if (kind >= 1) {
                extras.put("temperature", 0.7).put("max_tokens", 256).put("n", 1).put("user", "u-1");
            }
            if (kind >= 2) {
                ObjectNode tool = extras.putArray("tools").addObject().put("type", "function");
                ObjectNode function = tool.putObject("function").put("name", "get_weather")
                        .put("description", "Weather for a city");
                function.putObject("parameters").put("type", "object").putObject("properties")
                        .putObject("city").put("type", "string");
                extras.put("tool_choice", "auto");
            }
            if (kind == 3) {
                extras.putObject("response_format").put("type", "text");
                extras.putObject("metadata").put("k", "v");
            }
            return extras;
        });
    }

    private static ObjectNode message(String role, JsonNode content) {
        ObjectNode message = NODES.objectNode().put("role", role);
        message.set("content", content);
        return message;
    }

    private static ArrayNode textParts(String text) {
        ArrayNode parts = NODES.arrayNode();
        parts.addObject().put("type", "text").put("text", text);
        return parts;
    }

    // ---------------------------------------------------------------- Anthropic messages and count_tokens

    static Arbitrary<ObjectNode> messagesRequests() {
        return anthropicRequests(true);
    }

    static Arbitrary<ObjectNode> countTokensRequests() {
        return anthropicRequests(false);
    }

    /** What the Anthropic SDKs send along, or nothing. */
    static Arbitrary<String[]> anthropicHeaders() {
        return Arbitraries.of(
                new String[0],
                new String[] {"anthropic-version: 2023-06-01"},
                new String[] {"anthropic-version: 2023-06-01", "anthropic-beta: prompt-caching-2024-07-31"});
    }

    private static Arbitrary<ObjectNode> anthropicRequests(boolean messagesEndpoint) {
        Arbitrary<JsonNode> system = Arbitraries.oneOf(
                Arbitraries.just(NODES.missingNode()),
                texts().map(NODES::textNode),
                texts().list().ofMinSize(0).ofMaxSize(3).map(texts -> {
                    ArrayNode blocks = NODES.arrayNode();
                    texts.forEach(text -> blocks.addObject().put("type", "text").put("text", text)
                            .putObject("cache_control").put("type", "ephemeral"));
                    return blocks;
                }));
        Arbitrary<List<JsonNode>> exchanges = anthropicExchange().list().ofMinSize(0).ofMaxSize(3)
                .map(list -> list.stream().flatMap(List::stream).toList());
        Arbitrary<List<JsonNode>> end = Arbitraries.oneOf(
                anthropicUser().map(List::of),
                Combinators.combine(anthropicUser(), texts()).as((user, prefill) ->
                        List.of(user, NODES.objectNode().put("role", "assistant").put("content", prefill))));
        Arbitrary<Integer> maxTokens = Arbitraries.of(1, 16, 1024, 8192, Integer.MAX_VALUE);
        Arbitrary<Integer> flags = Arbitraries.of(0, 1, 2);
        return Combinators.combine(models(), system, exchanges, end, maxTokens, flags, anthropicExtras())
                .as((model, sys, earlier, last, max, streamKind, extras) -> {
                    ObjectNode root = NODES.objectNode();
                    root.put("model", model);
                    if (messagesEndpoint) {
                        root.put("max_tokens", max);
                        if (streamKind > 0) {
                            root.put("stream", streamKind == 2);
                        }
                    }
                    if (!sys.isMissingNode()) {
                        root.set("system", sys);
                    }
                    ArrayNode messages = root.putArray("messages");
                    earlier.forEach(messages::add);
                    last.forEach(messages::add);
                    root.setAll(extras);
                    return root;
                });
    }

    /** A user message, then the assistant's answer: text, thinking, tool calls, and the user's tool results. */
    private static Arbitrary<List<JsonNode>> anthropicExchange() {
        Arbitrary<JsonNode> assistantBlock = Arbitraries.oneOf(
                texts().map(text -> NODES.objectNode().put("type", "text").put("text", text)),
                texts().map(text -> NODES.objectNode().put("type", "thinking").put("thinking", text)
                        .put("signature", "sig")),
                Arbitraries.just(NODES.objectNode().put("type", "redacted_thinking").put("data", "opaque")));
        Arbitrary<List<JsonNode>> withTools = Combinators.combine(anthropicUser(),
                assistantBlock.list().ofMaxSize(2), toolUse().list().ofMinSize(1).ofMaxSize(2), toolResultContent())
                .as((user, blocks, uses, resultContent) -> {
                    ArrayNode assistant = NODES.arrayNode();
                    blocks.forEach(b -> assistant.add(b.deepCopy()));
                    uses.forEach(assistant::add);
                    ArrayNode results = NODES.arrayNode();
                    for (ObjectNode use : uses) {
                        ObjectNode result = results.addObject().put("type", "tool_result")
                                .put("tool_use_id", use.get("id").asText());
                        if (!resultContent.isMissingNode()) {
                            result.set("content", resultContent.deepCopy());
                        }
                    }
                    results.addObject().put("type", "text").put("text", "Go on.");
                    return List.of(user, message("assistant", assistant), message("user", results));
                });
        Arbitrary<List<JsonNode>> plain = Combinators.combine(anthropicUser(), assistantBlock.list().ofMinSize(1)
                .ofMaxSize(3)).as((user, blocks) -> {
                    ArrayNode assistant = NODES.arrayNode();
                    blocks.forEach(b -> assistant.add(b.deepCopy()));
                    return List.of(user, message("assistant", assistant));
                });
        return Arbitraries.oneOf(plain, withTools);
    }

    private static Arbitrary<ObjectNode> toolUse() {
        Arbitrary<JsonNode> input = Arbitraries.oneOf(
                Arbitraries.just(NODES.objectNode()),
                texts().map(text -> NODES.objectNode().put("query", text)),
                // nested as deep as a valid request can: the input sits 5 levels down in the body
                Arbitraries.of(2, 64, 500, 990, 994).map(RequestBodies::nestedObject));
        return Combinators.combine(OddText.name(), OddText.name(), input).as((id, name, in) -> {
            ObjectNode use = NODES.objectNode().put("type", "tool_use").put("id", id).put("name", name);
            use.set("input", in);
            return use;
        });
    }

    private static Arbitrary<JsonNode> toolResultContent() {
        return Arbitraries.oneOf(
                Arbitraries.just(NODES.missingNode()),
                texts().map(NODES::textNode),
                texts().map(text -> {
                    ArrayNode parts = NODES.arrayNode();
                    parts.addObject().put("type", "text").put("text", text);
                    parts.add(image("image/png"));
                    return parts;
                }));
    }

    private static Arbitrary<JsonNode> anthropicUser() {
        Arbitrary<JsonNode> block = Arbitraries.oneOf(
                texts().map(text -> NODES.objectNode().put("type", "text").put("text", text)),
                Arbitraries.of("image/png", "image/jpeg", "image/gif", "image/webp").map(RequestBodies::image));
        return Arbitraries.oneOf(
                texts().map(text -> message("user", NODES.textNode(text))),
                block.list().ofMinSize(1).ofMaxSize(3).map(blocks -> {
                    ArrayNode content = NODES.arrayNode();
                    blocks.forEach(b -> content.add(b.deepCopy()));
                    return message("user", content);
                }));
    }

    private static ObjectNode image(String mediaType) {
        ObjectNode image = NODES.objectNode().put("type", "image");
        image.putObject("source").put("type", "base64").put("media_type", mediaType).put("data", PNG);
        return image;
    }

    private static Arbitrary<ObjectNode> anthropicExtras() {
        return Arbitraries.of(0, 1, 2).map(kind -> {
            ObjectNode extras = NODES.objectNode();
            if (kind >= 1) {
                extras.put("temperature", 1.0).putObject("metadata").put("user_id", "u-1");
                extras.putArray("stop_sequences").add("STOP");
            }
            if (kind == 2) {
                ObjectNode tool = extras.putArray("tools").addObject().put("name", "get_weather")
                        .put("description", "Weather for a city");
                tool.putObject("input_schema").put("type", "object");
                extras.putObject("tool_choice").put("type", "auto");
                // adaptive: valid with any max_tokens (a budget must be below it)
                extras.putObject("thinking").put("type", "adaptive");
            }
            return extras;
        });
    }
}
