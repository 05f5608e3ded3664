package dev.claudemaxapi.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class HostHeaderCheckTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "localhost", "localhost:8080", "LocalHost:3456", "127.0.0.1", "127.0.0.1:3456", "127.1.2.3:80",
        "127.255.255.255", "[::1]", "[::1]:8080", "api.localhost:8080", " localhost ",
    })
    void acceptsLoopbackHosts(String host) {
        assertThat(HostHeaderCheck.isLoopbackHost(host)).isTrue();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
        "attacker.example", "attacker.example:8080", "127.0.0.1.evil.com", "127.0.0.1.evil.com:80",
        "128.0.0.1", "127.0.0.256", "127.0.0", "127.0.0.1.1", "127..0.1", "127.0.0.-1", "127.0.0.1000",
        "0.0.0.0", "10.0.0.1", "localhost.evil.com", "evillocalhost", "[::2]", "[::ffff:127.0.0.1]",
        "   ", "::1",
    })
    void rejectsEverythingElse(String host) {
        assertThat(HostHeaderCheck.isLoopbackHost(host)).isFalse();
    }
}
