package dev.claudemaxapi.fuzz;

import dev.claudemaxapi.fuzz.Answers.Shape;
import dev.claudemaxapi.fuzz.JsonMutations.Body;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/** {@code POST /v1/messages/count_tokens}, which never starts a turn, with valid and broken bodies. */
@AddLifecycleHook(FuzzBudget.class)
class CountTokensFuzzTest extends AgainstFuzzServer {
    private static final String PATH = "/v1/messages/count_tokens";

    @Property
    void anyValidCountTokensRequestIsCounted(@ForAll("validCountTokensRequests") Body body,
            @ForAll("anthropicHeaders") String[] headers) {
        byte[] bytes = body.bytes();
        Assume.that(bytes.length <= FuzzServer.MAX_BODY_BYTES);

        FuzzServer.Reply reply = server.post(PATH, bytes, headers);

        Answers.check(reply, Shape.ANTHROPIC, false, body.toString());
        Answers.expectSuccess(reply, body.toString());
        Answers.noProblems(reply, body.toString());
    }

    @Property
    void anyMutatedCountTokensRequestIsAnsweredWithoutA5xx(@ForAll("mutatedCountTokensRequests") Body body,
            @ForAll("anthropicHeaders") String[] headers) {
        FuzzServer.Reply reply = server.post(PATH, body.bytes(), headers);

        Answers.check(reply, Shape.ANTHROPIC, false, body.toString());
        Answers.noProblems(reply, body.toString());
    }

    @Provide
    Arbitrary<Body> validCountTokensRequests() {
        return JsonMutations.unchanged(RequestBodies.countTokensRequests());
    }

    @Provide
    Arbitrary<Body> mutatedCountTokensRequests() {
        return JsonMutations.mutated(RequestBodies.countTokensRequests());
    }

    @Provide
    Arbitrary<String[]> anthropicHeaders() {
        return RequestBodies.anthropicHeaders();
    }
}
