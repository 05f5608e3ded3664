package dev.claudemaxapi.fuzz;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.claudemaxapi.fuzz.Answers.Shape;
import java.util.function.Supplier;
import net.jqwik.api.Arbitrary;

/** The POST endpoints: where they are, what error shape they answer in, whether they start turns, valid bodies. */
enum Endpoint {
    CHAT_COMPLETIONS("/v1/chat/completions", Shape.OPENAI, true, RequestBodies::chatRequests),
    MESSAGES("/v1/messages", Shape.ANTHROPIC, true, RequestBodies::messagesRequests),
    COUNT_TOKENS("/v1/messages/count_tokens", Shape.ANTHROPIC, false, RequestBodies::countTokensRequests);

    final String path;
    final Shape shape;
    final boolean startsTurns;
    private final Supplier<Arbitrary<ObjectNode>> validBodies;

    Endpoint(String path, Shape shape, boolean startsTurns, Supplier<Arbitrary<ObjectNode>> validBodies) {
        this.path = path;
        this.shape = shape;
        this.startsTurns = startsTurns;
        this.validBodies = validBodies;
    }

    Arbitrary<ObjectNode> validBodies() {
        return validBodies.get();
    }
}
