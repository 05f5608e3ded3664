package dev.claudemaxapi;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.claudemaxapi.http.ApiKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The YAML configuration file: the same keys as the command line's options (without the dashes), plus
 * {@code api-keys} (each with a {@code name} and a {@code key}), {@code cors-origins} and {@code model-aliases}.
 * Nothing in it is ignored: an unknown key or a value of the wrong type stops the start with the file and line.
 *
 * <pre>
 * port: 8080
 * max-concurrent: 4
 * api-keys:
 *   - name: laptop
 *     key: sk-local-...
 * model-aliases:
 *   gpt-4o: sonnet
 * </pre>
 */
final class ConfigFile {
    /** Keys whose value is a list or a map, read here rather than as an option's single value. */
    static final String API_KEYS = "api-keys";
    static final String CORS_ORIGINS = "cors-origins";
    static final String MODEL_ALIASES = "model-aliases";

    /** A scalar value as written, and where. */
    record Value(String text, int line) {}

    /** A wrong file: the message names the file and the line. */
    static final class Invalid extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        Invalid(Path file, int line, String message) {
            super(file + (line > 0 ? " line " + line : "") + ": " + message);
        }
    }

    private final Map<String, Value> scalars;
    private final List<ApiKey> apiKeys;
    private final List<String> corsOrigins;
    private final Map<String, String> modelAliases;

    private ConfigFile(Map<String, Value> scalars, List<ApiKey> apiKeys, List<String> corsOrigins,
            Map<String, String> modelAliases) {
        this.scalars = Map.copyOf(scalars);
        this.apiKeys = List.copyOf(apiKeys);
        this.corsOrigins = List.copyOf(corsOrigins);
        this.modelAliases = Map.copyOf(modelAliases);
    }

    static ConfigFile empty() {
        return new ConfigFile(Map.of(), List.of(), List.of(), Map.of());
    }

    /**
     * @param knownScalar whether a key names an option that takes one value
     * @param typeCheck   checks a scalar's text for its option, returning what is wrong with it
     * @throws Invalid for a file that cannot be read, is not YAML, or has an unknown key or a wrong value
     */
    static ConfigFile read(Path file, Predicate<String> knownScalar, TypeCheck typeCheck) {
        // a key given twice is a mistake to report, not a value to pick
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION));
        Map<String, Value> scalars = new LinkedHashMap<>();
        List<ApiKey> apiKeys = new ArrayList<>();
        List<String> corsOrigins = new ArrayList<>();
        Map<String, String> modelAliases = new LinkedHashMap<>();
        try (JsonParser parser = yaml.getFactory().createParser(Files.readAllBytes(file))) {
            JsonToken start = parser.nextToken();
            if (start == null) {
                return empty();
            }
            if (start != JsonToken.START_OBJECT) {
                throw new Invalid(file, line(parser), "the file must be a mapping of keys to values");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                int line = line(parser);
                parser.nextToken();
                JsonNode value = yaml.readTree(parser);
                switch (key) {
                    case API_KEYS -> apiKeys.addAll(apiKeys(file, line, value));
                    case CORS_ORIGINS -> corsOrigins.addAll(strings(file, line, key, value));
                    case MODEL_ALIASES -> modelAliases.putAll(aliases(file, line, value));
                    default -> {
                        if (!knownScalar.test(key)) {
                            throw new Invalid(file, line, "unknown key '" + key + "'; the keys are the options of"
                                    + " --help without their dashes, and api-keys, cors-origins, model-aliases");
                        }
                        if (!value.isValueNode() || value.isNull()) {
                            throw new Invalid(file, line, "'" + key + "' takes a single value");
                        }
                        String text = value.asText();
                        Optional<String> wrong = typeCheck.problem(key, text);
                        if (wrong.isPresent()) {
                            throw new Invalid(file, line, "'" + key + "' " + wrong.get() + ", not '" + text + "'");
                        }
                        scalars.put(key, new Value(text, line));
                    }
                }
            }
        } catch (IOException e) {
            throw new Invalid(file, 0, "cannot be read as YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        return new ConfigFile(scalars, apiKeys, corsOrigins, modelAliases);
    }

    /** What is wrong with a value for an option, if anything: "must be a whole number"... */
    @FunctionalInterface
    interface TypeCheck {
        Optional<String> problem(String key, String text);
    }

    private static int line(JsonParser parser) {
        return parser.currentTokenLocation().getLineNr();
    }

    private static List<ApiKey> apiKeys(Path file, int line, JsonNode value) {
        if (!value.isArray()) {
            throw new Invalid(file, line, "'api-keys' takes a list of keys, each with a name and a key");
        }
        List<ApiKey> keys = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode entry = value.get(i);
            String which = "api-keys entry " + (i + 1);
            if (entry.isTextual()) {
                keys.add(new ApiKey("file-key-" + (i + 1), nonBlank(file, line, entry.asText(), which)));
            } else if (entry.isObject() && entry.path("key").isTextual()) {
                List<String> extra = new ArrayList<>();
                entry.fieldNames().forEachRemaining(name -> {
                    if (!name.equals("name") && !name.equals("key")) {
                        extra.add(name);
                    }
                });
                if (!extra.isEmpty()) {
                    throw new Invalid(file, line, which + " has a name and a key, not " + extra);
                }
                String name = entry.path("name").isTextual() ? entry.path("name").asText() : "file-key-" + (i + 1);
                keys.add(new ApiKey(name, nonBlank(file, line, entry.path("key").asText(), which + "'s key")));
            } else {
                throw new Invalid(file, line, which + " is a key, or a mapping with a name and a key");
            }
        }
        return keys;
    }

    private static String nonBlank(Path file, int line, String text, String what) {
        if (text.isBlank()) {
            throw new Invalid(file, line, what + " cannot be blank");
        }
        return text;
    }

    private static List<String> strings(Path file, int line, String key, JsonNode value) {
        if (!value.isArray()) {
            throw new Invalid(file, line, "'" + key + "' takes a list");
        }
        List<String> strings = new ArrayList<>();
        for (JsonNode entry : value) {
            if (!entry.isTextual()) {
                throw new Invalid(file, line, "'" + key + "' takes a list of strings");
            }
            strings.add(entry.asText());
        }
        return strings;
    }

    private static Map<String, String> aliases(Path file, int line, JsonNode value) {
        if (!value.isObject()) {
            throw new Invalid(file, line, "'model-aliases' takes a mapping of names to models, e.g. gpt-4o: sonnet");
        }
        Map<String, String> aliases = new LinkedHashMap<>();
        value.fields().forEachRemaining(alias -> {
            if (!alias.getValue().isTextual()) {
                throw new Invalid(file, line, "the model of alias '" + alias.getKey() + "' must be a string");
            }
            aliases.put(alias.getKey(), alias.getValue().asText());
        });
        return aliases;
    }

    Optional<Value> scalar(String key) {
        return Optional.ofNullable(scalars.get(key));
    }

    List<ApiKey> apiKeys() {
        return apiKeys;
    }

    List<String> corsOrigins() {
        return corsOrigins;
    }

    Map<String, String> modelAliases() {
        return modelAliases;
    }
}
