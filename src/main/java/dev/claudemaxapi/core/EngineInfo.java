package dev.claudemaxapi.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** What {@code /health} shows about the engine. */
public record EngineInfo(String cliPath, String cliVersion, Map<String, Long> stats) {
    public EngineInfo {
        // Keeps the engine's order, so /health reads the same every time.
        stats = Collections.unmodifiableMap(new LinkedHashMap<>(stats));
    }
}
