package dev.claudemaxapi.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestLogTest {

    @Test
    void aModelNameWithALineBreakCannotForgeALogLine() {
        RequestLog log = new RequestLog("POST", "/v1/chat/completions");
        log.model = "sonnet\nINFO: GET /admin status=200";
        log.status = 400;

        assertThat(log.line()).doesNotContain("\n").contains("model=sonnet\\u000aINFO: GET /admin");
    }

    @Test
    void errorsArePrintedOnOneLineWithoutClosingTheirQuotes() {
        RequestLog log = new RequestLog("POST", "/v1/messages");
        log.error = "bad \"model\"\r\nforged=1\u2028next";

        assertThat(log.line()).endsWith("error=\"bad 'model'\\u000d\\u000aforged=1\\u2028next\"");
    }

    @Test
    void leavesOrdinaryValuesAlone() {
        assertThat(RequestLog.clean("claude-sonnet-5-5 ünïcode ✓")).isEqualTo("claude-sonnet-5-5 ünïcode ✓");
    }

    @Test
    void theLineAndTheFieldsNameTheRequestId() {
        RequestLog log = new RequestLog("POST", "/v1/messages");
        log.requestId = "req_1";
        log.status = 200;
        log.usage = new dev.claudemaxapi.core.Usage(10, 5, 2, 3);

        assertThat(log.line()).startsWith("POST /v1/messages status=200").endsWith(" in=15 out=5 key=- id=req_1");
        assertThat(log.fields()).containsEntry("request_id", "req_1").containsEntry("status", 200)
                .containsEntry("input_tokens", 15L).containsEntry("output_tokens", 5L).doesNotContainKey("error");
    }
}
