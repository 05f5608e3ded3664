package dev.claudemaxapi.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.claudemaxapi.core.BlockType;
import dev.claudemaxapi.core.ErrorKind;
import dev.claudemaxapi.core.Event;
import dev.claudemaxapi.core.ProxyException;
import dev.claudemaxapi.core.StopReason;
import dev.claudemaxapi.core.Tool;
import dev.claudemaxapi.core.ToolChoice;
import dev.claudemaxapi.core.Tools;
import dev.claudemaxapi.core.TurnOptions;
import dev.claudemaxapi.core.Usage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How the translator applies a turn's tool choice and parallel limit to the calls the model makes. */
class ToolRulesTranslationTest {
    private static final List<Tool> TOOLS = List.of(new Tool("get_weather", Optional.empty(), "{}"),
            new Tool("get_time", Optional.empty(), "{}"));

    /** The client's tools under server {@code client_a}, recording what the translator withholds. */
    private static final class RecordingCalls implements ClientToolCalls {
        final Map<String, String> withheld = new LinkedHashMap<>();

        @Override
        public Optional<String> clientName(String upstreamName) {
            return Optional.of(upstreamName.replace("mcp__client_a__", ""))
                    .filter(name -> upstreamName.startsWith("mcp__client_a__"));
        }

        @Override
        public void withhold(String toolUseId, String reason) {
            withheld.put(toolUseId, reason);
        }
    }

    private final RecordingCalls calls = new RecordingCalls();

    private TurnTranslator translator(ToolChoice choice, Tools.Parallel parallel) {
        return new TurnTranslator("sonnet", new ToolRules(new Tools(TOOLS, choice, parallel)), calls, TurnOptions.NONE);
    }

    /** One upstream call: its text (if any) and then its tool calls, as (id, client name). */
    private static List<CliLine> upstreamCall(String text, String stopReason, String... idsAndNames) {
        List<CliLine> lines = new ArrayList<>();
        lines.add(new CliLine.UpstreamMessageStart(false, "m", "claude-x", new Usage(10, 1, 0, 0)));
        int index = 0;
        if (text != null) {
            lines.add(new CliLine.UpstreamBlockStart(false, index, BlockType.TEXT, Optional.empty()));
            lines.add(new CliLine.UpstreamDelta(false, index++, BlockType.TEXT, text));
        }
        for (int i = 0; i < idsAndNames.length; i += 2) {
            lines.add(new CliLine.UpstreamBlockStart(false, index, BlockType.TOOL_USE, Optional.of(
                    new CliLine.ToolCall(idsAndNames[i], "mcp__client_a__" + idsAndNames[i + 1]))));
            lines.add(new CliLine.UpstreamDelta(false, index++, BlockType.TOOL_USE, "{}"));
        }
        lines.add(new CliLine.UpstreamMessageDelta(false, stopReason, new Usage(0, 5, 0, 0)));
        lines.add(new CliLine.UpstreamMessageStop(false, false));
        return lines;
    }

    private static CliLine.Result result() {
        return new CliLine.Result(false, "success", "", "end_turn", "completed", null, Usage.ZERO, List.of(), "s");
    }

    private static List<Event> feed(TurnTranslator translator, List<CliLine> lines) {
        List<Event> events = new ArrayList<>();
        for (CliLine line : lines) {
            events.addAll(translator.accept(line));
        }
        return events;
    }

    private static List<String> shownCalls(List<Event> events) {
        return events.stream().filter(Event.ToolUseStart.class::isInstance).map(Event.ToolUseStart.class::cast)
                .map(start -> start.id() + ":" + start.name()).toList();
    }

    @Test
    void aRequiredCallHidesTheModelsProseAndAsksOnceMoreInTheSameAnswer() {
        TurnTranslator translator = translator(new ToolChoice.Any(), Tools.Parallel.ALLOWED);

        List<Event> first = feed(translator, upstreamCall("Just chatting.", "end_turn"));
        first.addAll(translator.accept(result()));

        assertThat(first).noneMatch(Event.BlockStart.class::isInstance).noneMatch(Event.MessageStop.class::isInstance);
        assertThat(translator.takeReminder()).hasValueSatisfying(text -> assertThat(text)
                .contains("requires a tool call").contains("one of the tools offered to you"));
        assertThat(translator.takeReminder()).as("given once").isEmpty();
        assertThat(translator.finished()).isFalse();

        List<Event> second = feed(translator, upstreamCall(null, "tool_use", "t1", "get_time"));

        assertThat(shownCalls(second)).containsExactly("t1:get_time");
        assertThat(second).last().isEqualTo(new Event.MessageStop());
        assertThat(second).contains(new Event.MessageDelta(StopReason.TOOL_USE, new Usage(20, 10, 0, 0)));
        assertThat(translator.finished()).isTrue();
    }

    @Test
    void aSecondReplyWithoutTheRequiredCallFailsTheAnswer() {
        TurnTranslator translator = translator(new ToolChoice.Named("get_time"), Tools.Parallel.ALLOWED);
        feed(translator, upstreamCall("No.", "end_turn"));
        translator.accept(result());
        translator.takeReminder();
        feed(translator, upstreamCall("Still no.", "end_turn"));

        assertThatThrownBy(() -> translator.accept(result())).isInstanceOfSatisfying(ProxyException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.UPSTREAM_FAILED);
            assertThat(e.getMessage()).contains("the tool 'get_time'").contains("tool_choice requires");
        });
    }

    @Test
    void aNamedChoiceWithholdsCallsOfOtherToolsWithAReasonForTheModel() {
        TurnTranslator translator = translator(new ToolChoice.Named("get_time"), Tools.Parallel.ALLOWED);

        List<Event> events = feed(translator, upstreamCall(null, "tool_use", "t1", "get_weather", "t2", "get_time"));

        assertThat(shownCalls(events)).containsExactly("t2:get_time");
        assertThat(events).filteredOn(Event.ToolUseStart.class::isInstance).first()
                .isEqualTo(new Event.ToolUseStart(0, "t2", "get_time"));
        assertThat(calls.withheld).containsOnlyKeys("t1");
        assertThat(calls.withheld.get("t1")).contains("only the tool 'get_time'");
    }

    @Test
    void oneCallAtATimeShowsTheFirstCallOfEachReplyOnly() {
        TurnTranslator translator = translator(ToolChoice.AUTO, Tools.Parallel.ONE_AT_A_TIME);

        List<Event> events = feed(translator, upstreamCall("Checking.", "tool_use", "t1", "get_weather",
                "t2", "get_weather", "t3", "get_time"));

        assertThat(events).contains(new Event.BlockStart(0, BlockType.TEXT));
        assertThat(shownCalls(events)).containsExactly("t1:get_weather");
        assertThat(calls.withheld.keySet()).containsExactly("t2", "t3");
        assertThat(calls.withheld.get("t2")).contains("only one tool may be called per reply");
    }

    @Test
    void withoutRulesEveryCallOfTheClientsToolsIsShownAndNothingIsWithheld() {
        TurnTranslator translator = translator(ToolChoice.AUTO, Tools.Parallel.ALLOWED);

        List<Event> events = feed(translator, upstreamCall("Both.", "tool_use", "t1", "get_weather", "t2", "get_time"));

        assertThat(shownCalls(events)).containsExactly("t1:get_weather", "t2:get_time");
        assertThat(calls.withheld).isEmpty();
        assertThat(new ToolRules(new Tools(TOOLS, ToolChoice.AUTO, Tools.Parallel.ALLOWED)).instruction()).isEmpty();
    }

    @Test
    void theInstructionSaysWhatTheRulesRequire() {
        assertThat(new ToolRules(new Tools(TOOLS, new ToolChoice.Named("get_time"), Tools.Parallel.ONE_AT_A_TIME))
                .instruction()).hasValueSatisfying(text -> assertThat(text)
                .contains("must call the tool 'get_time' (listed to you as mcp__<server>__get_time) once"));
        assertThat(new ToolRules(new Tools(TOOLS, new ToolChoice.Any(), Tools.Parallel.ONE_AT_A_TIME)).instruction())
                .hasValueSatisfying(text -> assertThat(text).contains("exactly one of the tools"));
        assertThat(new ToolRules(new Tools(TOOLS, ToolChoice.NONE, Tools.Parallel.ONE_AT_A_TIME)).instruction())
                .as("no tools offered, nothing to say").isEmpty();
    }
}
