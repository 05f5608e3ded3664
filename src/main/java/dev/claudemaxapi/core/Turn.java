package dev.claudemaxapi.core;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One request for a model answer, independent of the API it came in on.
 *
 * @param model    the CLI model name to run: an alias such as {@code sonnet} or an exact model id
 * @param system   the client's system prompt, if any
 * @param messages the conversation, oldest first; never empty
 * @param caller   who asked: state kept between requests is only ever shared with the same caller
 */
public record Turn(String model, Optional<String> system, List<Message> messages, Caller caller) {
    public Turn {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(caller, "caller");
        messages = List.copyOf(messages);
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a turn needs at least one message");
        }
    }

    /** A turn of a server that needs no key. */
    public Turn(String model, Optional<String> system, List<Message> messages) {
        this(model, system, messages, Caller.ANONYMOUS);
    }

    public Turn withCaller(Caller who) {
        return new Turn(model, system, messages, who);
    }
}
