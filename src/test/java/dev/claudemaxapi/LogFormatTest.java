package dev.claudemaxapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** Log lines as text and as JSON: one line each, a request's fields as JSON keys. */
class LogFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LogRecord requestLine() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("request_id", "req_1");
        fields.put("status", 200);
        fields.put("path", "/v1/messages\n{0}");
        LogRecord record = new LogRecord(Level.INFO, "POST /v1/messages\\u000a{0} status=200 id=req_1");
        record.setLoggerName("dev.claudemaxapi.requests");
        record.setParameters(new Object[] {fields});
        return record;
    }

    @Test
    void aJsonLineIsOneObjectWithTheRequestsFields() throws Exception {
        String line = LogFormat.JSON.formatter().format(requestLine());

        assertThat(line.strip()).doesNotContain("\n");
        JsonNode parsed = JSON.readTree(line);
        assertThat(parsed.path("level").asText()).isEqualTo("INFO");
        assertThat(parsed.path("logger").asText()).isEqualTo("dev.claudemaxapi.requests");
        assertThat(parsed.path("request_id").asText()).isEqualTo("req_1");
        assertThat(parsed.path("status").asInt()).isEqualTo(200);
        assertThat(parsed.path("path").asText()).isEqualTo("/v1/messages\n{0}");
    }

    @Test
    void aJsonLineCarriesAStackTraceAsOneField() throws Exception {
        LogRecord record = new LogRecord(Level.SEVERE, "unexpected failure");
        record.setThrown(new IllegalStateException("boom"));

        JsonNode parsed = JSON.readTree(LogFormat.JSON.formatter().format(record));

        assertThat(parsed.path("message").asText()).isEqualTo("unexpected failure");
        assertThat(parsed.path("trace").asText()).contains("IllegalStateException: boom");
    }

    @Test
    void aTextLineKeepsARequestsMessageAsItIs() {
        String line = LogFormat.TEXT.formatter().format(requestLine());

        assertThat(line).contains(" INFO POST /v1/messages\\u000a{0} status=200 id=req_1").endsWith("\n");
    }
}
