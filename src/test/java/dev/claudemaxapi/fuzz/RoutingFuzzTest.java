package dev.claudemaxapi.fuzz;

import dev.claudemaxapi.fuzz.Answers.Shape;
import java.io.ByteArrayOutputStream;
import java.net.URI;
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
 * Every method on every endpoint and on paths next to them: an answer or an error in the shape of the API the path
 * belongs to (Anthropic's for {@code /v1/messages...} or with an {@code anthropic-version} header), never a 5xx,
 * and a turn only for a valid request to an endpoint that answers with one.
 */
@AddLifecycleHook(FuzzBudget.class)
class RoutingFuzzTest extends AgainstFuzzServer {
    private static final byte[] VALID = """
            {"model":"sonnet","max_tokens":16,"messages":[{"role":"user","content":"Hi"}]}"""
            .getBytes(StandardCharsets.UTF_8);

    @Property
    void anyMethodOnAnyPathIsAnsweredWithoutA5xx(@ForAll("methods") String method, @ForAll("paths") String path,
            @ForAll boolean anthropic, @ForAll boolean withBody) {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + (anthropic ? "anthropic-version: 2023-06-01\r\n" : "")
                + (withBody ? "Content-Type: application/json\r\nContent-Length: " + VALID.length + "\r\n" : "")
                + "\r\n").getBytes(StandardCharsets.US_ASCII));
        if (withBody) {
            request.writeBytes(VALID);
        }
        String described = method + " " + path + (anthropic ? " with anthropic-version" : "")
                + (withBody ? " with a valid body" : "");

        FuzzServer.Reply reply = server.sendBytes(request.toByteArray(), false);

        List<String> wrong = new ArrayList<>();
        if (!path.startsWith("/") && !path.startsWith("http://")) {
            // a request target HTTP forbids: no route sees it (its shape is MalformedHttpFuzzTest's concern)
            if (reply.status() != 0 && (reply.status() < 400 || reply.status() >= 500)) {
                wrong.add("neither a client error nor a close");
            }
            if (reply.turnsStarted() != 0) {
                wrong.add(reply.turnsStarted() + " turns started");
            }
        } else if (reply.status() == 0) {
            wrong.add("no response");
        } else if (reply.status() >= 500) {
            wrong.add("a server error");
        } else if (reply.status() >= 400) {
            wrong.addAll(Answers.errorShape(reply, shapeOf(path, anthropic)));
            if (reply.turnsStarted() != 0) {
                wrong.add("an error for which turns were started");
            }
        } else if (reply.turnsStarted() > (reply.body().contains(FuzzServer.HELLO) ? 1 : 0)) {
            wrong.add(reply.turnsStarted() + " turns started");
        }
        Answers.fail(wrong, reply, described);
        Answers.noProblems(reply, described);
    }

    /** The server's rule: Anthropic paths, and any request with Anthropic's version header, get Anthropic's shape. */
    private static Shape shapeOf(String target, boolean anthropic) {
        String path = URI.create(target).getRawPath();
        return anthropic || (path != null && path.startsWith("/v1/messages")) ? Shape.ANTHROPIC : Shape.OPENAI;
    }

    @Provide
    Arbitrary<String> methods() {
        return Arbitraries.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "FOO", "get",
                "post", "PROPFIND", "M-SEARCH");
    }

    @Provide
    Arbitrary<String> paths() {
        return Arbitraries.of("/health", "/v1/models", "/v1/models/sonnet", "/v1/models/gpt-4o", "/v1/chat/completions",
                "/v1/messages", "/v1/messages/count_tokens", "/v1/messages?beta=true", "/v1/chat/completions?x=%7A&y",
                "/v1/messages/", "/v1/models/", "/v1//models", "/V1/MESSAGES", "/", "/v1",
                "/v1/messages/count_tokens/x",
                "/v1/models/sonnet/extra", "/v1/chat/completions/../models", "/v1/messages;a=b", "/health/",
                "http://127.0.0.1/v1/models", "/v1/messages%2Fcount_tokens", "/%761/models",
                // not origin-form: only "OPTIONS *" is allowed, and nothing relative
                "*", "v1/models", "health");
    }
}
