package dev.claudemaxapi.http;

import dev.claudemaxapi.api.anthropic.MessagesRequest;
import dev.claudemaxapi.api.anthropic.MessagesRequestDecoder;
import dev.claudemaxapi.api.anthropic.MessagesResponseEncoder;
import java.io.IOException;

/** {@code POST /v1/messages}. */
final class MessagesRoute implements Route {
    private final MessagesRequestDecoder decoder;
    private final MessagesResponseEncoder encoder;
    private final AnswerRunner runner;

    MessagesRoute(MessagesRequestDecoder decoder, MessagesResponseEncoder encoder, AnswerRunner runner) {
        this.decoder = decoder;
        this.encoder = encoder;
        this.runner = runner;
    }

    @Override
    public void handle(HttpCall call) throws IOException, InterruptedException {
        runner.run(call, body -> {
            MessagesRequest request = decoder.decode(body, MessagesRequestDecoder.Endpoint.MESSAGES);
            return new AnswerRunner.Request(request.turn(), request.requestedModel(), request.stream(),
                    new AnswerRunner.Format(encoder.streamEncoder(), encoder::encode));
        });
    }
}
