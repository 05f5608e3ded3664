package dev.claudemaxapi.fuzz;

import dev.claudemaxapi.fuzz.Answers.Shape;
import dev.claudemaxapi.fuzz.JsonMutations.Body;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * {@code POST /v1/messages} with valid bodies (text, images, tool_use with inputs nested deep, tool_result, thinking,
 * system as a string or blocks), streamed and not, with and without Anthropic's headers, and broken at random places.
 */
@AddLifecycleHook(FuzzBudget.class)
class MessagesFuzzTest extends AgainstFuzzServer {
    private static final String PATH = "/v1/messages";

    @Property
    void anyValidMessagesRequestGetsTheWholeAnswer(@ForAll("validMessagesRequests") Body body,
            @ForAll("anthropicHeaders") String[] headers) {
        byte[] bytes = body.bytes();
        Assume.that(bytes.length <= FuzzServer.MAX_BODY_BYTES);

        FuzzServer.Reply reply = server.post(PATH, bytes, headers);

        Answers.check(reply, Shape.ANTHROPIC, true, body.toString());
        Answers.expectSuccess(reply, body.toString());
        Answers.noProblems(reply, body.toString());
    }

    @Property
    void anyMutatedMessagesRequestIsAnsweredWithoutA5xx(@ForAll("mutatedMessagesRequests") Body body,
            @ForAll("anthropicHeaders") String[] headers) {
        FuzzServer.Reply reply = server.post(PATH, body.bytes(), headers);

        Answers.check(reply, Shape.ANTHROPIC, true, body.toString());
        Answers.noProblems(reply, body.toString());
    }

    @Provide
    Arbitrary<Body> validMessagesRequests() {
        return JsonMutations.unchanged(RequestBodies.messagesRequests());
    }

    @Provide
    Arbitrary<Body> mutatedMessagesRequests() {
        return JsonMutations.mutated(RequestBodies.messagesRequests());
    }

    @Provide
    Arbitrary<String[]> anthropicHeaders() {
        return RequestBodies.anthropicHeaders();
    }
}
