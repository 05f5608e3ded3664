package dev.claudemaxapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.claudemaxapi.http.ApiKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The configuration from every source, in this order: the command line, then the environment
 * ({@code CLAUDE_MAX_API_<KEY>}, e.g. {@code CLAUDE_MAX_API_MAX_CONCURRENT}), then the YAML file ({@code --config}, else
 * {@code $XDG_CONFIG_HOME/claude-max-api/config.yaml} when it exists), then the defaults. A value comes from the first
 * source that has it; API keys from all of them are accepted; model aliases of the file are overridden, name by name,
 * by {@code --model-alias}.
 */
final class ConfigLoader {
    static final String ENV_PREFIX = "CLAUDE_MAX_API_";
    /** Options that are not settings, or whose values are lists read apart. */
    private static final Set<String> NOT_IN_FILE = Set.of("config", "print-config", "help", "version", "api-key",
            "cors-origin", "model-alias");

    /** @param file the configuration file read, if any */
    record Loaded(CommandLine commandLine, Options options, ProxyConfig config, Optional<Path> file) {}

    private ConfigLoader() {}

    /**
     * @throws CommandLine.ParameterException for a command line picocli refuses
     * @throws IllegalArgumentException       for a wrong file, environment value or combination, with what to fix
     */
    static Loaded load(String[] args, Map<String, String> environment) {
        Options options = new Options();
        CommandLine commandLine = new CommandLine(options);
        refuseUnknownVariables(commandLine, environment);
        Optional<Path> location = location(args, environment);
        ConfigFile file = location.map(path -> ConfigFile.read(path, key -> settingKeys(commandLine).contains(key),
                (key, text) -> problem(option(commandLine, key), text))).orElse(ConfigFile.empty());
        commandLine.setDefaultValueProvider(arg -> defaultValue(arg, file, environment));
        commandLine.parseArgs(args);
        return new Loaded(commandLine, options, options.toConfig(environment, file), location);
    }

    /** A misspelt {@code CLAUDE_MAX_API_...} would be ignored without a word, like an unknown key in the file. */
    private static void refuseUnknownVariables(CommandLine commandLine, Map<String, String> environment) {
        Set<String> known = new TreeSet<>(Set.of(ENV_PREFIX + "KEYS", ENV_PREFIX + "CONFIG"));
        settingKeys(commandLine).forEach(key -> known.add(environmentName(key)));
        for (String name : environment.keySet()) {
            if (name.startsWith(ENV_PREFIX) && !known.contains(name)) {
                throw new IllegalArgumentException("unknown environment variable " + name + "; the variables are "
                        + ENV_PREFIX + "<OPTION> for the options of --help (" + ENV_PREFIX + "MAX_CONCURRENT...), "
                        + ENV_PREFIX + "KEYS for API keys (comma-separated) and " + ENV_PREFIX + "CONFIG.");
            }
        }
    }

    /** {@code --config PATH} or {@code --config=PATH}, else the environment's, else the XDG default if it exists. */
    static Optional<Path> location(String[] args, Map<String, String> environment) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                return Optional.of(existing(Path.of(args[i + 1])));
            }
            if (args[i].startsWith("--config=")) {
                return Optional.of(existing(Path.of(args[i].substring("--config=".length()))));
            }
        }
        String fromEnvironment = environment.get(ENV_PREFIX + "CONFIG");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return Optional.of(existing(Path.of(fromEnvironment)));
        }
        Path standard = defaultLocation(environment);
        return Files.isRegularFile(standard) ? Optional.of(standard) : Optional.empty();
    }

    static Path defaultLocation(Map<String, String> environment) {
        String xdg = environment.get("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "claude-max-api", "config.yaml");
        }
        String home = environment.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home, ".config", "claude-max-api", "config.yaml");
    }

    private static Path existing(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--config: no such file: " + file);
        }
        return file;
    }

    /** The file's and the environment's keys: the options' long names without dashes, and the port. */
    private static Set<String> settingKeys(CommandLine commandLine) {
        Set<String> keys = new TreeSet<>();
        keys.add("port");
        for (OptionSpec option : commandLine.getCommandSpec().options()) {
            String key = key(option);
            if (!NOT_IN_FILE.contains(key)) {
                keys.add(key);
            }
        }
        return keys;
    }

    private static String key(OptionSpec option) {
        return option.longestName().replaceFirst("^--?", "");
    }

    private static Optional<OptionSpec> option(CommandLine commandLine, String key) {
        return commandLine.getCommandSpec().options().stream().filter(option -> key(option).equals(key)).findFirst();
    }

    /** What is wrong with a file's value for an option of that type, if anything. */
    private static Optional<String> problem(Optional<OptionSpec> option, String text) {
        Class<?> type = option.map(OptionSpec::type).orElse(int.class);
        try {
            if (type == int.class || type == Integer.class) {
                Integer.parseInt(text);
            } else if (type == long.class || type == Long.class) {
                Long.parseLong(text);
            } else if (type == double.class || type == Double.class) {
                Double.parseDouble(text);
            } else if (type == boolean.class || type == Boolean.class) {
                if (!text.equals("true") && !text.equals("false")) {
                    return Optional.of("must be true or false");
                }
            }
        } catch (NumberFormatException e) {
            return Optional.of(type == double.class || type == Double.class ? "must be a number"
                    : "must be a whole number");
        }
        return Optional.empty();
    }

    private static String defaultValue(ArgSpec arg, ConfigFile file, Map<String, String> environment) {
        String key = arg instanceof OptionSpec option ? key(option) : "port";
        if (NOT_IN_FILE.contains(key)) {
            return null;
        }
        String fromEnvironment = environment.get(environmentName(key));
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment;
        }
        return file.scalar(key).map(ConfigFile.Value::text).orElse(null);
    }

    static String environmentName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** The merged configuration as YAML, keys masked: what {@code --print-config} shows. */
    static String describe(Loaded loaded) {
        Map<String, Object> merged = new LinkedHashMap<>();
        merged.put("port", loaded.config().http().listen().getPort());
        for (OptionSpec option : loaded.commandLine().getCommandSpec().options()) {
            String key = key(option);
            if (NOT_IN_FILE.contains(key)) {
                continue;
            }
            Object value = option.getValue();
            merged.put(key, key.equals("metrics-key") && value != null ? "****" : value);
        }
        List<Map<String, String>> keys = loaded.config().http().apiKeys().stream()
                .map(key -> Map.of("name", key.name(), "key", key.masked())).toList();
        merged.put(ConfigFile.API_KEYS, keys);
        merged.put(ConfigFile.CORS_ORIGINS, List.copyOf(loaded.config().http().corsOrigins()));
        merged.put(ConfigFile.MODEL_ALIASES, loaded.config().modelAliases());
        try {
            return "# merged: command line > environment > " + loaded.file().map(Path::toString)
                    .orElse("(no config file)") + " > defaults\n" + new YAMLMapper().writeValueAsString(merged)
                    .replaceFirst("^---\\n", "");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("plain values always serialize", e);
        }
    }

    /** Keys a SIGHUP reload takes up; the other settings need a restart. */
    static List<ApiKey> apiKeys(Loaded loaded) {
        return loaded.config().http().apiKeys();
    }
}
