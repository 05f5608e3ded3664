package dev.claudemaxapi.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudemaxapi.core.Caller;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiKeyCheckTest {
    private final ApiKeyCheck check = new ApiKeyCheck(List.of(new ApiKey("first", "sk-first"),
            new ApiKey("second", "sk-second")));

    @Test
    void acceptsAnyConfiguredKeyAsBearer() {
        assertThat(check.allows("Bearer sk-first", null)).isTrue();
        assertThat(check.allows("Bearer sk-second", null)).isTrue();
    }

    @Test
    void acceptsAnyCaseOfBearer() {
        assertThat(check.allows("bearer sk-first", null)).isTrue();
        assertThat(check.allows("BEARER sk-first", null)).isTrue();
    }

    @Test
    void ignoresWhitespaceAroundABearerKey() {
        assertThat(check.allows("Bearer   sk-first  ", null)).isTrue();
    }

    @Test
    void acceptsTheKeyAsXApiKey() {
        assertThat(check.allows(null, "sk-second")).isTrue();
    }

    @Test
    void fallsBackToXApiKeyWhenAuthorizationIsNotBearer() {
        assertThat(check.allows("Basic dXNlcjpwYXNz", "sk-first")).isTrue();
    }

    @Test
    void aWrongBearerKeyWinsOverARightXApiKey() {
        assertThat(check.allows("Bearer sk-wrong", "sk-first")).isFalse();
    }

    @Test
    void refusesWrongKeys() {
        assertThat(check.allows("Bearer sk-third", null)).isFalse();
        assertThat(check.allows(null, "sk-firs")).isFalse();
        assertThat(check.allows(null, "sk-first-and-more")).isFalse();
        assertThat(check.allows(null, "SK-FIRST")).isFalse();
        assertThat(check.allows("sk-first", null)).as("a key without the Bearer scheme").isFalse();
    }

    @Test
    void refusesMissingOrEmptyKeys() {
        assertThat(check.allows(null, null)).isFalse();
        assertThat(check.allows("Bearer ", null)).isFalse();
        assertThat(check.allows("Bearer    ", null)).isFalse();
        assertThat(check.allows(null, "")).isFalse();
    }

    @Test
    void isEnabledOnlyWithKeys() {
        assertThat(check.enabled()).isTrue();
        assertThat(new ApiKeyCheck(List.of()).enabled()).isFalse();
    }

    @Test
    void allowsEverythingWhenNoKeysAreConfigured() {
        ApiKeyCheck open = new ApiKeyCheck(List.of());

        assertThat(open.allows(null, null)).isTrue();
        assertThat(open.allows("Bearer anything", "whatever")).isTrue();
    }

    @Test
    void namesEachKeyByADigestThatHidesIt() {
        ApiKeyCheck check = new ApiKeyCheck(List.of(new ApiKey("first", "sk-first"),
                new ApiKey("second", "sk-second")));

        Caller first = check.caller("Bearer sk-first", null).orElseThrow();
        Caller second = check.caller(null, "sk-second").orElseThrow();

        assertThat(first).isNotEqualTo(second).isEqualTo(check.caller(null, "sk-first").orElseThrow());
        assertThat(first.id()).startsWith("key-").doesNotContain("sk-first");
        assertThat(new ApiKeyCheck(List.of()).caller(null, null)).contains(Caller.ANONYMOUS);
    }

    @Test
    void aCallerCarriesTheOperatorsNameForItsKeyButIsOwnedByTheKeysDigest() {
        ApiKeyCheck renamed = new ApiKeyCheck(List.of(new ApiKey("laptop", "sk-first")));

        Caller before = check.caller("Bearer sk-first", null).orElseThrow();
        Caller after = renamed.caller("Bearer sk-first", null).orElseThrow();

        assertThat(before.name()).isEqualTo("first");
        assertThat(after.name()).isEqualTo("laptop");
        assertThat(after.id()).isEqualTo(before.id());
        assertThat(new ApiKey("laptop", "sk-0123456789abcdef").toString()).doesNotContain("0123456789ab")
                .endsWith("key=****cdef]");
    }
}
