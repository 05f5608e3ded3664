package dev.claudemaxapi.engine.cli;

import dev.claudemaxapi.core.ToolChoice;
import dev.claudemaxapi.core.Tools;
import java.util.Optional;

/**
 * How a turn's {@code tool_choice} and parallel limit are honoured on a CLI that always lets the model decide: an
 * instruction travels with the user's message, every call is checked as it starts (a call the rules forbid is kept
 * from the client and answered by the proxy with an error, so the model tries again), and a reply in prose where a
 * call was required gets one reminder in the same process before the request fails.
 */
public record ToolRules(Tools tools) {
    public static final ToolRules NONE = new ToolRules(Tools.NONE);

    /** Whether the reply must call a tool, and so must not be answered in text. */
    public boolean forcesCall() {
        return !tools.upstream().isEmpty()
                && (tools.choice() instanceof ToolChoice.Any || tools.choice() instanceof ToolChoice.Named);
    }

    private boolean oneAtATime() {
        return tools.parallel() == Tools.Parallel.ONE_AT_A_TIME;
    }

    /** What the model is told with the user's message, if these rules restrict it at all. */
    public Optional<String> instruction() {
        if (tools.upstream().isEmpty()) {
            return Optional.empty();
        }
        String rule = switch (tools.choice()) {
            case ToolChoice.Named named -> "In this reply you must call the tool " + described(named.name())
                    + (oneAtATime() ? " once" : "") + ", and write no text.";
            case ToolChoice.Any any -> "In this reply you must call " + (oneAtATime() ? "exactly one" : "at least one")
                    + " of the tools offered to you, and write no text.";
            case ToolChoice.Auto auto -> oneAtATime() ? "Call at most one tool in each reply." : "";
            case ToolChoice.None none -> "";
        };
        return rule.isEmpty() ? Optional.empty() : Optional.of("<system-reminder>" + rule + "</system-reminder>");
    }

    /** The reminder sent once when the model replied without the call these rules require. */
    String reminder() {
        String which = tools.choice() instanceof ToolChoice.Named named ? "the tool " + described(named.name())
                : "one of the tools offered to you";
        return "<system-reminder>Your reply called no tool, but this request requires a tool call. Call " + which
                + " now, and write no text.</system-reminder>";
    }

    /** Why the request fails when the reminder did not help either. */
    String failure() {
        String which = tools.choice() instanceof ToolChoice.Named named ? "the tool '" + named.name() + "'" : "a tool";
        return "The model answered without calling " + which + ", which tool_choice requires, even after a reminder.";
    }

    /**
     * Why a call of the client's tool {@code name} is kept from the client, given how many calls this reply has
     * already shown it; empty when the call may go out.
     */
    Optional<String> refusal(String name, int shownInReply) {
        if (tools.choice() instanceof ToolChoice.Named named && !named.name().equals(name)) {
            return Optional.of("Not run: only the tool " + described(named.name()) + " may be called now.");
        }
        if (oneAtATime() && shownInReply > 0) {
            return Optional.of("Not run: only one tool may be called per reply. Call it again in your next reply if"
                    + " you still need it.");
        }
        return Optional.empty();
    }

    /** A tool as the model sees it: upstream its name carries the MCP server's prefix, and may be shortened. */
    private static String described(String name) {
        return "'" + name + "' (listed to you as mcp__<server>__" + ClientToolServer.listedName(name) + ")";
    }
}
