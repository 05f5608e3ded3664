package dev.claudemaxapi.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageTest {

    private static final ContentBlock.Text A = new ContentBlock.Text("a");
    private static final ContentBlock.Text B = new ContentBlock.Text("b");
    private static final ContentBlock.Text C = new ContentBlock.Text("c");
    private static final ContentBlock.Text D = new ContentBlock.Text("d");

    @Test
    void joinsConsecutiveMessagesOfTheSameRoleKeepingBlockOrder() {
        List<Message> merged = Message.mergeConsecutive(List.of(
                new Message(Role.USER, List.of(A)),
                new Message(Role.USER, List.of(B, C)),
                new Message(Role.ASSISTANT, List.of(D))));

        assertThat(merged).containsExactly(
                new Message(Role.USER, List.of(A, B, C)),
                new Message(Role.ASSISTANT, List.of(D)));
    }

    @Test
    void leavesAlternatingRolesAlone() {
        List<Message> alternating = List.of(
                Message.user("a"), Message.assistant("b"), Message.user("c"), Message.assistant("d"));

        assertThat(Message.mergeConsecutive(alternating)).isEqualTo(alternating);
    }

    @Test
    void mergesRunsOfAssistantMessagesToo() {
        List<Message> merged = Message.mergeConsecutive(List.of(
                Message.user("a"), Message.assistant("b"), Message.assistant("c"), Message.assistant("d")));

        assertThat(merged).containsExactly(
                Message.user("a"), new Message(Role.ASSISTANT, List.of(B, C, D)));
    }

    @Test
    void anEmptyConversationStaysEmpty() {
        assertThat(Message.mergeConsecutive(List.of())).isEmpty();
    }

    @Test
    void doesNotChangeItsInput() {
        List<Message> input = List.of(Message.user("a"), Message.user("b"));

        Message.mergeConsecutive(input);

        assertThat(input).containsExactly(Message.user("a"), Message.user("b"));
    }

    @Test
    void mergesALongRunOfMessagesIntoOneKeepingEveryBlockInOrder() {
        List<Message> run = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            run.add(Message.user("m" + i));
        }
        run.add(Message.assistant("a"));

        List<Message> merged = Message.mergeConsecutive(run);

        assertThat(merged).hasSize(2);
        assertThat(merged.get(0).content()).hasSize(100_000);
        assertThat(merged.get(0).content().get(99_999)).isEqualTo(new ContentBlock.Text("m99999"));
        assertThat(merged.get(1)).isEqualTo(Message.assistant("a"));
    }
}
