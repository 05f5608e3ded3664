package dev.claudemaxapi.engine.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudemaxapi.core.Caller;
import dev.claudemaxapi.core.Message;
import dev.claudemaxapi.core.Tools;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConversationKeyTest {
    private static final List<Message> CONVERSATION = List.of(Message.user("Hi"), Message.assistant("Hello"));

    @Test
    void theSameConversationOfAnotherCallerHasAnotherKey() {
        String a = ConversationKey.of(new Caller("key-a"), "sonnet", Optional.empty(), Tools.NONE, CONVERSATION);
        String b = ConversationKey.of(new Caller("key-b"), "sonnet", Optional.empty(), Tools.NONE, CONVERSATION);

        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void theSameConversationOfTheSameCallerHasTheSameKey() {
        assertThat(ConversationKey.of(new Caller("key-a"), "sonnet", Optional.of("S"), Tools.NONE, CONVERSATION))
                .isEqualTo(ConversationKey.of(new Caller("key-a"), "sonnet", Optional.of("S"), Tools.NONE, List.copyOf(CONVERSATION)));
    }

    @Test
    void modelSystemPromptAndEveryMessageCount() {
        String base = ConversationKey.of(Caller.ANONYMOUS, "sonnet", Optional.empty(), Tools.NONE, CONVERSATION);

        assertThat(ConversationKey.of(Caller.ANONYMOUS, "opus", Optional.empty(), Tools.NONE, CONVERSATION)).isNotEqualTo(base);
        assertThat(ConversationKey.of(Caller.ANONYMOUS, "sonnet", Optional.of("S"), Tools.NONE, CONVERSATION)).isNotEqualTo(base);
        assertThat(ConversationKey.of(Caller.ANONYMOUS, "sonnet", Optional.empty(), Tools.NONE,
                List.of(Message.user("Hi"), Message.assistant("Hello!")))).isNotEqualTo(base);
    }
}
