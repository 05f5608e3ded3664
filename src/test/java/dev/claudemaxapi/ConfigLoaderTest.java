package dev.claudemaxapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.claudemaxapi.engine.pool.PoolSettings;
import dev.claudemaxapi.http.ApiKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration from the command line, the environment, the YAML file and the defaults, in that order. */
class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Path file(String yaml) throws Exception {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private ConfigLoader.Loaded load(Map<String, String> environment, String... args) {
        return ConfigLoader.load(args, environment);
    }

    @Test
    void theCommandLineBeatsTheEnvironmentWhichBeatsTheFileWhichBeatsTheDefaults() throws Exception {
        String config = file("max-concurrent: 3\nmax-queue: 9\n").toString();
        Map<String, String> environment = Map.of("CLAUDE_MAX_API_MAX_CONCURRENT", "5", "HOME", dir.toString());

        assertThat(load(environment, "--config", config, "--max-concurrent", "7").config().maxConcurrent())
                .isEqualTo(7);
        assertThat(load(environment, "--config", config).config().maxConcurrent()).isEqualTo(5);
        assertThat(load(Map.of("HOME", dir.toString()), "--config", config).config().maxConcurrent()).isEqualTo(3);
        assertThat(load(Map.of("HOME", dir.toString())).config().maxConcurrent()).isEqualTo(4);
        assertThat(load(environment, "--config=" + config).config().maxQueue()).isEqualTo(9);
    }

    @Test
    void theFileUnderTheXdgConfigHomeIsReadWhenThereIsOne() throws Exception {
        Path standard = dir.resolve("xdg/claude-max-api/config.yaml");
        Files.createDirectories(standard.getParent());
        Files.writeString(standard, "port: 9191\nno-recycle: true\nresponse-ttl: 12h\n");

        ConfigLoader.Loaded loaded = load(Map.of("XDG_CONFIG_HOME", dir.resolve("xdg").toString()));

        assertThat(loaded.file()).contains(standard);
        assertThat(loaded.config().http().listen().getPort()).isEqualTo(9191);
        assertThat(loaded.config().pool().recycling()).isEqualTo(PoolSettings.Recycling.OFF);
        assertThat(loaded.config().store().responseTtl()).hasHours(12);
    }

    @Test
    void keysFromEverySourceAreTakenWithTheFilesNames() throws Exception {
        String config = file("""
                api-keys:
                  - name: laptop
                    key: sk-laptop-0123456789
                  - sk-unnamed-key
                model-aliases:
                  gpt-4o: sonnet
                  gpt-4o-mini: haiku
                cors-origins: [http://localhost:3000]
                """).toString();

        ProxyConfig loaded = load(Map.of("CLAUDE_MAX_API_KEYS", "sk-env", "HOME", dir.toString()), "--config", config,
                "--api-key", "sk-flag", "--model-alias", "gpt-4o=opus").config();

        assertThat(loaded.http().apiKeys()).extracting(ApiKey::name)
                .containsExactly("key-1", "key-2", "laptop", "file-key-2");
        assertThat(loaded.http().apiKeys()).extracting(ApiKey::key)
                .containsExactly("sk-flag", "sk-env", "sk-laptop-0123456789", "sk-unnamed-key");
        assertThat(loaded.modelAliases()).containsEntry("gpt-4o", "opus").containsEntry("gpt-4o-mini", "haiku");
        assertThat(loaded.http().corsOrigins()).containsExactly("http://localhost:3000");
    }

    @Test
    void anUnknownKeyStopsTheStartNamingTheFileAndTheLine() throws Exception {
        String config = file("port: 8080\n\nmax-concurent: 4\n").toString();

        assertThatThrownBy(() -> load(Map.of(), "--config", config)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("config.yaml line 3").hasMessageContaining("unknown key 'max-concurent'");
    }

    @Test
    void aValueOfTheWrongTypeStopsTheStartNamingTheLine() throws Exception {
        assertThatThrownBy(() -> load(Map.of(), "--config", file("pool-size: 6\nmax-queue: lots\n").toString()))
                .hasMessageContaining("line 2").hasMessageContaining("'max-queue' must be a whole number, not 'lots'");
        assertThatThrownBy(() -> load(Map.of(), "--config", file("no-recycle: maybe\n").toString()))
                .hasMessageContaining("line 1").hasMessageContaining("must be true or false");
        assertThatThrownBy(() -> load(Map.of(), "--config", file("model-aliases: [a, b]\n").toString()))
                .hasMessageContaining("line 1").hasMessageContaining("mapping of names to models");
        assertThatThrownBy(() -> load(Map.of(), "--config", file("api-keys:\n  - name: x\n    secret: y\n")
                .toString())).hasMessageContaining("line 1");
        assertThatThrownBy(() -> load(Map.of(), "--config", file("host: [a\n").toString()))
                .hasMessageContaining("cannot be read as YAML");
        assertThatThrownBy(() -> load(Map.of(), "--config", dir.resolve("missing.yaml").toString()))
                .hasMessageContaining("no such file");
    }

    @Test
    void printConfigShowsTheMergedValuesWithKeysMasked() throws Exception {
        String config = file("""
                max-concurrent: 3
                metrics-key: scrape-secret-0001
                api-keys:
                  - name: laptop
                    key: sk-laptop-0123456789
                """).toString();

        String printed = ConfigLoader.describe(load(Map.of("HOME", dir.toString()), "--config", config,
                "--api-key", "flag-secret-abcdefgh"));

        assertThat(printed).contains("max-concurrent: 3").contains("name: \"laptop\"").contains("****6789")
                .contains("metrics-key: \"****\"").contains(config);
        assertThat(printed).doesNotContain("sk-laptop-0123456789").doesNotContain("scrape-secret")
                .doesNotContain("flag-secret-abcdefgh");
    }

    @Test
    void theExampleInTheRepositoryLoads() {
        ConfigLoader.Loaded loaded = load(Map.of("HOME", dir.toString()), "--config", "example.yaml");

        assertThat(loaded.config().modelAliases()).containsEntry("gpt-4o", "sonnet");
        assertThat(loaded.config().http().listen().getPort()).isEqualTo(8080);
    }

    @Test
    void aMisspeltVariableOrADuplicateKeyIsAnErrorNotIgnored() throws Exception {
        assertThatThrownBy(() -> load(Map.of("CLAUDE_MAX_API_MAX_CONCURENT", "8")))
                .hasMessageContaining("unknown environment variable CLAUDE_MAX_API_MAX_CONCURENT");
        assertThatThrownBy(() -> load(Map.of("CLAUDE_MAX_API_API_KEY", "s3cret")))
                .hasMessageContaining("CLAUDE_MAX_API_KEYS");
        assertThatThrownBy(() -> load(Map.of(), "--config", file("port: 1\nport: 2\n").toString()))
                .hasMessageContaining("Duplicate");
    }

    @Test
    void aSwitchSetInTheFileCanBeTurnedOffOnTheCommandLine() throws Exception {
        String config = file("use-claude-settings: true\nno-recycle: true\n").toString();

        ProxyConfig fromFile = load(Map.of("HOME", dir.toString()), "--config", config).config();
        ProxyConfig overridden = load(Map.of("HOME", dir.toString()), "--config", config,
                "--use-claude-settings=false", "--no-recycle=false").config();

        assertThat(fromFile.useClaudeSettings()).isTrue();
        assertThat(overridden.useClaudeSettings()).isFalse();
        assertThat(overridden.pool().recycling()).isEqualTo(PoolSettings.Recycling.REWIND);
    }
}
