package dev.claudemaxapi.api.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.claudemaxapi.api.Fields;
import dev.claudemaxapi.core.ProxyException;

/**
 * The Messages API parameters the proxy refuses because answering as if they had been honoured would mislead.
 * Sampling parameters ({@code temperature}, {@code top_p}, {@code top_k}), {@code metadata}, {@code service_tier}
 * and {@code context_management} are accepted without effect, as the README's table says.
 */
final class RefusedMessagesParameters {
    private RefusedMessagesParameters() {}

    /** @throws ProxyException (400) naming the first parameter that cannot be honoured */
    static void check(JsonNode root) {
        Fields.optional(root, "mcp_servers").filter(servers -> !servers.isEmpty()).ifPresent(servers -> {
            throw ProxyException.invalidParam("mcp_servers", "mcp_servers: remote MCP servers are not supported");
        });
        Fields.optional(root, "container").ifPresent(container -> {
            throw ProxyException.invalidParam("container", "container: code execution containers are not supported");
        });
    }
}
