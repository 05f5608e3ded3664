package dev.claudemaxapi.fuzz;

import dev.claudemaxapi.fuzz.JsonMutations.Body;
import dev.claudemaxapi.testing.RawHttp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * HTTP clients keep connections open and send their next request on them. Whatever a request was, after its answer
 * the server either said {@code Connection: close}, or the connection stays open and answers the next request: a
 * connection closed silently fails whichever request the client sends on it next.
 */
@AddLifecycleHook(FuzzBudget.class)
class ConnectionReuseFuzzTest extends AgainstFuzzServer {
    /** Long enough for a server that closes after its answer to have done so on loopback. */
    private static final Duration CLOSE_WAIT = Duration.ofMillis(20);
    private static final byte[] NEXT = """
            {"model":"sonnet","max_tokens":16,"messages":[{"role":"user","content":"And now?"}]}"""
            .getBytes(StandardCharsets.UTF_8);

    @Property
    void anyAnswerLeavesItsConnectionUsableOrSaysItIsClosed(@ForAll Endpoint endpoint,
            @ForAll("bodies") Body body) {
        byte[] bytes = body.bytes();
        String request = endpoint + " " + bytes.length + " bytes " + body;
        List<String> wrong = new ArrayList<>();

        FuzzServer.Reply next = server.counted(raw -> {
            raw.send(head(endpoint, bytes.length), bytes);
            FuzzServer.Reply first = FuzzServer.read(raw, null);
            if (first.status() == 0) {
                wrong.add("no response");
                return first;
            }
            boolean saidClose = "close".equalsIgnoreCase(first.connection());
            boolean closed = raw.closedWithin(CLOSE_WAIT);
            if (saidClose) {
                return first;
            }
            if (closed) {
                wrong.add("the connection was closed after a " + first.status() + " without Connection: close");
                return first;
            }
            return answerOfNext(raw, endpoint, wrong);
        });

        if (next.status() == 0 && wrong.isEmpty()) {
            wrong.add("no response");
        }
        Answers.fail(wrong, next, request);
        Answers.noProblems(next, request);
    }

    private static FuzzServer.Reply answerOfNext(RawHttp raw, Endpoint endpoint, List<String> wrong)
            throws IOException {
        raw.send(head(endpoint, NEXT.length), NEXT);
        FuzzServer.Reply second = FuzzServer.read(raw, null);
        if (second.status() != 200) {
            wrong.add("the next request on the connection got no answer");
        }
        return second;
    }

    private static List<String> head(Endpoint endpoint, int length) {
        return List.of("POST " + endpoint.path + " HTTP/1.1", "Host: " + server.host(),
                "Content-Type: application/json", "Content-Length: " + length);
    }

    @Provide
    Arbitrary<Body> bodies() {
        Arbitrary<Body> anyEndpoint = Arbitraries.of(Endpoint.class)
                .flatMap(endpoint -> JsonMutations.mutated(endpoint.validBodies()));
        // around the body limit, where the server answers before it has read the body
        Arbitrary<Body> large = Arbitraries.of(FuzzServer.MAX_BODY_BYTES - 100, FuzzServer.MAX_BODY_BYTES + 1,
                FuzzServer.MAX_BODY_BYTES + 70_000, 2 * FuzzServer.MAX_BODY_BYTES).map(size -> {
                    String padding = "x".repeat(Math.max(0, size - 80));
                    return new Body(RequestBodies.NODES.objectNode().put("model", "sonnet").put("max_tokens", 16)
                            .put("padding", padding), List.of("padded to " + size + " bytes"));
                });
        return Arbitraries.frequencyOf(
                Tuple.of(3, anyEndpoint),
                Tuple.of(1, large));
    }
}
