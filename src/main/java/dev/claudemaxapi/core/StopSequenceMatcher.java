package dev.claudemaxapi.core;

import java.util.List;
import java.util.Optional;

/**
 * Finds the client's stop sequences in text that arrives in pieces. Text that could still be the start of a
 * sequence is held back, and only that: the longest end of what arrived that begins some sequence. Everything
 * before it goes out at once, so a stream is delayed by at most the length of the longest sequence.
 */
public final class StopSequenceMatcher {
    /** What may go out now, and the sequence found, if one was: the text then ends before it. */
    public record Step(String text, Optional<String> stop) {}

    private final List<String> sequences;
    private String held = "";
    private boolean stopped;

    /** @param sequences non-empty texts */
    public StopSequenceMatcher(List<String> sequences) {
        if (sequences.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("a stop sequence cannot be empty");
        }
        this.sequences = List.copyOf(sequences);
    }

    /** Takes the next piece; after a sequence was found, nothing more goes out. */
    public Step feed(String piece) {
        if (stopped) {
            return new Step("", Optional.empty());
        }
        String text = held + piece;
        // The sequence that is complete first wins, as it would when the model writes token by token; of two that
        // end at the same place, the longer one. Nothing before the held text can be part of a sequence.
        int end = -1;
        String found = null;
        for (String sequence : sequences) {
            int at = text.indexOf(sequence);
            int ends = at + sequence.length();
            if (at >= 0 && (found == null || ends < end || (ends == end && sequence.length() > found.length()))) {
                end = ends;
                found = sequence;
            }
        }
        if (found != null) {
            stopped = true;
            held = "";
            return new Step(text.substring(0, end - found.length()), Optional.of(found));
        }
        int keep = longestPossibleStart(text);
        held = text.substring(text.length() - keep);
        return new Step(text.substring(0, text.length() - keep), Optional.empty());
    }

    /** The text held back, for when the block ends without a sequence. */
    public String flush() {
        String rest = held;
        held = "";
        return rest;
    }

    /** The length of the longest end of {@code text} that is the start of a sequence, shorter than the sequence. */
    private int longestPossibleStart(String text) {
        int longest = 0;
        for (String sequence : sequences) {
            for (int length = Math.min(sequence.length() - 1, text.length()); length > longest; length--) {
                if (text.endsWith(sequence.substring(0, length))) {
                    longest = length;
                    break;
                }
            }
        }
        return longest;
    }
}
