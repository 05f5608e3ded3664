package dev.claudemaxapi.fuzz;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What every answer of the server must look like, checked strictly: a success is a whole answer from the scripted
 * engine with exactly one turn started for it, anything else a 4xx in the endpoint's own error shape with no turn
 * started, and never a 5xx.
 */
final class Answers {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Answers() {}

    enum Shape { OPENAI, ANTHROPIC }

    /** The answer to a chat completions, messages or count_tokens request. */
    static void check(FuzzServer.Reply reply, Shape shape, boolean startsTurns, String request) {
        List<String> wrong = new ArrayList<>();
        if (reply.status() == 0) {
            fail(List.of("no response"), reply, request);
        }
        if (reply.status() >= 500) {
            wrong.add("a server error");
        }
        if (reply.status() == 200) {
            if (reply.turnsStarted() != (startsTurns ? 1 : 0)) {
                wrong.add("a success for which " + reply.turnsStarted() + " turns were started");
            }
            wrong.addAll(success(reply, shape, startsTurns));
        } else {
            if (reply.status() < 400) {
                wrong.add("neither a success nor an error");
            }
            if (reply.turnsStarted() != 0) {
                wrong.add("an error for which " + reply.turnsStarted() + " turns were started");
            }
            wrong.addAll(errorShape(reply, shape));
        }
        fail(wrong, reply, request);
    }

    /** The request was valid: anything but a success is wrong. */
    static void expectSuccess(FuzzServer.Reply reply, String request) {
        fail(reply.status() == 200 ? List.of() : List.of("a valid request was refused"), reply, request);
    }

    static void fail(List<String> wrong, Object reply, String request) {
        if (!wrong.isEmpty()) {
            throw new AssertionError(String.join("; ", wrong) + "\nrequest: " + request + "\nresponse: " + reply);
        }
    }

    private static List<String> success(FuzzServer.Reply reply, Shape shape, boolean startsTurns) {
        String type = String.valueOf(reply.contentType());
        String body = reply.body();
        if (!startsTurns) {
            JsonNode count = parse(body);
            return count != null && count.size() == 1 && count.path("input_tokens").isIntegralNumber()
                    && count.path("input_tokens").longValue() > 0
                    ? List.of() : List.of("not a token count");
        }
        if (type.startsWith("text/event-stream")) {
            boolean whole = shape == Shape.OPENAI
                    ? body.contains("\"content\":\"" + FuzzServer.HELLO + "\"") && body.endsWith("data: [DONE]\n\n")
                    : body.contains("\"text\":\"" + FuzzServer.HELLO + "\"") && body.contains("event: message_stop");
            return whole ? List.of() : List.of("not a whole streamed answer");
        }
        JsonNode answer = parse(body);
        boolean whole = answer != null && (shape == Shape.OPENAI
                ? answer.path("object").asText().equals("chat.completion")
                        && answer.path("choices").path(0).path("message").path("content").asText()
                                .equals(FuzzServer.HELLO)
                : answer.path("type").asText().equals("message")
                        && answer.path("content").path(0).path("text").asText().equals(FuzzServer.HELLO));
        return whole && type.equals("application/json") ? List.of() : List.of("not a whole answer");
    }

    /**
     * OpenAI's {@code {"error":{"message":string,"type":string,"param":string|null,"code":string|null}}} or
     * Anthropic's {@code {"type":"error","error":{"type":string,"message":string}}}, nothing more, as JSON.
     */
    static List<String> errorShape(FuzzServer.Reply reply, Shape shape) {
        List<String> wrong = new ArrayList<>();
        if (!"application/json".equals(reply.contentType())) {
            wrong.add("an error that is not application/json");
        }
        JsonNode root = parse(reply.body());
        if (root == null || !root.isObject()) {
            wrong.add("an error body that is not a JSON object");
            return wrong;
        }
        if (shape == Shape.OPENAI) {
            JsonNode error = root.get("error");
            boolean ok = fields(root).equals(Set.of("error")) && error.isObject()
                    && fields(error).equals(Set.of("message", "type", "param", "code"))
                    && nonEmptyText(error.get("message")) && nonEmptyText(error.get("type"))
                    && textOrNull(error.get("param")) && textOrNull(error.get("code"));
            if (!ok) {
                wrong.add("not in OpenAI's error shape");
            } else if (!OPENAI_TYPES.contains(error.get("type").asText())) {
                wrong.add("an OpenAI error type that is not a client error's");
            }
        } else {
            JsonNode error = root.get("error");
            boolean ok = fields(root).equals(Set.of("type", "error")) && root.get("type").asText().equals("error")
                    && root.get("type").isTextual() && error.isObject()
                    && fields(error).equals(Set.of("type", "message"))
                    && nonEmptyText(error.get("type")) && nonEmptyText(error.get("message"));
            if (!ok) {
                wrong.add("not in Anthropic's error shape");
            } else if (!ANTHROPIC_TYPES.contains(error.get("type").asText())) {
                wrong.add("an Anthropic error type that is not a client error's");
            }
        }
        return wrong;
    }

    private static final Set<String> OPENAI_TYPES = Set.of("invalid_request_error");
    private static final Set<String> ANTHROPIC_TYPES =
            Set.of("invalid_request_error", "not_found_error", "request_too_large");

    private static boolean nonEmptyText(JsonNode node) {
        return node != null && node.isTextual() && !node.asText().isEmpty();
    }

    private static boolean textOrNull(JsonNode node) {
        return node != null && (node.isTextual() || node.isNull());
    }

    private static Set<String> fields(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** No failure was logged and no exception went uncaught in the server while the request ran. */
    static void noProblems(FuzzServer.Reply reply, String request) {
        if (!reply.serverProblems().isEmpty()) {
            throw new AssertionError("the server logged a failure\nrequest: " + request + "\nresponse: " + reply);
        }
    }
}
