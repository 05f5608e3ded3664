package dev.claudemaxapi.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** One message of a conversation. */
public record Message(Role role, List<ContentBlock> content) {
    public Message {
        Objects.requireNonNull(role, "role");
        content = List.copyOf(content);
    }

    public static Message user(String text) {
        return new Message(Role.USER, List.of(new ContentBlock.Text(text)));
    }

    public static Message assistant(String text) {
        return new Message(Role.ASSISTANT, List.of(new ContentBlock.Text(text)));
    }

    /** Where the last assistant message is, or -1: what comes before and after it is history and new input. */
    public static int lastAssistantIndex(List<Message> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role() == Role.ASSISTANT) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Joins consecutive messages of the same role into one, as the Messages API itself does. Linear in the number of
     * blocks: a run of many short messages is gathered once, not copied again for each message it absorbs.
     */
    public static List<Message> mergeConsecutive(List<Message> messages) {
        List<Message> merged = new ArrayList<>();
        int start = 0;
        while (start < messages.size()) {
            Role role = messages.get(start).role();
            int end = start;
            List<ContentBlock> content = new ArrayList<>();
            while (end < messages.size() && messages.get(end).role() == role) {
                content.addAll(messages.get(end).content());
                end++;
            }
            merged.add(end - start == 1 ? messages.get(start) : new Message(role, content));
            start = end;
        }
        return merged;
    }
}
