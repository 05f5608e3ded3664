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
        MessagesRequest request = decoder.decode(call.body(), MessagesRequestDecoder.Endpoint.MESSAGES);
        call.log.model = request.requestedModel();
        runner.run(call, request.turn(), request.stream(),
                new AnswerRunner.Format(encoder.streamEncoder(), encoder::encode));
    }
}
