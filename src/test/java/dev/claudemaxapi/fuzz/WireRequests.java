package dev.claudemaxapi.fuzz;

import dev.claudemaxapi.fuzz.ByteMutations.Mutant;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** Whole requests as bytes on the wire: bodies broken below JSON, bodies framed oddly, odd request targets. */
final class WireRequests {
    private WireRequests() {}

    /** What a request is at the HTTP level, which decides what answers are right. */
    enum Kind {
        /** The server can find where the body ends: it must answer, in the endpoint's shape. */
        WHOLE,
        /** The client stops before the end of the body it announced: an answer in shape, or closing, is right. */
        UNFINISHED,
        /**
         * Framing headers or a request target HTTP forbids (RFC 9112 6.3, RFC 3986): a 400 is due, and closing the
         * connection; no route ever sees the request.
         */
        MALFORMED
    }

    /** A request as written on the wire, whether the client half-closes after it, and how it was made. */
    record Wire(Endpoint endpoint, Answers.Shape shape, byte[] bytes, boolean halfClose, Kind kind, String how) {
        Wire(Endpoint endpoint, byte[] bytes, boolean halfClose, Kind kind, String how) {
            this(endpoint, endpoint.shape, bytes, halfClose, kind, how);
        }

        @Override
        public String toString() {
            return (endpoint == null ? "GET" : endpoint.toString()) + " " + how + " (" + kind + "):\n"
                    + OddText.show(new String(bytes, StandardCharsets.ISO_8859_1), 3000);
        }
    }

    /** Valid bodies of every endpoint with bytes changed below the JSON level, sent with their true length. */
    static Arbitrary<Wire> byteMutatedBodies() {
        return Arbitraries.of(Endpoint.class).flatMap(endpoint -> endpoint.validBodies()
                .map(JsonMutations::bytes)
                .flatMap(ByteMutations::mutate)
                .map(mutant -> withContentLength(endpoint, mutant)));
    }

    private static Wire withContentLength(Endpoint endpoint, Mutant mutant) {
        return new Wire(endpoint, post(endpoint, List.of("Content-Length: " + mutant.bytes().length), mutant.bytes()),
                false, Kind.WHOLE, mutant.how());
    }

    /** Valid bodies of every endpoint, framed in ways right and wrong. */
    static Arbitrary<Wire> oddlyFramedBodies() {
        return Arbitraries.of(Endpoint.class).flatMap(endpoint -> endpoint.validBodies()
                .map(JsonMutations::bytes)
                .flatMap(body -> framings(endpoint, body)));
    }

    /** Valid bodies of every endpoint behind framing headers HTTP forbids. */
    static Arbitrary<Wire> malformedFramings() {
        return oddlyFramedBodies().filter(wire -> wire.kind() == Kind.MALFORMED);
    }

    private static Arbitrary<Wire> framings(Endpoint endpoint, byte[] body) {
        Arbitrary<List<Integer>> chunkSizes = Arbitraries.integers().between(1, Math.max(1, body.length)).list()
                .ofMinSize(1).ofMaxSize(8);
        Arbitrary<Integer> fewer = Arbitraries.integers().between(1, Math.max(1, body.length));
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(new Wire(endpoint,
                        post(endpoint, List.of("Content-Length: " + body.length), body), false, Kind.WHOLE,
                        "Content-Length"))),
                Tuple.of(3, Combinators.combine(chunkSizes, Arbitraries.of("", ";ext=1", ";a")).as((sizes, ext) ->
                        new Wire(endpoint, post(endpoint, List.of("Transfer-Encoding: chunked"),
                                chunked(body, sizes, ext, true)), false, Kind.WHOLE,
                                "chunked " + sizes + " '" + ext + "'"))),
                Tuple.of(2, fewer.map(n -> new Wire(endpoint,
                        post(endpoint, List.of("Content-Length: " + (body.length - n)), body), false, Kind.WHOLE,
                        "Content-Length " + n + " short"))),
                Tuple.of(2, fewer.map(n -> new Wire(endpoint,
                        post(endpoint, List.of("Content-Length: " + (body.length + n)), body), true, Kind.UNFINISHED,
                        "Content-Length " + n + " long, then the client stops"))),
                Tuple.of(1, Arbitraries.just(new Wire(endpoint, post(endpoint, List.of(), body), true, Kind.WHOLE,
                        "no Content-Length (so no body), then the client stops"))),
                Tuple.of(2, Arbitraries.of("zz", "-1", "ffffffffffffffffff", "", "0x10").map(size -> new Wire(endpoint,
                        post(endpoint, List.of("Transfer-Encoding: chunked"),
                                ByteMutations.concat((size + "\r\n").getBytes(StandardCharsets.US_ASCII), body)),
                        true, Kind.UNFINISHED, "chunk size '" + size + "'"))),
                Tuple.of(2, chunkSizes.map(sizes -> new Wire(endpoint, post(endpoint,
                        List.of("Transfer-Encoding: chunked"), chunked(body, sizes, "", false)), true, Kind.UNFINISHED,
                        "chunked without its last chunk, then the client stops"))),
                Tuple.of(1, Arbitraries.just(new Wire(endpoint, post(endpoint,
                        List.of("Content-Length: " + body.length, "Expect: 100-continue"), body), false, Kind.WHOLE,
                        "Expect: 100-continue"))),
                Tuple.of(3, Arbitraries.of("abc", "-1", "1e3", "0x10", "99999999999999999999", "", " ",
                        body.length + " " + body.length, body.length + ",", "\u00B9").map(junk ->
                        new Wire(endpoint, post(endpoint, List.of("Content-Length: " + junk), body), true,
                                Kind.MALFORMED, "Content-Length '" + junk + "'"))),
                Tuple.of(2, fewer.map(n -> new Wire(endpoint, post(endpoint,
                        List.of("Content-Length: " + body.length, "Content-Length: " + (body.length - n)), body),
                        true, Kind.MALFORMED, "Content-Length twice, " + body.length + " and " + (body.length - n)))),
                Tuple.of(2, chunkSizes.map(sizes -> new Wire(endpoint, post(endpoint,
                        List.of("Content-Length: " + body.length, "Transfer-Encoding: chunked"),
                        chunked(body, sizes, "", true)), true, Kind.MALFORMED, "Content-Length and chunked"))),
                Tuple.of(2, Arbitraries.of("gzip", "chunked, gzip", "gzip, chunked", "identity", "xchunked",
                        "chunked, chunked", "Chunked").map(encoding -> new Wire(endpoint, post(endpoint,
                        List.of("Transfer-Encoding: " + encoding, "Content-Length: " + body.length), body), true,
                        Kind.MALFORMED, "Transfer-Encoding '" + encoding + "' and Content-Length"))));
    }

    /** {@code GET /v1/models/<segment>}, the segment's bytes as they are, with or without Anthropic's header. */
    static Wire modelLookup(byte[] segment, boolean anthropic, String how) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes("GET /v1/models/".getBytes(StandardCharsets.US_ASCII));
        bytes.writeBytes(segment);
        bytes.writeBytes((" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + (anthropic ? "anthropic-version: 2023-06-01\r\n" : "") + "\r\n").getBytes(StandardCharsets.US_ASCII));
        String target = "/v1/models/" + new String(segment, StandardCharsets.ISO_8859_1);
        return new Wire(null, anthropic ? Answers.Shape.ANTHROPIC : Answers.Shape.OPENAI, bytes.toByteArray(), false,
                isUri(target) ? Kind.WHOLE : Kind.MALFORMED, how + (anthropic ? ", anthropic-version" : ""));
    }

    /** Whether an HTTP request target, as the server reads it (one character per byte), is a URI at all. */
    static boolean isUri(String target) {
        try {
            new URI(target);
            return true;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** Segments of a model lookup path: percent escapes good and broken, characters a URI may not hold. */
    static Arbitrary<List<String>> junkSegments() {
        return Arbitraries.of(
                "sonnet", "claude-sonnet-5-5", "x", "%", "%z", "%zz", "%4", "%C3", "%C3%28", "%ED%A0%80",
                "%F4%90%80%80",
                "%FF", "%00", "%0A", "%0D%0A", "%2F", "%2f..%2f", "%25", "%252F", "..", ".", "+", ";", ";a=b", "?",
                "?x=1", "#", "%E2%80%AE", "%E2%80%8B", "%EF%BB%BF", "\"", "<", ">", "{", "}", "|", "\\", "^", "`", "[",
                "]", "\u00E9", "\u202E", "\u200B", "\uD83D\uDE00", "\u0085", "\u0007", "\t")
                .list().ofMinSize(1).ofMaxSize(6);
    }

    /** A POST to the endpoint with these framing headers and this body, on a connection closed after it. */
    static byte[] post(Endpoint endpoint, List<String> framing, byte[] body) {
        List<String> head = new ArrayList<>(List.of("POST " + endpoint.path + " HTTP/1.1", "Host: 127.0.0.1",
                "Content-Type: application/json", "Connection: close"));
        if (endpoint != Endpoint.CHAT_COMPLETIONS) {
            head.add("anthropic-version: 2023-06-01");
        }
        head.addAll(framing);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String line : head) {
            out.writeBytes((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** {@code body} in chunks of the given sizes (the last size repeats), each size line with {@code extension}. */
    static byte[] chunked(byte[] body, List<Integer> sizes, String extension, boolean lastChunk) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        int i = 0;
        while (at < body.length) {
            int size = Math.min(sizes.get(Math.min(i++, sizes.size() - 1)), body.length - at);
            out.writeBytes((Integer.toHexString(size) + extension + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, at, size);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            at += size;
        }
        if (lastChunk) {
            out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }
}
