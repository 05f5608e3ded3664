package dev.claudemaxapi.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** Breaks a body below the JSON level: invalid UTF-8, other encodings, truncation, stray bytes, trailing content. */
final class ByteMutations {
    private ByteMutations() {}

    /** Bytes that are never valid UTF-8 there, and sequences that decoders disagree about. */
    static final List<String> BAD_SEQUENCES = List.of(
            "80", // a continuation byte alone
            "bf", // another
            "c0af", // an overlong '/'
            "e080af", // another overlong '/'
            "c1bf", // an overlong DEL
            "eda080", // a lone surrogate encoded as UTF-8 (CESU-8)
            "edbfbf", // the other half
            "f4908080", // past U+10FFFF
            "f888808080", // a five-byte form
            "fe", "ff", // bytes UTF-8 never uses
            "c3", // a two-byte form cut short
            "e282", // a three-byte form cut short
            "f09f98", // a four-byte form cut short
            "00", // NUL
            "efbbbf", // a byte order mark
            "0d0a", // CRLF
            "1a"); // SUB

    /** A body and what was done to it. */
    record Mutant(byte[] bytes, String how) {
        @Override
        public String toString() {
            return how + ": " + OddText.show(new String(bytes, StandardCharsets.ISO_8859_1), 3000);
        }
    }

    static Arbitrary<Mutant> mutate(byte[] body) {
        Arbitrary<Integer> at = Arbitraries.integers().between(0, body.length);
        return Arbitraries.frequencyOf(
                Tuple.of(4, Combinators.combine(at, Arbitraries.of(BAD_SEQUENCES)).as((i, hex) ->
                        new Mutant(insert(body, i, HexFormat.of().parseHex(hex)), "inserted " + hex + " at " + i))),
                Tuple.of(3, Combinators.combine(at, Arbitraries.of(BAD_SEQUENCES)).as((i, hex) ->
                        new Mutant(overwrite(body, i, HexFormat.of().parseHex(hex)),
                                "overwrote with " + hex + " at " + i))),
                Tuple.of(2, Combinators.combine(at, Arbitraries.integers().between(0, 255)).as((i, b) ->
                        new Mutant(overwrite(body, i, new byte[] {(byte) (int) b}), "byte " + b + " at " + i))),
                Tuple.of(3, at.map(i -> new Mutant(Arrays.copyOf(body, i), "cut at " + i))),
                Tuple.of(2, Arbitraries.of("UTF-16BE", "UTF-16LE", "UTF-16", "UTF-32BE", "UTF-32LE").map(charset ->
                        new Mutant(new String(body, StandardCharsets.UTF_8).getBytes(Charset.forName(charset)),
                                "re-encoded as " + charset))),
                Tuple.of(1, Arbitraries.of("", " ", "x", "}", "{}", "\u0000", "garbage").map(tail ->
                        new Mutant(concat(body, tail.getBytes(StandardCharsets.UTF_8)), "followed by '" + tail + "'"))),
                Tuple.of(1, Arbitraries.just(new Mutant(concat(body, body), "twice"))),
                Tuple.of(1, Arbitraries.of("\u00EF\u00BB\u00BF", "\u0000", " \t\r\n").map(head ->
                        new Mutant(concat(head.getBytes(StandardCharsets.ISO_8859_1), body),
                                "preceded by " + OddText.show(head, 10)))));
    }

    static byte[] insert(byte[] body, int at, byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(body, 0, at);
        out.writeBytes(bytes);
        out.write(body, at, body.length - at);
        return out.toByteArray();
    }

    static byte[] overwrite(byte[] body, int at, byte[] bytes) {
        byte[] out = Arrays.copyOf(body, Math.max(body.length, at + bytes.length));
        System.arraycopy(bytes, 0, out, at, bytes.length);
        return out;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
