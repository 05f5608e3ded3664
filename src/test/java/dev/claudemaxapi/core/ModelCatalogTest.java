package dev.claudemaxapi.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class ModelCatalogTest {

    private final ModelCatalog catalog = new ModelCatalog(Map.of());

    @ParameterizedTest
    @ValueSource(strings = {"opus", "sonnet", "haiku", "fable", "opusplan", "opus[1m]", "sonnet[1m]"})
    void cliAliasesPassThrough(String alias) {
        assertThat(catalog.resolve(alias)).isEqualTo(alias);
    }

    @ParameterizedTest
    @CsvSource({
        "claude-opus-4, opus",
        "claude-sonnet-4, sonnet",
        "claude-sonnet-4-20250514, sonnet",
        "claude-haiku-latest, haiku",
        "claude-fable-4, fable",
        "claude-code-cli/claude-sonnet-4, sonnet",
        "claude-code-cli/opus, opus",
        "CLAUDE-HAIKU-4, haiku",
        "'  Sonnet  ', sonnet",
    })
    void legacyAndPrefixedNamesMapToAliases(String requested, String expected) {
        assertThat(catalog.resolve(requested)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"claude-sonnet-4-5-20250929", "claude-opus-4-1", "claude-sonnet-5-5", "claude-3.5-haiku"})
    void exactClaudeIdsPassUnchanged(String id) {
        assertThat(catalog.resolve(id)).isEqualTo(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt-4o", "gpt-4o-mini", "o3", "claude", "claude-", "llama-3", "opus-4"})
    void unknownNamesAreRefusedNamingTheModelParam(String requested) {
        ProxyException refused = catchThrowableOfType(ProxyException.class, () -> catalog.resolve(requested));

        assertThat(refused).isNotNull();
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
        assertThat(refused.param()).contains("model");
        assertThat(refused.getMessage())
                .contains("'" + requested + "'")
                .contains("Accepted models: opus, sonnet, haiku, fable")
                .contains("claude-sonnet-5-5")
                .contains("any exact Claude model id");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "   "})
    void missingModelIsRefusedListingAcceptedNames(String requested) {
        ProxyException refused = catchThrowableOfType(ProxyException.class, () -> catalog.resolve(requested));

        assertThat(refused).isNotNull();
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.param()).contains("model");
        assertThat(refused.getMessage()).startsWith("model is required.").contains("Accepted models: opus");
    }

    @Test
    void operatorAliasesResolveToTheirTarget() {
        ModelCatalog withAliases = new ModelCatalog(Map.of("gpt-4o", "sonnet", "GPT-4-Turbo", "claude-opus-4"));

        assertThat(withAliases.resolve("gpt-4o")).isEqualTo("sonnet");
        assertThat(withAliases.resolve("GPT-4O")).isEqualTo("sonnet");
        assertThat(withAliases.resolve("gpt-4-turbo")).isEqualTo("opus");
        assertThat(withAliases.resolve("claude-code-cli/gpt-4o")).isEqualTo("sonnet");
    }

    @Test
    void operatorAliasesAreNamedInTheRefusalMessage() {
        ModelCatalog withAliases = new ModelCatalog(Map.of("gpt-4o", "sonnet"));

        ProxyException refused = catchThrowableOfType(ProxyException.class, () -> withAliases.resolve("gpt-5"));

        assertThat(refused.getMessage()).contains(", gpt-4o,");
    }

    @Test
    void operatorAliasToAnUnknownModelIsRefused() {
        ModelCatalog withAliases = new ModelCatalog(Map.of("cheap", "gpt-4o-mini"));

        ProxyException refused = catchThrowableOfType(ProxyException.class, () -> withAliases.resolve("cheap"));

        assertThat(refused).isNotNull();
        assertThat(refused.param()).contains("model");
        assertThat(refused.getMessage()).contains("'cheap'");
    }

    @Test
    void listsKnownModelsThenOperatorAliases() {
        Map<String, String> aliases = new LinkedHashMap<>();
        aliases.put("gpt-4o", "sonnet");
        ModelCatalog withAliases = new ModelCatalog(aliases);

        List<ModelCatalog.Entry> entries = withAliases.list();

        assertThat(entries).extracting(ModelCatalog.Entry::id).containsExactly(
                "claude-opus-5-5", "claude-sonnet-5-5", "claude-haiku-5-5", "claude-fable-5-2",
                "opus", "sonnet", "haiku", "fable", "gpt-4o");
        assertThat(entries.get(entries.size() - 1))
                .isEqualTo(new ModelCatalog.Entry("gpt-4o", "gpt-4o (alias of sonnet)", "2026-11-25T00:00:00Z"));
        assertThat(entries.get(0))
                .isEqualTo(new ModelCatalog.Entry("claude-opus-5-5", "Claude Opus 5.5", "2026-11-25T00:00:00Z"));
    }

    @Test
    void findsListedModelsByIdWithTheirDisplayName() {
        assertThat(catalog.find("sonnet"))
                .contains(new ModelCatalog.Entry("sonnet", "Claude Sonnet (latest)", "2026-11-25T00:00:00Z"));
    }

    @Test
    void findsUnlistedNamesThatStillResolve() {
        assertThat(catalog.find("claude-sonnet-4-20250514")).contains(new ModelCatalog.Entry(
                "claude-sonnet-4-20250514", "claude-sonnet-4-20250514", "2026-11-25T00:00:00Z"));
    }

    @Test
    void findsOperatorAliases() {
        ModelCatalog withAliases = new ModelCatalog(Map.of("gpt-4o", "sonnet"));

        assertThat(withAliases.find("gpt-4o")).map(ModelCatalog.Entry::displayName)
                .contains("gpt-4o (alias of sonnet)");
    }

    @Test
    void findsNothingForUnknownNames() {
        assertThat(catalog.find("gpt-4o")).isEmpty();
        assertThat(catalog.find("")).isEmpty();
    }
}
