package dev.claudemaxapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.claudemaxapi.engine.pool.PoolSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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

    @Test
    void exitsWithTheInstallCommandWhenTheCliIsMissing() throws Exception {
        ProxyConfig config = config("0", "--claude-bin", "/nonexistent/claude");
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.run(config);
        } finally {
            System.setErr(original);
        }

        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
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

        assertThat(config.http().apiKeys()).containsExactly("secret");
        assertThat(config.http().listen().getAddress().isAnyLocalAddress()).isTrue();
    }

    @Test
    void takesKeysFromTheEnvironmentToo() {
        Options options = new Options();
        new CommandLine(options).parseArgs("--api-key", "a");

        assertThat(options.toConfig(Map.of("CLAUDE_MAX_API_KEYS", "b, c")).http().apiKeys())
                .containsExactly("a", "b", "c");
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
}
