package dev.claudemaxapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.claudemaxapi.engine.pool.PoolSettings;
import dev.claudemaxapi.http.ApiKey;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Start-up checks: the command line, and the CLI being there. */
class MainTest {

    private static ProxyConfig config(String... args) {
        Options options = new Options();
        new CommandLine(options).parseArgs(args);
        return options.toConfig(Map.of());
    }

    /** What {@link Main#run} returned and printed to stderr. */
    private record Run(int code, String err) {}

    private static Run run(ProxyConfig config) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return new Run(Main.run(config), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(original);
        }
    }

    @Test
    void exitsWithTheInstallCommandWhenTheCliIsMissing() throws Exception {
        Run run = run(config("0", "--claude-bin", "/nonexistent/claude"));

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err())
                .contains("not found at '/nonexistent/claude'")
                .contains("npm install -g @anthropic-ai/claude-code");
    }

    @Test
    void refusesToListenBeyondLoopbackWithoutAKey() {
        assertThatThrownBy(() -> config("--host", "0.0.0.0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without an API key");
    }

    @Test
    void listensBeyondLoopbackWithAKey() {
        ProxyConfig config = config("--host", "0.0.0.0", "--api-key", "secret");

        assertThat(config.http().apiKeys()).extracting(ApiKey::key).containsExactly("secret");
        assertThat(config.http().listen().getAddress().isAnyLocalAddress()).isTrue();
    }

    @Test
    void takesKeysFromTheEnvironmentToo() {
        Options options = new Options();
        new CommandLine(options).parseArgs("--api-key", "a");

        assertThat(options.toConfig(Map.of("CLAUDE_MAX_API_KEYS", "b, c")).http().apiKeys())
                .containsExactly(new ApiKey("key-1", "a"), new ApiKey("key-2", "b"), new ApiKey("key-3", "c"));
    }

    @Test
    void defaultsToLoopbackPort8080WithThePoolOn() {
        ProxyConfig config = config();

        assertThat(config.http().listen().getPort()).isEqualTo(8080);
        assertThat(config.http().listen().getAddress().isLoopbackAddress()).isTrue();
        assertThat(config.pool().size()).isEqualTo(6);
        assertThat(config.pool().recycling()).isEqualTo(PoolSettings.Recycling.REWIND);
    }

    @Test
    void noRecycleStopsEndedConversationsProcesses() {
        assertThat(config("--no-recycle").pool().recycling()).isEqualTo(PoolSettings.Recycling.OFF);
    }

    @Test
    void poolSizeZeroTurnsReuseOff() {
        assertThat(config("--pool-size", "0").pool().size()).isZero();
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> config("--max-concurrent", "0")).hasMessageContaining("--max-concurrent");
        assertThatThrownBy(() -> config("--log-level", "loud")).hasMessageContaining("--log-level");
    }

    @Test
    void storedResponsesLiveUnderTheXdgDataHomeForThirtyDaysByDefault() {
        Options options = new Options();
        new CommandLine(options).parseArgs();

        ProxyConfig xdg = options.toConfig(Map.of("XDG_DATA_HOME", "/srv/data", "HOME", "/home/ada"));
        ProxyConfig home = options.toConfig(Map.of("HOME", "/home/ada"));

        assertThat(xdg.store().databaseFile()).isEqualTo(Path.of("/srv/data/claude-max-api/claude-max-api.db"));
        assertThat(home.store().dataDir()).isEqualTo(Path.of("/home/ada/.local/share/claude-max-api"));
        assertThat(xdg.store().responseTtl()).isEqualTo(Duration.ofDays(30));
        assertThat(xdg.store().maxResponseBytes()).isEqualTo(1024L << 20);
    }

    @Test
    void theResponseTtlTakesAUnit() {
        assertThat(config("--response-ttl", "12h", "--data-dir", "/tmp/x").store().responseTtl())
                .isEqualTo(Duration.ofHours(12));
        assertThat(config("--response-ttl", "90m").store().responseTtl()).isEqualTo(Duration.ofMinutes(90));
        assertThat(config("--response-ttl", "45s").store().responseTtl()).isEqualTo(Duration.ofSeconds(45));
        assertThatThrownBy(() -> config("--response-ttl", "30")).hasMessageContaining("30d, 12h");
        assertThatThrownBy(() -> config("--response-ttl", "0d")).hasMessageContaining("positive");
        assertThatThrownBy(() -> config("--response-store-mb", "0")).hasMessageContaining("--response-store-mb");
    }

    @Test
    void aDatabaseThatCannotBeOpenedStopsTheServerWithTheReason() throws Exception {
        Path blocker = Files.createTempFile("not-a-dir", "");
        // any program that answers --version passes the CLI check; the data directory cannot be made under a file
        ProxyConfig config = config("0", "--claude-bin", "/bin/echo", "--data-dir", blocker.resolve("sub").toString());
        Run run;
        try {
            run = run(config);
        } finally {
            Files.delete(blocker);
        }

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains("cannot create the database file");
    }
}
