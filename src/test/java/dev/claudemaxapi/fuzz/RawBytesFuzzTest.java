package dev.claudemaxapi.fuzz;

import dev.claudemaxapi.fuzz.WireRequests.Kind;
import dev.claudemaxapi.fuzz.WireRequests.Wire;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Requests written byte for byte on a socket, so what reaches the server is exactly what was generated: bodies that
 * are not UTF-8 or not whole, and bodies framed oddly (wrong or repeated Content-Length, hand-made chunking, both
 * framings at once, an unknown Transfer-Encoding, a client that stops mid-body).
 */
@AddLifecycleHook(FuzzBudget.class)
class RawBytesFuzzTest extends AgainstFuzzServer {

    @Property
    void anyByteMutatedBodyIsAnsweredWithoutA5xx(@ForAll("byteMutatedBodies") Wire request) {
        check(request);
    }

    @Property
    void anyFramingOfABodyIsAnsweredWithoutA5xx(@ForAll("oddlyFramedBodies") Wire request) {
        check(request);
    }

    /**
     * A whole request is answered as any other; an unfinished one may be closed instead; one HTTP forbids gets a 400
     * or is closed, without a turn (its error shape is {@link MalformedHttpFuzzTest}'s concern).
     */
    static void check(FuzzServer server, Wire request) {
        FuzzServer.Reply reply = server.sendBytes(request.bytes(), request.halfClose());

        if (request.kind() == Kind.WHOLE || (request.kind() == Kind.UNFINISHED && reply.status() != 0)) {
            Answers.check(reply, request.shape(), request.endpoint().startsTurns, request.toString());
        } else {
            List<String> wrong = new ArrayList<>();
            if (reply.status() != 0 && reply.status() != 400) {
                wrong.add(request.kind() == Kind.MALFORMED ? "not a 400" : "neither an answer nor a close");
            }
            if (reply.turnsStarted() != 0) {
                wrong.add(reply.turnsStarted() + " turns started");
            }
            Answers.fail(wrong, reply, request.toString());
        }
        Answers.noProblems(reply, request.toString());
    }

    private static void check(Wire request) {
        check(server, request);
    }

    @Provide
    Arbitrary<Wire> byteMutatedBodies() {
        return WireRequests.byteMutatedBodies();
    }

    @Provide
    Arbitrary<Wire> oddlyFramedBodies() {
        return WireRequests.oddlyFramedBodies();
    }
}
