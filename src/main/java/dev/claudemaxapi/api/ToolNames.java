package dev.claudemaxapi.api;

import dev.claudemaxapi.core.ProxyException;
import dev.claudemaxapi.core.Tool;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The checks both APIs make on the tools a request offers. */
public final class ToolNames {
    /** Letters, digits, {@code _}, {@code -}, and the dots and colons of namespaced names, up to 128 characters. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

    private ToolNames() {}

    /** @throws ProxyException (400) for a malformed name */
    public static String check(String name, String at) {
        if (!NAME.matcher(name).matches()) {
            throw ProxyException.invalidParam(at, at + ": a tool name is 1 to 128 letters, digits, '_', '-', '.' or ':'");
        }
        return name;
    }

    /** @throws ProxyException (400) when two tools share a name */
    public static List<Tool> distinct(List<Tool> tools, String at) {
        Set<String> seen = new HashSet<>();
        for (Tool tool : tools) {
            if (!seen.add(tool.name())) {
                throw ProxyException.invalidParam(at, at + ": the tool name '" + tool.name() + "' is used twice");
            }
        }
        return tools;
    }

    /** @throws ProxyException (400) when a tool choice names a tool the request does not offer */
    public static void requireOffered(String name, List<Tool> tools, String at) {
        if (tools.stream().noneMatch(tool -> tool.name().equals(name))) {
            throw ProxyException.invalidParam(at, at + ": names the tool '" + name + "', which is not in tools");
        }
    }
}
