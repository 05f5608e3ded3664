package dev.claudemaxapi.core;

import java.util.List;
import java.util.Objects;

/**
 * The client's tools for one turn and how the model may use them.
 *
 * @param offered  the tools, in the client's order
 * @param choice   whether and which tool must be called
 * @param parallel whether one answer may call several tools
 */
public record Tools(List<Tool> offered, ToolChoice choice, Parallel parallel) {
    public static final Tools NONE = new Tools(List.of(), ToolChoice.AUTO, Parallel.ALLOWED);

    public enum Parallel { ALLOWED, ONE_AT_A_TIME }

    public Tools {
        offered = List.copyOf(offered);
        Objects.requireNonNull(choice, "choice");
        Objects.requireNonNull(parallel, "parallel");
    }

    /** The tools the model is actually offered: none when the choice is {@link ToolChoice.None}. */
    public List<Tool> upstream() {
        return choice instanceof ToolChoice.None ? List.of() : offered;
    }
}
