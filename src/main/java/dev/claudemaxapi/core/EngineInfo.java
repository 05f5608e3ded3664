package dev.claudemaxapi.core;

import java.util.Map;

/** What {@code /health} shows about the engine. */
public record EngineInfo(String cliPath, String cliVersion, Map<String, Long> stats) {
    public EngineInfo {
        stats = Map.copyOf(stats);
    }
}
