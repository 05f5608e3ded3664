package dev.claudemaxapi.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which model names clients may ask for, and what the CLI is told to run for each.
 *
 * <p>The CLI's aliases pass through (it resolves them to the current models itself); the names the original proxy
 * used ({@code claude-sonnet-4}, date-suffixed variants, the {@code claude-code-cli/} prefix) map to aliases; exact
 * Claude model ids pass through unchanged; anything else is refused, so a typo never silently runs the most
 * expensive model.
 */
public final class ModelCatalog {

    /** A model as {@code /v1/models} lists it. */
    public record Entry(String id, String displayName, String createdAt) {}

    private static final String CLI_PREFIX = "claude-code-cli/";
    private static final List<String> CLI_ALIASES =
            List.of("opus", "sonnet", "haiku", "fable", "opusplan", "opus[1m]", "sonnet[1m]");
    private static final Pattern LEGACY_NAME =
            Pattern.compile("claude-(opus|sonnet|haiku|fable)-(?:4|latest)(?:-\\d{8})?");
    private static final Pattern EXACT_ID = Pattern.compile("claude-[a-z0-9][a-z0-9.\\-]*(?:\\[1m\\])?");
    /** When these entries were added to the catalog; the CLI does not report release dates. */
    private static final String CATALOG_DATE = "2026-11-25T00:00:00Z";
    /** What the pinned CLI (2.1.328) resolves its aliases to. */
    private static final List<Entry> KNOWN_MODELS = List.of(
            new Entry("claude-opus-5-5", "Claude Opus 5.5", CATALOG_DATE),
            new Entry("claude-sonnet-5-5", "Claude Sonnet 5.5", CATALOG_DATE),
            new Entry("claude-haiku-5-5", "Claude Haiku 5.5", CATALOG_DATE),
            new Entry("claude-fable-5-2", "Claude Fable 5.2", CATALOG_DATE),
            new Entry("opus", "Claude Opus (latest)", CATALOG_DATE),
            new Entry("sonnet", "Claude Sonnet (latest)", CATALOG_DATE),
            new Entry("haiku", "Claude Haiku (latest)", CATALOG_DATE),
            new Entry("fable", "Claude Fable (latest)", CATALOG_DATE));

    /** Replaced whole when the operator reloads the configuration; never changed in place. */
    private volatile Map<String, String> operatorAliases;

    /** @param operatorAliases extra names (lower case) and the model each runs, which is itself resolved */
    public ModelCatalog(Map<String, String> operatorAliases) {
        this.operatorAliases = lowerCased(operatorAliases);
    }

    /** Takes a new set of operator aliases (a configuration reload); requests already decoded keep theirs. */
    public void replaceAliases(Map<String, String> aliases) {
        this.operatorAliases = lowerCased(aliases);
    }

    private static Map<String, String> lowerCased(Map<String, String> aliases) {
        Map<String, String> copy = new LinkedHashMap<>();
        aliases.forEach((name, target) -> copy.put(name.toLowerCase(Locale.ROOT), target));
        return Map.copyOf(copy);
    }

    /**
     * Whether a model name is one this catalog lists or an operator alias runs: a name the server itself knows, so
     * fit to be a metrics label (a client can send any {@code claude-...} id).
     */
    public boolean lists(String model) {
        String name = model.toLowerCase(Locale.ROOT);
        return CLI_ALIASES.contains(name) || KNOWN_MODELS.stream().anyMatch(entry -> entry.id().equals(name))
                || operatorAliases.containsValue(name);
    }

    /**
     * The model argument to give the CLI for a requested name.
     *
     * @throws ProxyException (400, param {@code model}) for a missing or unknown name
     */
    public String resolve(String requested) {
        if (requested == null || requested.isBlank()) {
            throw ProxyException.invalidParam("model", "model is required. " + acceptedNames());
        }
        String name = requested.trim().toLowerCase(Locale.ROOT);
        if (name.startsWith(CLI_PREFIX)) {
            name = name.substring(CLI_PREFIX.length());
        }
        String target = operatorAliases.get(name);
        if (target != null) {
            return resolveBuiltIn(target.trim().toLowerCase(Locale.ROOT), requested);
        }
        return resolveBuiltIn(name, requested);
    }

    private String resolveBuiltIn(String name, String requested) {
        if (CLI_ALIASES.contains(name)) {
            return name;
        }
        Matcher legacy = LEGACY_NAME.matcher(name);
        if (legacy.matches()) {
            return legacy.group(1);
        }
        if (EXACT_ID.matcher(name).matches()) {
            return name;
        }
        throw ProxyException.invalidParam("model",
                "The model '" + requested + "' is not available here. " + acceptedNames());
    }

    private String acceptedNames() {
        List<String> names = new ArrayList<>(CLI_ALIASES);
        names.addAll(operatorAliases.keySet());
        names.addAll(KNOWN_MODELS.stream().map(Entry::id).filter(id -> id.startsWith("claude-")).toList());
        return "Accepted models: " + String.join(", ", names)
                + ", or any exact Claude model id (claude-...).";
    }

    /** The models to list, operator aliases last. */
    public List<Entry> list() {
        List<Entry> all = new ArrayList<>(KNOWN_MODELS);
        operatorAliases.forEach((name, target) ->
                all.add(new Entry(name, name + " (alias of " + target + ")", CATALOG_DATE)));
        return all;
    }

    /** A listed model by id, or an unlisted name that still resolves (so clients can look up what they use). */
    public Optional<Entry> find(String id) {
        for (Entry entry : list()) {
            if (entry.id().equals(id)) {
                return Optional.of(entry);
            }
        }
        try {
            resolve(id);
            return Optional.of(new Entry(id, id, CATALOG_DATE));
        } catch (ProxyException unknown) {
            return Optional.empty();
        }
    }
}
