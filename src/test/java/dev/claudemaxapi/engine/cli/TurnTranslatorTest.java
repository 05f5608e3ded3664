package dev.claudemaxapi.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudemaxapi.core.BlockType;
import dev.claudemaxapi.core.ErrorKind;
import dev.claudemaxapi.core.Event;
import dev.claudemaxapi.core.ProxyException;
import dev.claudemaxapi.core.StopReason;
import dev.claudemaxapi.core.TurnOptions;
import dev.claudemaxapi.core.Usage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Replays real CLI output, recorded by {@code bin/record-transcripts} from the pinned CLI, through the translator. */
class TurnTranslatorTest {
    private final CliLineParser parser = new CliLineParser(new ObjectMapper());

    @Test
    void translatesAPlainAnswerIntoOneCleanMessage() throws IOException {
        List<Event> events = replay("text");

        assertThat(events).first().isEqualTo(
                new Event.MessageStart("msg_fake_1", "claude-sonnet-5-5", new Usage(21, 1, 0, 0)));
        assertThat(events.get(1)).isEqualTo(new Event.BlockStart(0, BlockType.TEXT));
        assertThat(deltas(events)).hasSize(3);
        assertThat(text(events, 0)).isEqualTo("Hello from the fake upstream");
        assertThat(events.subList(events.size() - 3, events.size())).containsExactly(
                new Event.BlockStop(0),
                new Event.MessageDelta(StopReason.END_TURN, new Usage(21, 7, 0, 0)),
                new Event.MessageStop());
    }

    @Test
    void keepsThinkingAndTextAsSeparateBlocks() throws IOException {
        List<Event> events = replay("thinking");

        assertThat(events).filteredOn(Event.BlockStart.class::isInstance).containsExactly(
                new Event.BlockStart(0, BlockType.THINKING), new Event.BlockStart(1, BlockType.TEXT));
        assertThat(text(events, 0)).isEqualTo("Let me think.");
        assertThat(text(events, 1)).isEqualTo("Answer.");
        assertThat(events.indexOf(new Event.BlockStop(0))).isLessThan(events.indexOf(new Event.BlockStart(1, BlockType.TEXT)));
        assertThat(events).as("the upstream's signature, before the block ends")
                .containsSubsequence(new Event.BlockSignature(0, "sig"), new Event.BlockStop(0));
    }

    @Test
    void sendsARetriedStreamOnlyOnce() throws IOException {
        List<Event> events = replay("retried_stream");

        assertThat(events).filteredOn(Event.MessageStart.class::isInstance).hasSize(1);
        assertThat(events).filteredOn(Event.BlockStart.class::isInstance).hasSize(1);
        assertThat(text(events, 0)).isEqualTo("Hello again from upstream");
        // usage is the whole turn's: both upstream calls were paid for
        assertThat(events).contains(new Event.MessageDelta(StopReason.END_TURN, new Usage(42, 8, 0, 0)));
    }

    @Test
    void completesTheTextFromTheAssistantLineAfterANonStreamingFallback() throws IOException {
        List<Event> events = replay("stream_error_fallback");

        assertThat(text(events, 0)).isEqualTo("Recovered answer text");
        assertThat(deltas(events).get(0).text()).isEqualTo("Reco");
        assertThat(events).last().isEqualTo(new Event.MessageStop());
    }

    @Test
    void leavesOutToolCallsTheCliAnsweredItself() throws IOException {
        List<Event> events = replay("tool_use_without_tools");

        assertThat(events).filteredOn(Event.BlockStart.class::isInstance)
                .containsExactly(new Event.BlockStart(0, BlockType.TEXT));
        assertThat(text(events, 0)).isEqualTo("No tools here.");
        assertThat(events).contains(new Event.MessageDelta(StopReason.END_TURN, new Usage(61, 16, 0, 0)));
    }

    @Test
    void mapsUpstreamFailuresToHonestErrors() {
        assertFailure("error_401", ErrorKind.AUTHENTICATION, "401 bad key");
        assertFailure("error_403", ErrorKind.PERMISSION, "403 denied");
        assertFailure("error_429", ErrorKind.RATE_LIMITED, "plan limit reached");
        assertFailure("error_500", ErrorKind.UPSTREAM_FAILED, "500 internal");
        assertFailure("error_529", ErrorKind.OVERLOADED, "529 Overloaded");
        assertFailure("not_logged_in", ErrorKind.AUTHENTICATION, "Not logged in");
    }

    @Test
    void neverReturnsAnUpstreamErrorAsAnAnswer() {
        assertThatThrownBy(() -> replay("error_500")).isInstanceOf(ProxyException.class);
    }

    @Test
    void refusesARetryThatContradictsTextAlreadySent() {
        TurnTranslator translator = new TurnTranslator("sonnet");
        translator.accept(new CliLine.UpstreamMessageStart(false, "m1", "claude-x", Usage.ZERO));
        translator.accept(new CliLine.UpstreamBlockStart(false, 0, BlockType.TEXT, java.util.Optional.empty()));
        translator.accept(new CliLine.UpstreamDelta(false, 0, BlockType.TEXT, "Hello"));
        translator.accept(new CliLine.UpstreamMessageStop(false, true));
        translator.accept(new CliLine.UpstreamMessageStart(false, "m2", "claude-x", Usage.ZERO));
        translator.accept(new CliLine.UpstreamBlockStart(false, 0, BlockType.TEXT, java.util.Optional.empty()));

        assertThatThrownBy(() -> translator.accept(new CliLine.UpstreamDelta(false, 0, BlockType.TEXT, "Howdy")))
                .isInstanceOfSatisfying(ProxyException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.UPSTREAM_FAILED));
    }

    @Test
    void ignoresSubAgentTraffic() {
        TurnTranslator translator = new TurnTranslator("sonnet");
        List<Event> events = new ArrayList<>();
        events.addAll(translator.accept(new CliLine.UpstreamMessageStart(false, "m1", "claude-x", Usage.ZERO)));
        events.addAll(translator.accept(new CliLine.UpstreamBlockStart(true, 0, BlockType.TEXT, java.util.Optional.empty())));
        events.addAll(translator.accept(new CliLine.UpstreamDelta(true, 0, BlockType.TEXT, "sub-agent text")));
        events.addAll(translator.accept(new CliLine.Assistant(true, "m9", "claude-x",
                List.of(new CliLine.AnswerBlock(BlockType.TEXT, "sub-agent text")))));

        assertThat(events).containsExactly(new Event.MessageStart("m1", "claude-x", Usage.ZERO));
    }

    @Test
    void usesTheResultTextWhenNoStreamEventsCame() {
        TurnTranslator translator = new TurnTranslator("sonnet");
        List<Event> events = translator.accept(new CliLine.Result(false, "success", "Only in the result", "end_turn",
                "completed", null, new Usage(3, 4, 0, 0), List.of(), "s1"));

        assertThat(events.get(0)).isInstanceOfSatisfying(Event.MessageStart.class, start -> {
            assertThat(start.id()).matches("msg_[0-9a-f]{32}").doesNotContain("s1");
            assertThat(start.model()).isEqualTo("sonnet");
        });
        assertThat(text(events, 0)).isEqualTo("Only in the result");
        assertThat(events).last().isEqualTo(new Event.MessageStop());
    }

    @Test
    void keepsAStopReasonItDoesNotKnowRatherThanCallingItEndTurn() {
        TurnTranslator translator = new TurnTranslator("sonnet");
        List<Event> events = translator.accept(new CliLine.Result(false, "success", "Cut short", "context_budget_spent",
                "completed", null, new Usage(3, 4, 0, 0), List.of(), "s1"));

        assertThat(events).contains(new Event.MessageDelta(new StopReason.Unknown("context_budget_spent"),
                new Usage(3, 4, 0, 0)));
    }

    @Test
    void endsTheAnswerBeforeAStopSequenceSplitAcrossDeltasAndTakesNothingAfterIt() {
        TurnTranslator translator = new TurnTranslator("sonnet", ToolRules.NONE, ClientToolCalls.NONE,
                new TurnOptions(List.of("STOP"), java.util.OptionalInt.empty()));
        List<Event> events = new ArrayList<>();
        events.addAll(translator.accept(new CliLine.UpstreamMessageStart(false, "m1", "claude-x", new Usage(9, 1, 0, 0))));
        events.addAll(translator.accept(new CliLine.UpstreamBlockStart(false, 0, BlockType.TEXT, java.util.Optional.empty())));
        for (String piece : List.of("One, two, ST", "O", "P, three", " and more")) {
            events.addAll(translator.accept(new CliLine.UpstreamDelta(false, 0, BlockType.TEXT, piece)));
        }
        events.addAll(translator.accept(new CliLine.UpstreamMessageDelta(false, "end_turn", new Usage(0, 20, 0, 0))));

        assertThat(text(events, 0)).isEqualTo("One, two, ");
        assertThat(events.subList(events.size() - 3, events.size())).containsExactly(new Event.BlockStop(0),
                new Event.MessageDelta(new StopReason.AtSequence("STOP"), new Usage(9, 1, 0, 0)), new Event.MessageStop());
        assertThat(translator.finished()).isTrue();
    }

    @Test
    void endsTheAnswerAtTheFirstMaxTokensStopRatherThanLettingTheCliWriteOn() {
        TurnTranslator translator = new TurnTranslator("sonnet");
        List<Event> events = new ArrayList<>();
        events.addAll(translator.accept(new CliLine.UpstreamMessageStart(false, "m1", "claude-x", new Usage(9, 1, 0, 0))));
        events.addAll(translator.accept(new CliLine.UpstreamBlockStart(false, 0, BlockType.TEXT, java.util.Optional.empty())));
        events.addAll(translator.accept(new CliLine.UpstreamDelta(false, 0, BlockType.TEXT, "Once upon a")));
        events.addAll(translator.accept(new CliLine.UpstreamMessageDelta(false, "max_tokens", new Usage(0, 3, 0, 0))));
        events.addAll(translator.accept(new CliLine.UpstreamMessageStop(false, false)));
        // what the CLI does by itself next: "Output token limit hit. Resume directly"
        events.addAll(translator.accept(new CliLine.UpstreamMessageStart(false, "m2", "claude-x", new Usage(30, 1, 0, 0))));
        events.addAll(translator.accept(new CliLine.UpstreamBlockStart(false, 0, BlockType.TEXT, java.util.Optional.empty())));
        events.addAll(translator.accept(new CliLine.UpstreamDelta(false, 0, BlockType.TEXT, " time")));

        assertThat(text(events, 0)).isEqualTo("Once upon a");
        assertThat(events).filteredOn(Event.MessageDelta.class::isInstance)
                .containsExactly(new Event.MessageDelta(StopReason.MAX_TOKENS, new Usage(9, 3, 0, 0)));
        assertThat(events).last().isEqualTo(new Event.MessageStop());
    }

    @Test
    void aTurnWithAResponseSchemaAnswersWithTheValidatedJsonAloneAndEndsNormally() {
        TurnTranslator translator = new TurnTranslator("sonnet", ToolRules.NONE, ClientToolCalls.NONE,
                TurnOptions.NONE.withOutputSchema(java.util.Optional.of("{\"type\":\"object\"}")));
        List<Event> events = new ArrayList<>();
        events.addAll(translator.accept(new CliLine.UpstreamMessageStart(false, "m1", "claude-x", new Usage(9, 1, 0, 0))));
        events.addAll(translator.accept(new CliLine.UpstreamBlockStart(false, 0, BlockType.TEXT, java.util.Optional.empty())));
        events.addAll(translator.accept(new CliLine.UpstreamDelta(false, 0, BlockType.TEXT, "Here you go:")));
        events.addAll(translator.accept(new CliLine.Result(false, "success", "{\"a\":1}", "tool_use", "completed", null,
                new Usage(9, 5, 0, 0), List.of(), "s1", java.util.Optional.of("{\"a\":1}"))));

        assertThat(events).filteredOn(Event.BlockStart.class::isInstance)
                .containsExactly(new Event.BlockStart(0, BlockType.TEXT));
        assertThat(text(events, 0)).isEqualTo("{\"a\":1}");
        assertThat(events).contains(new Event.MessageDelta(StopReason.END_TURN, new Usage(9, 5, 0, 0)));
    }

    @Test
    void aTurnWithAResponseSchemaThatEndsWithoutStructuredOutputFails() {
        TurnTranslator translator = new TurnTranslator("sonnet", ToolRules.NONE, ClientToolCalls.NONE,
                TurnOptions.NONE.withOutputSchema(java.util.Optional.of("{\"type\":\"object\"}")));

        assertThatThrownBy(() -> translator.accept(new CliLine.Result(false, "success", "prose", "end_turn",
                "completed", null, Usage.ZERO, List.of(), "s1"))).isInstanceOfSatisfying(ProxyException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.UPSTREAM_FAILED));
    }

    @Test
    void aStopSequenceInTheResultTextEndsTheAnswerOnce() {
        TurnTranslator translator = new TurnTranslator("sonnet", ToolRules.NONE, ClientToolCalls.NONE,
                new TurnOptions(List.of("END"), java.util.OptionalInt.empty()));

        List<Event> events = translator.accept(new CliLine.Result(false, "success", "abc END def", "end_turn",
                "completed", null, Usage.ZERO, List.of(), "s1"));

        assertThat(text(events, 0)).isEqualTo("abc ");
        assertThat(events).filteredOn(Event.MessageStop.class::isInstance).hasSize(1);
        assertThat(events).filteredOn(Event.MessageDelta.class::isInstance).singleElement()
                .isEqualTo(new Event.MessageDelta(new StopReason.AtSequence("END"), Usage.ZERO));
    }

    private void assertFailure(String transcript, ErrorKind kind, String messagePart) {
        assertThatThrownBy(() -> replay(transcript))
                .as(transcript)
                .isInstanceOfSatisfying(ProxyException.class, e -> {
                    assertThat(e.kind()).as(transcript).isEqualTo(kind);
                    assertThat(e.getMessage()).as(transcript).contains(messagePart);
                });
    }

    private List<Event> replay(String name) throws IOException {
        TurnTranslator translator = new TurnTranslator("sonnet");
        List<Event> events = new ArrayList<>();
        for (String line : lines(name)) {
            events.addAll(translator.accept(parser.parse(line)));
        }
        assertThat(translator.finished()).as("the transcript ends with a result line").isTrue();
        return events;
    }

    static List<String> lines(String name) throws IOException {
        try (InputStream in = TurnTranslatorTest.class.getResourceAsStream("/transcripts/" + name + ".ndjson")) {
            assertThat(in).as("transcript " + name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        }
    }

    private static List<Event.BlockDelta> deltas(List<Event> events) {
        return events.stream().filter(Event.BlockDelta.class::isInstance).map(Event.BlockDelta.class::cast).toList();
    }

    private static String text(List<Event> events, int index) {
        StringBuilder out = new StringBuilder();
        for (Event.BlockDelta delta : deltas(events)) {
            if (delta.index() == index) {
                out.append(delta.text());
            }
        }
        return out.toString();
    }
}
