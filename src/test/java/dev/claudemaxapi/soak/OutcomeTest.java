package dev.claudemaxapi.soak;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OutcomeTest {
    private static final String OPENAI_STREAM = """
            data: {"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}

            : ping

            data: {"choices":[{"index":0,"delta":{"content":"Answer "},"finish_reason":null}]}

            data: {"choices":[{"index":0,"delta":{"content":"for w1-1."},"finish_reason":null}]}

            data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}

            data: {"choices":[],"usage":{"prompt_tokens":40,"completion_tokens":7}}

            data: [DONE]

            """;
    private static final String ANTHROPIC_STREAM = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_1","content":[]}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

            event: ping
            data: {"type":"ping"}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Answer for w1-1."}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":7}}

            event: message_stop
            data: {"type":"message_stop"}

            """;

    @Test
    void aWholeStreamWithTheRequestsOwnAnswerIsExpected() {
        assertThat(answer(Dialect.OPENAI, true, 200, OPENAI_STREAM).expected()).isTrue();
        assertThat(answer(Dialect.ANTHROPIC, true, 200, ANTHROPIC_STREAM).expected()).isTrue();
    }

    @Test
    void anOpenAiStreamThatStopsBeforeDoneIsUnexpected() {
        Outcome outcome = answer(Dialect.OPENAI, true, 200, OPENAI_STREAM.replace("data: [DONE]", ""));

        assertThat(outcome.expected()).isFalse();
        assertThat(outcome.detail()).startsWith("no [DONE]");
    }

    @Test
    void anAnthropicStreamThatStopsBeforeMessageStopIsUnexpected() {
        String cut = ANTHROPIC_STREAM.substring(0, ANTHROPIC_STREAM.indexOf("event: message_stop"));

        Outcome outcome = answer(Dialect.ANTHROPIC, true, 200, cut);

        assertThat(outcome.expected()).isFalse();
        assertThat(outcome.detail()).startsWith("last event message_delta, not message_stop");
    }

    @Test
    void anInBandErrorIsUnexpectedThoughTheStatusWas200() {
        String failed = """
                data: {"choices":[{"index":0,"delta":{"content":"Answer "},"finish_reason":null}]}

                data: {"error":{"message":"The Claude CLI stopped","type":"server_error"}}

                data: [DONE]

                """;

        Outcome outcome = answer(Dialect.OPENAI, true, 200, failed);

        assertThat(outcome.expected()).isFalse();
        assertThat(outcome.detail()).startsWith("in-band error: The Claude CLI stopped");
    }

    @Test
    void anotherRequestsAnswerIsUnexpected() {
        Outcome outcome = answer(Dialect.ANTHROPIC, true, 200, ANTHROPIC_STREAM.replace("w1-1", "w2-9"));

        assertThat(outcome.expected()).isFalse();
        assertThat(outcome.detail()).isEqualTo("wrong answer: 'Answer for w2-9.', expected 'Answer for w1-1.'");
    }

    @Test
    void answersThatAreNotStreamedAreReadFromTheirJson() {
        String openAi = """
                {"choices":[{"index":0,"message":{"role":"assistant","content":"Answer for w1-1."},
                 "finish_reason":"stop"}]}""";
        String anthropic = """
                {"type":"message","content":[{"type":"text","text":"Answer "},{"type":"text","text":"for w1-1."}],
                 "stop_reason":"end_turn"}""";

        assertThat(answer(Dialect.OPENAI, false, 200, openAi).expected()).isTrue();
        assertThat(answer(Dialect.ANTHROPIC, false, 200, anthropic).expected()).isTrue();
        assertThat(answer(Dialect.ANTHROPIC, false, 200, anthropic.replace("end_turn", "max_tokens")).detail())
                .startsWith("stop_reason max_tokens");
    }

    @Test
    void aFailedStatusOrABodyThatIsNotJsonIsUnexpected() {
        assertThat(answer(Dialect.OPENAI, false, 502, "{\"error\":{\"message\":\"kaput\"}}").detail())
                .isEqualTo("status 502: {\"error\":{\"message\":\"kaput\"}}");
        assertThat(answer(Dialect.OPENAI, false, 200, "<html>").detail()).startsWith("malformed JSON");
    }

    @Test
    void anInjectedErrorIsExpectedWithItsStatusAndAnErrorBodyOfTheDialect() {
        String anthropicError = "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"500 injected\"}}";
        String openAiError = "{\"error\":{\"message\":\"500 injected\",\"type\":\"server_error\"}}";

        assertThat(Outcome.ofError(Scenario.UPSTREAM_500, Dialect.ANTHROPIC, false, 502, 502, anthropicError).expected())
                .isTrue();
        assertThat(Outcome.ofError(Scenario.UPSTREAM_500, Dialect.OPENAI, false, 502, 502, openAiError).expected())
                .isTrue();
        assertThat(Outcome.ofError(Scenario.UPSTREAM_500, Dialect.OPENAI, false, 502, 502, anthropicError).expected())
                .isFalse();
        assertThat(Outcome.ofError(Scenario.UPSTREAM_429, Dialect.OPENAI, false, 429, 500, openAiError).detail())
                .startsWith("status 500 instead of 429");
    }

    private static Outcome answer(Dialect dialect, boolean stream, int status, String body) {
        return Outcome.ofAnswer(Scenario.OPENAI_STREAM, dialect, stream, status, body, "Answer for w1-1.");
    }

    @Test
    void aStreamedErrorThatCameAfterTheFirstEventWaitIsExpectedInBand() {
        String late = ": ping\n\n: ping\n\nevent: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\","
                + "\"message\":\"API Error: 500 injected\"}}\n\n";
        String silent = ": ping\n\nevent: message_start\ndata: {\"type\":\"message_start\"}\n\n";

        assertThat(Outcome.ofError(Scenario.UPSTREAM_500, Dialect.ANTHROPIC, true, 502, 200, late).expected()).isTrue();
        assertThat(Outcome.ofError(Scenario.UPSTREAM_500, Dialect.ANTHROPIC, true, 502, 200, silent).expected())
                .isFalse();
        assertThat(Outcome.ofError(Scenario.UPSTREAM_500, Dialect.ANTHROPIC, false, 502, 200, late).expected())
                .as("a non-streamed request has no in-band errors").isFalse();
    }
}
