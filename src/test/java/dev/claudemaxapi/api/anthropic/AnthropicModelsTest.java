package dev.claudemaxapi.api.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudemaxapi.api.Json;
import dev.claudemaxapi.core.ModelCatalog;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnthropicModelsTest {
    private final ObjectMapper json = Json.mapper();

    @Test
    void listsAPageWithFirstAndLastIds() throws IOException {
        byte[] body = AnthropicModels.list(json, List.of(
                new ModelCatalog.Entry("claude-opus-5-5", "Claude Opus 5.5", "2026-11-25T00:00:00Z"),
                new ModelCatalog.Entry("sonnet", "Claude Sonnet (latest)", "2026-11-25T00:00:00Z"),
                new ModelCatalog.Entry("gpt-4o", "gpt-4o (alias of sonnet)", "2026-11-25T00:00:00Z")));

        assertThat(json.readTree(body)).isEqualTo(json.readTree("""
                {"data": [
                   {"type": "model", "id": "claude-opus-5-5", "display_name": "Claude Opus 5.5",
                    "created_at": "2026-11-25T00:00:00Z"},
                   {"type": "model", "id": "sonnet", "display_name": "Claude Sonnet (latest)",
                    "created_at": "2026-11-25T00:00:00Z"},
                   {"type": "model", "id": "gpt-4o", "display_name": "gpt-4o (alias of sonnet)",
                    "created_at": "2026-11-25T00:00:00Z"}],
                 "has_more": false, "first_id": "claude-opus-5-5", "last_id": "gpt-4o"}"""));
    }

    @Test
    void anEmptyPageHasNullIds() throws IOException {
        assertThat(json.readTree(AnthropicModels.list(json, List.of()))).isEqualTo(json.readTree("""
                {"data": [], "has_more": false, "first_id": null, "last_id": null}"""));
    }

    @Test
    void writesOneModel() throws IOException {
        byte[] body = AnthropicModels.one(json, new ModelCatalog.Entry("haiku", "Claude Haiku (latest)",
                "2026-11-25T00:00:00Z"));

        assertThat(json.readTree(body)).isEqualTo(json.readTree("""
                {"type": "model", "id": "haiku", "display_name": "Claude Haiku (latest)",
                 "created_at": "2026-11-25T00:00:00Z"}"""));
    }
}
