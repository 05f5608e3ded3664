package dev.claudemaxapi.http;

import dev.claudemaxapi.api.anthropic.MessagesRequest;
import dev.claudemaxapi.api.anthropic.MessagesRequestDecoder;
import dev.claudemaxapi.api.anthropic.MessagesResponseEncoder;
import dev.claudemaxapi.api.openai.ChatRequest;
import dev.claudemaxapi.api.openai.ChatRequestDecoder;
import dev.claudemaxapi.api.openai.ChatResponseEncoder;
import dev.claudemaxapi.api.openai.CompletionsRequest;
import dev.claudemaxapi.api.openai.CompletionsRequestDecoder;
import dev.claudemaxapi.api.openai.CompletionsResponseEncoder;
import dev.claudemaxapi.api.openai.ResponsesEncoder;
import dev.claudemaxapi.api.openai.ResponsesRequest;
import dev.claudemaxapi.api.openai.ResponsesRequestDecoder;
import dev.claudemaxapi.core.Caller;

/**
 * What one API adds to the {@link AnswerRoute}: its request read into a neutral turn, and how its answers are
 * written, whole and streamed. A new API is one more of these.
 */
sealed interface AnswerCodec {
    /**
     * @throws dev.claudemaxapi.core.ProxyException (400) for a request the API would refuse
     */
    AnswerRunner.Request decode(byte[] body, Caller caller);

    /** OpenAI {@code POST /v1/chat/completions}. */
    record ChatCompletions(ChatRequestDecoder decoder, ChatResponseEncoder encoder) implements AnswerCodec {
        @Override
        public AnswerRunner.Request decode(byte[] body, Caller caller) {
            ChatRequest request = decoder.decode(body);
            return new AnswerRunner.Request(request.turn(), request.requestedModel(), request.stream(),
                    new AnswerRunner.Format(encoder.streamEncoder(request.includeUsage(), request.reasoning()),
                            completion -> encoder.encode(completion, request.reasoning())));
        }
    }

    /** OpenAI's legacy {@code POST /v1/completions}. */
    record TextCompletions(CompletionsRequestDecoder decoder, CompletionsResponseEncoder encoder)
            implements AnswerCodec {
        @Override
        public AnswerRunner.Request decode(byte[] body, Caller caller) {
            CompletionsRequest request = decoder.decode(body);
            return new AnswerRunner.Request(request.turn(), request.requestedModel(), request.stream(),
                    new AnswerRunner.Format(encoder.streamEncoder(request.includeUsage()), encoder::encode));
        }
    }

    /** OpenAI {@code POST /v1/responses}; the caller's stored responses can be continued. */
    record Responses(ResponsesRequestDecoder decoder, ResponsesEncoder encoder) implements AnswerCodec {
        @Override
        public AnswerRunner.Request decode(byte[] body, Caller caller) {
            ResponsesRequest request = decoder.decode(body, caller);
            return new AnswerRunner.Request(request.turn(), request.requestedModel(), request.stream(),
                    new AnswerRunner.Format(encoder.streamEncoder(request),
                            completion -> encoder.encode(completion, request)));
        }
    }

    /** Anthropic {@code POST /v1/messages}. */
    record Messages(MessagesRequestDecoder decoder, MessagesResponseEncoder encoder) implements AnswerCodec {
        @Override
        public AnswerRunner.Request decode(byte[] body, Caller caller) {
            MessagesRequest request = decoder.decode(body, MessagesRequestDecoder.Endpoint.MESSAGES);
            return new AnswerRunner.Request(request.turn(), request.requestedModel(), request.stream(),
                    new AnswerRunner.Format(encoder.streamEncoder(request.thinkingBlocks()),
                            completion -> encoder.encode(completion, request.thinkingBlocks())));
        }
    }
}
