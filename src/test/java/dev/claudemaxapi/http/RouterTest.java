package dev.claudemaxapi.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.claudemaxapi.core.ErrorKind;
import dev.claudemaxapi.core.ProxyException;
import org.junit.jupiter.api.Test;

class RouterTest {
    private final Route models = call -> { };
    private final Route model = call -> { };
    private final Route chat = call -> { };
    private final Route chatOptions = call -> { };
    private final Router router = new Router()
            .add("GET", "/v1/models", models)
            .add("GET", "/v1/models/{id}", model)
            .add("POST", "/v1/chat/completions", chat)
            .add("OPTIONS", "/v1/chat/completions", chatOptions);

    @Test
    void findsTheRouteForAnExactPathAndMethod() {
        assertThat(router.find("GET", "/v1/models")).isSameAs(models);
        assertThat(router.find("POST", "/v1/chat/completions")).isSameAs(chat);
        assertThat(router.find("OPTIONS", "/v1/chat/completions")).isSameAs(chatOptions);
    }

    @Test
    void matchesOneNonEmptyIdSegment() {
        assertThat(router.find("GET", "/v1/models/claude-sonnet-5-5")).isSameAs(model);
        assertThat(Router.matches("/v1/models/{id}", "/v1/models/")).isFalse();
        assertThat(Router.matches("/v1/models/{id}", "/v1/models/a/b")).isFalse();
        assertThat(Router.matches("/v1/models/{id}", "/v1/modelsx")).isFalse();
        assertThat(Router.matches("/v1/models/{id}", "/v1/models")).isFalse();
    }

    @Test
    void matchesOnlyTheExactPathNotAPrefix() {
        assertThat(Router.matches("/v1/models", "/v1/models")).isTrue();
        assertThat(Router.matches("/v1/models", "/v1/models/")).isFalse();
        assertThat(Router.matches("/v1/models", "/v1/modelsx")).isFalse();
        assertThat(Router.matches("/v1/models", "/v1")).isFalse();
    }

    @Test
    void answersAnUnknownPathWith404() {
        ProxyException missing = catchThrowableOfType(ProxyException.class, () -> router.find("GET", "/v1/nope"));

        assertThat(missing.kind()).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.getMessage()).isEqualTo("No such endpoint: GET /v1/nope.");
    }

    @Test
    void answersAKnownPathWithAnotherMethodWith405() {
        ProxyException wrongMethod = catchThrowableOfType(ProxyException.class,
                () -> router.find("GET", "/v1/chat/completions"));

        assertThat(wrongMethod.kind()).isEqualTo(ErrorKind.METHOD_NOT_ALLOWED);
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.getMessage()).isEqualTo("Method GET is not allowed on /v1/chat/completions.");
    }

    @Test
    void answersAnIdPathWithAnotherMethodWith405() {
        assertThat(catchThrowableOfType(ProxyException.class, () -> router.find("DELETE", "/v1/models/opus"))
                .status()).isEqualTo(405);
    }

    @Test
    void listsTheAllowedMethodsOfAPath() {
        assertThat(router.allowed("/v1/chat/completions")).isEqualTo("POST, OPTIONS");
        assertThat(router.allowed("/v1/models")).isEqualTo("GET");
        assertThat(router.allowed("/v1/models/opus")).isEqualTo("GET");
        assertThat(router.allowed("/v1/nope")).isEmpty();
    }

    @Test
    void decodesTheIdSegment() {
        assertThat(Router.id("/v1/models/claude-sonnet-5-5")).isEqualTo("claude-sonnet-5-5");
        assertThat(Router.id("/v1/models/sonnet%5B1m%5D")).isEqualTo("sonnet[1m]");
    }
}
