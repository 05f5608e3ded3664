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
 * {@code POST /v1/chat/completions} with valid bodies (text, image data URLs, tool calls and tool results, odd
 * Unicode in names and ids), streamed and not, and with those bodies broken at random places.
 */
@AddLifecycleHook(FuzzBudget.class)
class ChatCompletionsFuzzTest extends AgainstFuzzServer {
    private static final String PATH = "/v1/chat/completions";

    @Property
    void anyValidChatRequestGetsTheWholeAnswer(@ForAll("validChatRequests") Body body) {
        byte[] bytes = body.bytes();
        Assume.that(bytes.length <= FuzzServer.MAX_BODY_BYTES);

        FuzzServer.Reply reply = server.post(PATH, bytes);

        Answers.check(reply, Shape.OPENAI, true, body.toString());
        Answers.expectSuccess(reply, body.toString());
        Answers.noProblems(reply, body.toString());
    }

    @Property
    void anyMutatedChatRequestIsAnsweredWithoutA5xx(@ForAll("mutatedChatRequests") Body body) {
        FuzzServer.Reply reply = server.post(PATH, body.bytes());

        Answers.check(reply, Shape.OPENAI, true, body.toString());
        Answers.noProblems(reply, body.toString());
    }

    @Provide
    Arbitrary<Body> validChatRequests() {
        return JsonMutations.unchanged(RequestBodies.chatRequests());
    }

    @Provide
    Arbitrary<Body> mutatedChatRequests() {
        return JsonMutations.mutated(RequestBodies.chatRequests());
    }
}
