package dev.claudemaxapi.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Stop sequences found in text that arrives in pieces, however it is cut. */
class StopSequenceMatcherTest {

    /** What a model writing one character at a time would give: text up to the first sequence complete. */
    private record Expected(String text, Optional<String> stop) {}

    private static Expected reference(String text, List<String> sequences) {
        for (int end = 1; end <= text.length(); end++) {
            String best = null;
            for (String sequence : sequences) {
                if (text.startsWith(sequence, end - sequence.length()) && end >= sequence.length()
                        && (best == null || sequence.length() > best.length())) {
                    best = sequence;
                }
            }
            if (best != null) {
                return new Expected(text.substring(0, end - best.length()), Optional.of(best));
            }
        }
        return new Expected(text, Optional.empty());
    }

    /** Feeds {@code text} cut at {@code cuts} (positions, any order) and gathers what went out. */
    private static Expected run(String text, List<String> sequences, List<Integer> cuts) {
        List<Integer> points = new ArrayList<>(cuts.stream().map(cut -> cut % (text.length() + 1)).sorted().toList());
        points.add(text.length());
        StopSequenceMatcher matcher = new StopSequenceMatcher(sequences);
        StringBuilder out = new StringBuilder();
        int from = 0;
        for (int point : points) {
            StopSequenceMatcher.Step step = matcher.feed(text.substring(from, point));
            out.append(step.text());
            if (step.stop().isPresent()) {
                return new Expected(out.toString(), step.stop());
            }
            from = point;
        }
        out.append(matcher.flush());
        return new Expected(out.toString(), Optional.empty());
    }

    @Property(tries = 2000)
    void anyCuttingOfTheTextGivesWhatAModelWritingCharacterByCharacterWouldStopAt(
            @ForAll("text") String text, @ForAll("sequences") List<String> sequences,
            @ForAll @Size(max = 12) List<@IntRange(min = 0, max = 80) Integer> cuts) {
        assertThat(run(text, sequences, cuts)).isEqualTo(reference(text, sequences));
    }

    @Property(tries = 500)
    void holdsBackNoMoreThanCouldStillBecomeASequence(@ForAll("text") String text,
            @ForAll("sequences") List<String> sequences) {
        StopSequenceMatcher matcher = new StopSequenceMatcher(sequences);
        StopSequenceMatcher.Step step = matcher.feed(text);
        if (step.stop().isEmpty()) {
            String held = text.substring(step.text().length());
            int longest = sequences.stream().mapToInt(String::length).max().orElse(1) - 1;
            assertThat(held.length()).isLessThanOrEqualTo(longest);
            assertThat(held.isEmpty() || sequences.stream().anyMatch(sequence -> sequence.startsWith(held))).isTrue();
        }
    }

    @Provide
    Arbitrary<String> text() {
        return Arbitraries.strings().withChars("ab\nc").ofMaxLength(60);
    }

    @Provide
    Arbitrary<List<String>> sequences() {
        return Arbitraries.strings().withChars("ab\nc").ofMinLength(1).ofMaxLength(4).list().ofMinSize(1).ofMaxSize(4);
    }

    @Test
    void aSequenceSplitAcrossPiecesEndsTheTextBeforeIt() {
        StopSequenceMatcher matcher = new StopSequenceMatcher(List.of("\n\nHuman:"));

        assertThat(matcher.feed("Hello there.\n")).isEqualTo(new StopSequenceMatcher.Step("Hello there.", Optional.empty()));
        assertThat(matcher.feed("\nHum")).isEqualTo(new StopSequenceMatcher.Step("", Optional.empty()));
        assertThat(matcher.feed("an: more")).isEqualTo(new StopSequenceMatcher.Step("", Optional.of("\n\nHuman:")));
        assertThat(matcher.feed("after")).isEqualTo(new StopSequenceMatcher.Step("", Optional.empty()));
    }

    @Test
    void textHeldBackThatNeverBecomesASequenceComesOutAtTheEnd() {
        StopSequenceMatcher matcher = new StopSequenceMatcher(List.of("END"));

        assertThat(matcher.feed("the EN").text()).isEqualTo("the ");
        assertThat(matcher.flush()).isEqualTo("EN");
    }

    @Test
    void anEmptySequenceIsRefused() {
        assertThatThrownBy(() -> new StopSequenceMatcher(List.of("x", ""))).isInstanceOf(IllegalArgumentException.class);
    }
}
