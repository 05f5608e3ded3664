package dev.claudemaxapi.core;

import java.util.Map;

/** What {@code /health} shows about the engine. */
public record EngineInfo(String cliPath, String cliVersion, Map<String, Long> stats) {
    public EngineInfo {
        // Keeps the engine's order, so /health reads the same every time.
        stats = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(stats));
    }
}
