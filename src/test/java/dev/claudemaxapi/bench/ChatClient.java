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

/** Streams chat completions and times them: first content token and whole answer. */
final class ChatClient {
    record Timing(double firstTokenMillis, double totalMillis, String text) {}

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
        String body = "{\"model\":\"sonnet\",\"stream\":true,\"messages\":" + messages + "}";
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
                if (line.equals("data: [DONE]")) {
                    break;
                }
            }
        }
        return new Timing(first, (System.nanoTime() - start) / 1e6, text.toString());
    }

    static List<String> extend(List<String> history, String answer, String next) {
        List<String> longer = new ArrayList<>(history);
        longer.add(answer);
        longer.add(next);
        return longer;
    }
}
