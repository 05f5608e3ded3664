package dev.claudemaxapi.engine.cli;

import java.util.Optional;

/** The client's tools as one turn's translator needs them from the process that offers them. */
public interface ClientToolCalls {
    /** For a turn without client tools: every call is the CLI's own business. */
    ClientToolCalls NONE = new ClientToolCalls() {
        @Override
        public Optional<String> clientName(String upstreamName) {
            return Optional.empty();
        }

        @Override
        public void withhold(String toolUseId, String reason) {
            throw new IllegalStateException("no client tools to withhold");
        }
    };

    /** The client's name of a tool called upstream as {@code upstreamName}; empty for a tool that is not the client's. */
    Optional<String> clientName(String upstreamName);

    /** Keeps a call from the client: when the CLI makes it, the proxy answers it with {@code reason} as an error. */
    void withhold(String toolUseId, String reason);
}
