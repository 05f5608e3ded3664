package dev.claudemaxapi.api.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudemaxapi.core.ContentBlock;
import dev.claudemaxapi.core.Message;
import dev.claudemaxapi.core.Role;
import dev.claudemaxapi.core.Tool;
import dev.claudemaxapi.core.ToolChoice;
import dev.claudemaxapi.core.Tools;
import dev.claudemaxapi.core.Turn;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TokenEstimatorTest {

    private static Turn turn(Optional<String> system, Message... messages) {
        return new Turn("sonnet", system, List.of(messages));
    }

    @Test
    void countsAboutOneTokenPerThreeAndAHalfCharactersPlusMessageOverhead() {
        assertThat(TokenEstimator.estimate(turn(Optional.empty(), Message.user("1234567")))).isEqualTo(4 + 2);
        assertThat(TokenEstimator.estimate(turn(Optional.empty(), Message.user("12345678")))).isEqualTo(4 + 3);
        assertThat(TokenEstimator.estimate(turn(Optional.empty(), Message.user("")))).isEqualTo(4);
    }

    @Test
    void growsWithText() {
        long shorter = TokenEstimator.estimate(turn(Optional.empty(), Message.user("Hello")));
        long longer = TokenEstimator.estimate(turn(Optional.empty(), Message.user("Hello ".repeat(100))));

        assertThat(longer).isGreaterThan(shorter);
        assertThat(longer).isEqualTo(4 + (long) Math.ceil(600 / 3.5));
    }

    @Test
    void countsTheSystemPrompt() {
        long without = TokenEstimator.estimate(turn(Optional.empty(), Message.user("hi")));
        long with = TokenEstimator.estimate(turn(Optional.of("You are a pirate. ".repeat(10)), Message.user("hi")));

        assertThat(with).isGreaterThan(without + 40);
    }

    @Test
    void countsEachImageAsAFixedAmount() {
        Message textOnly = Message.user("Look");
        Message twoImages = new Message(Role.USER, List.of(new ContentBlock.Text("Look"),
                new ContentBlock.Image("image/png", "A".repeat(100_000)), new ContentBlock.Image("image/png", "B")));

        long difference = TokenEstimator.estimate(turn(Optional.empty(), twoImages))
                - TokenEstimator.estimate(turn(Optional.empty(), textOnly));

        assertThat(difference).isEqualTo(2 * 1600);
    }

    @Test
    void countsTheOfferedToolsAndTheToolPromptTheApiAddsForThem() {
        Turn plain = turn(Optional.empty(), Message.user("hi"));
        String schema = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}";
        List<Tool> tools = List.of(new Tool("get_weather", Optional.of("The weather now"), schema));

        long auto = TokenEstimator.estimate(plain.withTools(new Tools(tools, ToolChoice.AUTO, Tools.Parallel.ALLOWED)));
        long any = TokenEstimator.estimate(plain.withTools(new Tools(tools, new ToolChoice.Any(),
                Tools.Parallel.ALLOWED)));
        long none = TokenEstimator.estimate(plain.withTools(new Tools(tools, ToolChoice.NONE, Tools.Parallel.ALLOWED)));

        long definition = (long) Math.ceil(("hi" + "get_weather" + "The weather now" + schema).length() / 3.5)
                - (long) Math.ceil("hi".length() / 3.5);
        assertThat(auto - TokenEstimator.estimate(plain)).isEqualTo(346 + definition);
        assertThat(any - TokenEstimator.estimate(plain)).isEqualTo(313 + definition);
        assertThat(none).as("tool_choice none offers no tools").isEqualTo(TokenEstimator.estimate(plain));
    }

    @Test
    void countsToolCallsAndNestedToolResults() {
        Message base = Message.user("x");
        long alone = TokenEstimator.estimate(turn(Optional.empty(), base));
        long withTools = TokenEstimator.estimate(turn(Optional.empty(),
                base,
                new Message(Role.ASSISTANT, List.of(new ContentBlock.ToolUse("t1", "lookup", "{\"q\":\"cats\"}"))),
                new Message(Role.USER, List.of(new ContentBlock.ToolResult("t1", List.of(
                        new ContentBlock.Text("many cats"), new ContentBlock.Image("image/gif", "R0lG")), false)))));

        assertThat(withTools).isGreaterThan(alone + 2 * 4 + 1600);
    }

    @Test
    void ignoresThinking() {
        Message plain = Message.assistant("4");
        Message withThinking = new Message(Role.ASSISTANT,
                List.of(new ContentBlock.Thinking("long reasoning ".repeat(50)), new ContentBlock.Text("4")));

        assertThat(TokenEstimator.estimate(turn(Optional.empty(), Message.user("2+2"), withThinking)))
                .isEqualTo(TokenEstimator.estimate(turn(Optional.empty(), Message.user("2+2"), plain)));
    }

    @Test
    void isDeterministic() {
        Turn turn = turn(Optional.of("sys"), Message.user("Hello there"), Message.assistant("Hi"),
                new Message(Role.USER, List.of(new ContentBlock.Image("image/png", "AAAA"))));

        assertThat(TokenEstimator.estimate(turn)).isEqualTo(TokenEstimator.estimate(turn));
        assertThat(TokenEstimator.estimate(turn)).isEqualTo(3 * 4 + 1600 + (long) Math.ceil((3 + 11 + 2) / 3.5));
    }
}
