package dev.claudemaxapi;

import dev.claudemaxapi.engine.pool.PoolSettings;
import dev.claudemaxapi.http.HttpSettings;
import dev.claudemaxapi.store.StoreSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;

/**
 * The validated configuration, built from the command line by {@link Options}.
 *
 * @param cwd a working directory for the CLI, or empty for a private empty directory the server owns
 */
record ProxyConfig(
        HttpSettings http,
        String claudeBin,
        Optional<Path> cwd,
        int maxConcurrent,
        int maxQueue,
        Duration stallTimeout,
        Duration shutdownGrace,
        PoolSettings pool,
        Map<String, String> modelAliases,
        String cliTools,
        boolean useClaudeSettings,
        StoreSettings store,
        Level logLevel,
        LogFormat logFormat) {}
