package dev.claudemaxapi.http;

import dev.claudemaxapi.api.anthropic.MessagesRequest;
import dev.claudemaxapi.api.anthropic.MessagesRequestDecoder;
import dev.claudemaxapi.api.anthropic.MessagesResponseEncoder;
import dev.claudemaxapi.api.anthropic.TokenEstimator;
import java.io.IOException;

/** {@code POST /v1/messages/count_tokens}: a local estimate, without starting the CLI. */
final class CountTokensRoute implements Route {
    private final MessagesRequestDecoder decoder;
    private final MessagesResponseEncoder encoder;

    CountTokensRoute(MessagesRequestDecoder decoder, MessagesResponseEncoder encoder) {
        this.decoder = decoder;
        this.encoder = encoder;
    }

    @Override
    public void handle(HttpCall call) throws IOException, InterruptedException {
        MessagesRequest request = decoder.decode(call.body(), MessagesRequestDecoder.Endpoint.COUNT_TOKENS);
        call.log.model = request.requestedModel();
        call.sendJson(200, encoder.tokenCount(TokenEstimator.estimate(request.turn())));
    }
}
