package dev.claudemaxapi.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CliEnvironmentTest {

    @Test
    void keepsTheServersOwnKeysAndSecretsOutOfTheCli() {
        Map<String, String> env = CliEnvironment.from(Map.of(
                "CLAUDE_MAX_API_KEYS", "sk-server-key",
                "CLAUDE_MAX_API_CONFIG", "/etc/secret.yaml",
                "DATABASE_PASSWORD", "hunter2",
                "GITHUB_TOKEN", "ghp_x",
                "PATH", "/usr/bin"));

        assertThat(env).doesNotContainKeys("CLAUDE_MAX_API_KEYS", "CLAUDE_MAX_API_CONFIG", "DATABASE_PASSWORD",
                "GITHUB_TOKEN");
        assertThat(env).containsEntry("PATH", "/usr/bin");
    }

    @Test
    void passesWhatTheCliNeedsToReachItsApi() {
        Map<String, String> env = CliEnvironment.from(Map.of(
                "HOME", "/home/u",
                "CLAUDE_CODE_OAUTH_TOKEN", "oat",
                "ANTHROPIC_BASE_URL", "http://127.0.0.1:9",
                "HTTPS_PROXY", "http://proxy:3128",
                "NODE_EXTRA_CA_CERTS", "/etc/ca.pem",
                "LC_ALL", "C.UTF-8",
                "CLAUDE_CODE_USE_BEDROCK", "1",
                "AWS_REGION", "eu-west-1"));

        assertThat(env).containsEntry("HOME", "/home/u").containsEntry("CLAUDE_CODE_OAUTH_TOKEN", "oat")
                .containsEntry("ANTHROPIC_BASE_URL", "http://127.0.0.1:9").containsEntry("HTTPS_PROXY",
                        "http://proxy:3128")
                .containsEntry("NODE_EXTRA_CA_CERTS", "/etc/ca.pem").containsEntry("LC_ALL", "C.UTF-8")
                .containsEntry("CLAUDE_CODE_USE_BEDROCK", "1").containsEntry("AWS_REGION", "eu-west-1");
    }

    @Test
    void dropsTheVariablesThatMakeANestedCliMisbehaveAndAddsTheQuietOnes() {
        Map<String, String> env = CliEnvironment.from(Map.of("CLAUDECODE", "1", "CLAUDE_CODE_ENTRYPOINT", "cli"));

        assertThat(env).doesNotContainKeys("CLAUDECODE", "CLAUDE_CODE_ENTRYPOINT")
                .containsEntry("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1")
                .containsEntry("DISABLE_TELEMETRY", "1");
    }
}
