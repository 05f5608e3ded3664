package dev.claudemaxapi.http;

import java.io.IOException;

/**
 * The one route that answers a prompt, whatever API it came in: admission, the engine, streaming, errors and
 * disconnects are {@link AnswerRunner}'s; an API adds only its {@link AnswerCodec}.
 */
final class AnswerRoute implements Route {
    private final AnswerCodec codec;
    private final AnswerRunner runner;

    AnswerRoute(AnswerCodec codec, AnswerRunner runner) {
        this.codec = codec;
        this.runner = runner;
    }

    @Override
    public void handle(HttpCall call) throws IOException, InterruptedException {
        runner.run(call, codec::decode);
    }
}
