package dev.claudemaxapi.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Streams chat completions and times them: first content token and whole answer. */
final class ChatClient {
    /** @param toolCallId the id of the tool call the answer ended with, if it called one */
    record Timing(double firstTokenMillis, double totalMillis, String text, Optional<String> toolCallId) {}

    private static final String TOOL_CALL_ID = "\"tool_calls\":[{\"index\":0,\"id\":\"";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String url;

    ChatClient(int port) {
        this.url = "http://127.0.0.1:" + port + "/v1/chat/completions";
    }

    /** @param history alternating user and assistant texts, ending with the new user text */
    Timing send(List<String> history) throws IOException, InterruptedException {
        StringBuilder messages = new StringBuilder("[");
        for (int i = 0; i < history.size(); i++) {
            if (i > 0) {
                messages.append(',');
            }
            messages.append("{\"role\":\"").append(i % 2 == 0 ? "user" : "assistant").append("\",\"content\":\"")
                    .append(history.get(i).replace("\\", "\\\\").replace("\"", "\\\"")).append("\"}");
        }
        messages.append(']');
        return sendBody("{\"model\":\"sonnet\",\"stream\":true,\"messages\":" + messages + "}");
    }

    /** Streams a request whose body is given whole. */
    Timing sendBody(String body) throws IOException, InterruptedException {
        long start = System.nanoTime();
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(java.time.Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw new IOException("status " + response.statusCode() + ": "
                    + new String(response.body().readAllBytes(), StandardCharsets.UTF_8));
        }
        double first = -1;
        StringBuilder text = new StringBuilder();
        Optional<String> toolCallId = Optional.empty();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("data: {\"error\"")) {
                    throw new IOException("in-band error: " + line);
                }
                int at = line.indexOf("\"delta\":{\"content\":\"");
                if (at >= 0) {
                    String piece = line.substring(at + 20, line.indexOf('"', at + 20));
                    if (!piece.isEmpty()) {
                        if (first < 0) {
                            first = (System.nanoTime() - start) / 1e6;
                        }
                        text.append(piece);
                    }
                }
                int call = line.indexOf(TOOL_CALL_ID);
                if (call >= 0) {
                    int from = call + TOOL_CALL_ID.length();
                    toolCallId = Optional.of(line.substring(from, line.indexOf('"', from)));
                }
                if (line.equals("data: [DONE]")) {
                    break;
                }
            }
        }
        return new Timing(first, (System.nanoTime() - start) / 1e6, text.toString(), toolCallId);
    }

    /** A whole Responses API answer: how long it took, and the response's id to continue it with. */
    record Reply(double totalMillis, String id) {}

    /** Sends {@code input} to {@code POST /v1/responses}, continuing {@code previousId} when given. */
    Reply respond(String input, Optional<String> previousId) throws IOException, InterruptedException {
        String body = "{\"model\":\"sonnet\",\"input\":\"" + input + "\""
                + previousId.map(id -> ",\"previous_response_id\":\"" + id + "\"").orElse("") + "}";
        long start = System.nanoTime();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url.replace(
                "/v1/chat/completions", "/v1/responses"))).timeout(java.time.Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        double total = (System.nanoTime() - start) / 1e6;
        if (response.statusCode() != 200) {
            throw new IOException("status " + response.statusCode() + ": " + response.body());
        }
        int at = response.body().indexOf("\"id\":\"") + 6;
        return new Reply(total, response.body().substring(at, response.body().indexOf('"', at)));
    }

    static List<String> extend(List<String> history, String answer, String next) {
        List<String> longer = new ArrayList<>(history);
        longer.add(answer);
        longer.add(next);
        return longer;
    }
}
