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
 * @param tools    the client's tools for this turn, {@link Tools#NONE} when it offers none
 * @param options  limits on the answer: stop sequences, an output cap
 */
public record Turn(String model, Optional<String> system, List<Message> messages, Caller caller, Tools tools,
        TurnOptions options) {
    public Turn {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(tools, "tools");
        Objects.requireNonNull(options, "options");
        messages = List.copyOf(messages);
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a turn needs at least one message");
        }
    }

    /** A turn of a server that needs no key. */
    public Turn(String model, Optional<String> system, List<Message> messages) {
        this(model, system, messages, Caller.ANONYMOUS, Tools.NONE, TurnOptions.NONE);
    }

    public Turn(String model, Optional<String> system, List<Message> messages, Caller caller) {
        this(model, system, messages, caller, Tools.NONE, TurnOptions.NONE);
    }

    public Turn withCaller(Caller who) {
        return new Turn(model, system, messages, who, tools, options);
    }

    public Turn withTools(Tools offered) {
        return new Turn(model, system, messages, caller, offered, options);
    }

    public Turn withOptions(TurnOptions limits) {
        return new Turn(model, system, messages, caller, tools, limits);
    }
}
