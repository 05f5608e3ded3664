package dev.claudemaxapi.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import dev.claudemaxapi.fuzz.WireRequests.Kind;
import dev.claudemaxapi.fuzz.WireRequests.Wire;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * {@code GET /v1/models/{id}} with odd ids: any string percent-encoded as a client library would, and junk written
 * into the request line as it is (broken escapes, encoded slashes and invalid UTF-8, raw non-ASCII bytes). The
 * answer is the model (200) or an error in the shape of the API asked (Anthropic's with an {@code anthropic-version}
 * header), never a server error.
 */
@AddLifecycleHook(FuzzBudget.class)
class ModelLookupFuzzTest extends AgainstFuzzServer {

    @Property
    void anyEncodedModelIdIsFoundOrNotFound(@ForAll("ids") String id, @ForAll boolean anthropic) {
        Wire request = WireRequests.modelLookup(percentEncoded(id).getBytes(StandardCharsets.US_ASCII), anthropic,
                "id " + OddText.show(id, 200) + " percent-encoded");

        FuzzServer.Reply reply = check(server, request);

        boolean foundOrNot = reply.status() == 200 || reply.status() == 404;
        Answers.fail(foundOrNot ? List.of() : List.of("neither found nor not found"), reply, request.toString());
    }

    @Property
    void anyJunkInTheModelPathIsAnsweredWithoutA5xx(@ForAll("junkSegments") List<String> junk,
            @ForAll boolean anthropic) {
        String segment = String.join("", junk);
        Wire request = WireRequests.modelLookup(segment.getBytes(StandardCharsets.UTF_8), anthropic,
                "path segment " + OddText.show(segment, 200) + " as UTF-8");

        check(server, request);
    }

    /**
     * A lookup with a target that is a URI is answered with the model or an error in shape; one that is no URI gets
     * a 400 or is closed (its error shape is {@link MalformedHttpFuzzTest}'s concern). Never a turn, never a 5xx.
     */
    static FuzzServer.Reply check(FuzzServer server, Wire request) {
        FuzzServer.Reply reply = server.sendBytes(request.bytes(), false);

        List<String> wrong = new ArrayList<>();
        if (request.kind() == Kind.MALFORMED) {
            if (reply.status() != 0 && reply.status() != 400) {
                wrong.add("not a 400");
            }
        } else if (reply.status() == 200) {
            JsonNode model = Answers.parse(reply.body());
            if (model == null || !model.isObject() || !model.path("id").isTextual()) {
                wrong.add("a 200 that is not a model");
            }
        } else if (reply.status() == 0) {
            wrong.add("no response");
        } else {
            if (reply.status() >= 500) {
                wrong.add("a server error");
            }
            wrong.addAll(Answers.errorShape(reply, request.shape()));
        }
        if (reply.turnsStarted() != 0) {
            wrong.add(reply.turnsStarted() + " turns started");
        }
        Answers.fail(wrong, reply, request.toString());
        Answers.noProblems(reply, request.toString());
        return reply;
    }

    /** Every byte of the UTF-8 form but the unreserved ones as %XX, as URL-building libraries do. */
    static String percentEncoded(String id) {
        StringBuilder out = new StringBuilder();
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }

    @Provide
    Arbitrary<String> ids() {
        return Arbitraries.oneOf(
                Arbitraries.of("sonnet", "opus", "claude-sonnet-5-5", "claude-opus-4-20250514", "claude-x[1m]",
                        "claude-code-cli/sonnet", "gpt-4o", "SONNET", " sonnet", "sonnet ", ".", "..", "%", "+"),
                OddText.oddString(),
                Arbitraries.strings().ofMinLength(1).ofMaxLength(30),
                OddText.name().map(name -> "claude-" + name),
                Arbitraries.of(1_000, 8_000, 60_000).map("a"::repeat));
    }

    @Provide
    Arbitrary<List<String>> junkSegments() {
        return WireRequests.junkSegments();
    }
}
