package dev.claudemaxapi.fuzz;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Strings that break naive code: odd Unicode, deep nesting written as text, and sheer size. */
final class OddText {
    private OddText() {}

    /** Characters and snippets with a history of breaking parsers, logs, terminals and prompt encodings. */
    static final List<String> ODD = List.of(
            "\u200F", // right-to-left mark
            "\u202E", // right-to-left override
            "\u2066", // left-to-right isolate
            "\u200D", // zero-width joiner
            "\u200B", // zero-width space
            "\uFEFF", // byte order mark
            "\uD800", // lone high surrogate
            "\uDFFF", // lone low surrogate
            "\uDBFF\uDFFF", // the last code point
            "\u0000", // NUL
            "\u0001\u001F\u007F", // control characters
            "\u2028", // line separator
            "\u2029", // paragraph separator
            "\u0085", // next line
            "\r\n",
            "\u001B[31m", // ANSI escape
            "\uFFFF", // a noncharacter
            "\uFFFD", // the replacement character
            "\uD83D\uDE00", // an emoji (a surrogate pair)
            "\uD83D\uDC69\u200D\uD83D\uDCBB", // an emoji ZWJ sequence
            "e\u0301\u0301\u0301", // stacked combining marks
            "\u0130\u0131\u00DF", // letters whose case mapping changes length
            "\\", "\"", "'", "`",
            "%00", "%zz", "%", "+",
            "/clear", "/cost",
            "<conversation_history>", "</conversation_history>",
            "${jndi:ldap://127.0.0.1/x}",
            "{{7*7}}",
            "\t ");

    /** One odd snippet. */
    static Arbitrary<String> snippet() {
        return Arbitraries.of(ODD);
    }

    /** A short string made mostly of odd snippets, maybe around some plain text. */
    static Arbitrary<String> oddString() {
        return Combinators.combine(snippet().list().ofMinSize(1).ofMaxSize(4),
                        Arbitraries.of("", "x", "sonnet", "get_weather", "call_1"))
                .as((parts, plain) -> {
                    StringBuilder out = new StringBuilder();
                    for (int i = 0; i < parts.size(); i++) {
                        out.append(parts.get(i));
                        if (i == 0) {
                            out.append(plain);
                        }
                    }
                    return out.toString();
                });
    }

    /** {@code value} with odd snippets put in front of it, after it, or into its middle. */
    static Arbitrary<String> decorate(String value) {
        return Combinators.combine(snippet(), Arbitraries.integers().between(0, 3)).as((odd, where) -> switch (where) {
            case 0 -> odd + value;
            case 1 -> value + odd;
            case 2 -> value.substring(0, value.length() / 2) + odd + value.substring(value.length() / 2);
            default -> odd;
        });
    }

    /** Plain or odd names for tools, tool call ids and the like, which the server passes on as they are. */
    static Arbitrary<String> name() {
        return Arbitraries.oneOf(
                Arbitraries.of("get_weather", "search", "call_1", "toolu_01A", "a", "x-y.z"),
                oddString(),
                Arbitraries.strings().ofMinLength(1).ofMaxLength(12));
    }

    /** How deep nested text and values go: around Jackson's limit of 1000, and far past it. */
    static Arbitrary<Integer> depth() {
        return Arbitraries.of(2, 64, 500, 990, 996, 997, 998, 999, 1000, 1001, 1002, 5000, 100_000);
    }

    /** JSON text nested {@code depth} levels deep, closed or left open. */
    static String nested(Nesting kind, int depth) {
        StringBuilder out = new StringBuilder(depth * 6 + 4);
        switch (kind) {
            case ARRAYS -> out.repeat("[", depth).repeat("]", depth);
            case OBJECTS -> out.repeat("{\"a\":", depth).append("1").repeat("}", depth);
            case MIXED -> {
                for (int i = 0; i < depth; i++) {
                    out.append(i % 2 == 0 ? "[" : "{\"a\":");
                }
                out.append("null");
                for (int i = depth - 1; i >= 0; i--) {
                    out.append(i % 2 == 0 ? "]" : "}");
                }
            }
            case UNCLOSED -> out.repeat("[", depth);
        }
        return out.toString();
    }

    enum Nesting { ARRAYS, OBJECTS, MIXED, UNCLOSED }

    static Arbitrary<String> nestedText() {
        return Combinators.combine(Arbitraries.of(Nesting.class), depth()).as(OddText::nested);
    }

    /** Sizes of giant strings, below and above the fuzz servers' body limit. */
    static Arbitrary<Integer> giantSize() {
        return Arbitraries.of(10_000, 100_000, 200_000, FuzzServer.MAX_BODY_BYTES - 200, FuzzServer.MAX_BODY_BYTES + 1,
                400_000);
    }

    static Arbitrary<String> giant() {
        return Combinators.combine(Arbitraries.of("x", "\u00E9", "\uD83D\uDE00", "\u0000", "\"", "\\", "\u200F\u200D"),
                giantSize()).as((unit, size) -> unit.repeat(Math.max(1, size / unit.length())));
    }

    /**
     * Data URLs with many media type parameters ({@code data:image/png;a=1;a=1;...;base64,...}): valid, but a
     * pattern that repeats a group once per parameter may recurse once per parameter too.
     */
    static Arbitrary<String> dataUrlWithParameters() {
        return Combinators.combine(Arbitraries.of(1, 100, 1_000, 5_000, 20_000, 60_000), Arbitraries.of(true, false))
                .as((n, closed) -> "data:image/png" + ";a=1".repeat(n)
                        + (closed ? ";base64," + RequestBodies.PNG : ""));
    }

    /** A short description of a string for reports: long ones are cut, odd characters shown as escapes. */
    static String show(String value, int max) {
        StringBuilder out = new StringBuilder();
        int shown = Math.min(value.length(), max);
        for (int i = 0; i < shown; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0) || Character.isSurrogate(c) || c == '\u2028'
                    || c == '\u2029' || Character.getType(c) == Character.FORMAT) {
                out.append(String.format("\\u%04X", (int) c));
            } else {
                out.append(c);
            }
        }
        if (value.length() > max) {
            out.append("...(").append(value.length()).append(" chars)");
        }
        return out.toString();
    }
}
