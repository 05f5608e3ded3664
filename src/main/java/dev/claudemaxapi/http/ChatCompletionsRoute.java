package dev.claudemaxapi.http;

import dev.claudemaxapi.api.openai.ChatRequest;
import dev.claudemaxapi.api.openai.ChatRequestDecoder;
import dev.claudemaxapi.api.openai.ChatResponseEncoder;
import java.io.IOException;

/** {@code POST /v1/chat/completions}. */
final class ChatCompletionsRoute implements Route {
    private final ChatRequestDecoder decoder;
    private final ChatResponseEncoder encoder;
    private final AnswerRunner runner;

    ChatCompletionsRoute(ChatRequestDecoder decoder, ChatResponseEncoder encoder, AnswerRunner runner) {
        this.decoder = decoder;
        this.encoder = encoder;
        this.runner = runner;
    }

    @Override
    public void handle(HttpCall call) throws IOException, InterruptedException {
        runner.run(call, body -> {
            ChatRequest request = decoder.decode(body);
            return new AnswerRunner.Request(request.turn(), request.requestedModel(), request.stream(),
                    new AnswerRunner.Format(encoder.streamEncoder(request.includeUsage()), encoder::encode));
        });
    }
}
