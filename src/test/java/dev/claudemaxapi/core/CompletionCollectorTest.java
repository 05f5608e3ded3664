package dev.claudemaxapi.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CompletionCollectorTest {
    private static final Duration POLL = Duration.ofMillis(5);

    /** Replays events; a {@code null} entry stands for a poll that timed out. */
    private static final class ScriptedStream implements EventStream {
        private final Deque<Event> script;
        final List<Duration> timeouts = new ArrayList<>();
        boolean closed;

        ScriptedStream(Event... events) {
            this.script = new ArrayDeque<>();
            for (Event event : events) {
                script.add(event == null ? PAUSE : event);
            }
        }

        @Override
        public Event next(Duration timeout) {
            timeouts.add(timeout);
            if (script.isEmpty()) {
                throw new IllegalStateException("read past the end of the script");
            }
            Event next = script.removeFirst();
            return next == PAUSE ? null : next;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static final Event PAUSE = new Event.BlockStop(-1);

    private static Event[] answer(Event... middle) {
        List<Event> all = new ArrayList<>();
        all.add(new Event.MessageStart("msg_1", "claude-sonnet-5-5", new Usage(10, 1, 2, 3)));
        all.addAll(Arrays.asList(middle));
        all.add(new Event.MessageDelta(StopReason.MAX_TOKENS, new Usage(10, 42, 2, 3)));
        all.add(new Event.MessageStop());
        return all.toArray(Event[]::new);
    }

    @Test
    void gathersTextBlocksIdModelStopReasonAndFinalUsage() throws InterruptedException {
        ScriptedStream stream = new ScriptedStream(answer(
                new Event.BlockStart(0, BlockType.TEXT),
                new Event.BlockDelta(0, BlockType.TEXT, "Hel"),
                new Event.BlockDelta(0, BlockType.TEXT, "lo"),
                new Event.BlockStop(0)));

        Completion completion = CompletionCollector.collect(stream, POLL, () -> { });

        assertThat(completion).isEqualTo(new Completion("msg_1", "claude-sonnet-5-5",
                List.of(new ContentBlock.Text("Hello")), StopReason.MAX_TOKENS, new Usage(10, 42, 2, 3)));
        assertThat(completion.text()).isEqualTo("Hello");
        assertThat(stream.timeouts).containsOnly(POLL);
    }

    @Test
    void keepsThinkingAndTextBlocksApartInOrder() throws InterruptedException {
        ScriptedStream stream = new ScriptedStream(answer(
                new Event.BlockStart(0, BlockType.THINKING),
                new Event.BlockDelta(0, BlockType.THINKING, "Let me "),
                new Event.BlockDelta(0, BlockType.THINKING, "think."),
                new Event.BlockStop(0),
                new Event.BlockStart(1, BlockType.TEXT),
                new Event.BlockDelta(1, BlockType.TEXT, "42"),
                new Event.BlockStop(1)));

        Completion completion = CompletionCollector.collect(stream, POLL, () -> { });

        assertThat(completion.content()).containsExactly(
                new ContentBlock.Thinking("Let me think."), new ContentBlock.Text("42"));
        assertThat(completion.text()).isEqualTo("42");
    }

    @Test
    void anAnswerWithoutBlocksHasNoContent() throws InterruptedException {
        Completion completion = CompletionCollector.collect(new ScriptedStream(answer()), POLL, () -> { });

        assertThat(completion.content()).isEmpty();
        assertThat(completion.text()).isEmpty();
    }

    @Test
    void callsTheWaitHookOnEverySilentPoll() throws InterruptedException {
        ScriptedStream stream = new ScriptedStream(
                null, new Event.MessageStart("msg_1", "sonnet", Usage.ZERO), null, null,
                new Event.MessageDelta(StopReason.END_TURN, Usage.ZERO), new Event.MessageStop());
        AtomicInteger waits = new AtomicInteger();

        Completion completion = CompletionCollector.collect(stream, POLL, waits::incrementAndGet);

        assertThat(waits).hasValue(3);
        assertThat(completion.stopReason()).isEqualTo(StopReason.END_TURN);
    }

    @Test
    void aThrowingWaitHookGivesUp() {
        ScriptedStream stream = new ScriptedStream(null, new Event.MessageStop());

        assertThatThrownBy(() -> CompletionCollector.collect(stream, POLL, () -> {
            throw new ProxyException(ErrorKind.TIMEOUT, "gave up");
        })).isInstanceOf(ProxyException.class).hasMessage("gave up");
    }

    @Test
    void stopsReadingAtMessageStop() throws InterruptedException {
        ScriptedStream stream = new ScriptedStream(new Event.MessageStop(), new Event.BlockStop(0));

        CompletionCollector.collect(stream, POLL, () -> { });

        assertThat(stream.timeouts).hasSize(1);
    }

    @Test
    void withoutMessageStartTheAnswerHasEmptyIdAndModelAndZeroUsage() {
        CompletionCollector collector = new CompletionCollector();

        assertThat(collector.accept(new Event.BlockStart(0, BlockType.TEXT))).isFalse();
        assertThat(collector.accept(new Event.BlockDelta(0, BlockType.TEXT, "x"))).isFalse();
        assertThat(collector.accept(new Event.MessageStop())).isTrue();
        assertThat(collector.completion()).isEqualTo(new Completion("", "",
                List.of(new ContentBlock.Text("x")), StopReason.END_TURN, Usage.ZERO));
    }
}
